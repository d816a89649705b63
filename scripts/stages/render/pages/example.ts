/**
 * Example pages: the narrative (the instance's own, sanitised, or one generated from its data),
 * links to the profiles it claims and the examples it references, then JSON and XML.
 */
import { html } from '../html.ts';
import { claimedProfiles, type Artifact } from '../model.ts';
import { artifactLink, canonicalLink, dataTabs, fhirMarkdown, type Page, type SiteContext } from '../page.ts';
import { resourceNarrative } from './narrative.ts';

export function examplePage(site: SiteContext, a: Artifact, xml: string): Page {
  const profiles = claimedProfiles(a).map(u => html`<li>${canonicalLink(site, u)}</li>`);
  const refs = referencedExamples(site, a).map(r => html`<li>${artifactLink(r)}</li>`);
  const body = html`${fhirMarkdown(site, a.description)}
<h2 id="narrative">Narrative</h2><div class="vm-narrative">${resourceNarrative(site, a.resource)}</div>
<h2 id="profiles">Profiles</h2>${profiles.length ? html`<ul>${profiles}</ul>` : html`<p>This example claims no profile beyond the base resource.</p>`}
${refs.length ? html`<h2 id="references">Referenced examples</h2><ul>${refs}</ul>` : ''}
<h2 id="formats">JSON and XML</h2>${dataTabs(a, xml)}
${site.checkPage ? html`<p class="vm-check-own"><a href="${site.checkPage}">Check your own</a> version of this message in your browser, against this guide's profiles.</p>` : ''}`;
  return {
    path: a.page,
    title: `Example ${a.resource.resourceType}: ${a.title}`,
    body,
    parents: [{ label: 'Artifacts', href: 'artifacts.html' }],
    searchText: a.description,
    kind: 'Example'
  };
}

/** Local examples this one points at through `reference` strings, in document order. */
export function referencedExamples(site: SiteContext, a: Artifact): Artifact[] {
  const found = new Map<string, Artifact>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'reference' && typeof v === 'string') {
          const target = site.index.byRef.get(v.replace(/^.*?([A-Z][A-Za-z]+\/[^/]+)$/, '$1'));
          if (target && target !== a) found.set(target.base, target);
        } else visit(v);
      }
    }
  };
  visit(a.resource);
  return [...found.values()];
}
