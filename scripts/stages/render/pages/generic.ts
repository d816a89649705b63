/** Any other definitional resource (SearchParameter, OperationDefinition, ...): summary and data. */
import { html } from '../html.ts';
import type { Artifact } from '../model.ts';
import { dataTabs, fhirMarkdown, summaryList, type Page, type SiteContext } from '../page.ts';
import { operationSections, searchParameterSections } from './operations.ts';

const SECTIONS: Record<string, (site: SiteContext, a: Artifact) => ReturnType<typeof html>> = {
  OperationDefinition: operationSections,
  SearchParameter: searchParameterSections
};

export function genericPage(site: SiteContext, a: Artifact, xml: string): Page {
  const r = a.resource;
  const body = html`<h2 id="summary">Summary</h2>${summaryList([
    ['Resource type', r.resourceType],
    ['Canonical URL', typeof r.url === 'string' ? html`<code>${r.url}</code>` : undefined],
    ['Status', typeof r.status === 'string' ? r.status : undefined]
  ])}${fhirMarkdown(site, a.description)}${SECTIONS[r.resourceType]?.(site, a) ?? ''}<h2 id="formats">JSON and XML</h2>${dataTabs(a, xml)}`;
  return {
    path: a.page,
    title: `${r.resourceType}: ${a.title}`,
    body,
    parents: [{ label: 'Artifacts', href: 'artifacts.html' }],
    searchText: a.description,
    kind: r.resourceType
  };
}
