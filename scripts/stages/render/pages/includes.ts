/**
 * Tables generated from the guide's own CodeSystems, placed by authors with a Jekyll-style line
 * `{% include maturity-model.md %}` or `{% include error-table.md %}` in a page. What each table
 * holds is defined once in scripts/fhir/generated-tables.ts; this module only formats it as HTML.
 */
import { allConcepts, GENERATED_TABLES, statusWords, type GeneratedTable, type TableCell } from '../../../fhir/generated-tables.ts';
import { html, type SafeHtml } from '../html.ts';
import { fhirMarkdown, row, table, type SiteContext } from '../page.ts';
import { changesInclude } from './changes.ts';
import { apiReferenceHtml } from './api-reference.ts';
import { REQUEST_CHECKS_INCLUDE, requestChecksMarkdown } from '../../../lib/spine/checks.ts';

type Include = (site: SiteContext) => SafeHtml | undefined;

function cellHtml(site: SiteContext, cell: TableCell): SafeHtml | string {
  switch (cell.kind) {
    case 'code':
      return html`<code>${cell.text}</code>`;
    case 'markdown':
      return fhirMarkdown(site, cell.text, true);
    case 'status':
      return html`<strong class="nhsuk-tag vm-status vm-status--${cell.text}">${statusWords(cell.text)}</strong>`;
    default:
      return cell.text;
  }
}

function include(spec: GeneratedTable): Include {
  return site => {
    const a = site.index.byRef.get(`CodeSystem/${spec.codeSystem}`);
    if (!a) return undefined;
    const rows = allConcepts(a.resource).map(c => row(spec.cells(c).map(cell => cellHtml(site, cell))));
    return html`${table(spec.header, rows, spec.caption)}<p>Generated from the code system <a href="${a.page}">${spec.codeSystem}</a>.</p>`;
  };
}

/** The API reference, generated from the guide's OpenAPI description (scripts/openapi/). */
const apiReference: Include = site => {
  if (!site.openApi) return undefined;
  return site.openApi.referenceModel ? apiReferenceHtml(site, site.openApi.referenceModel) : fhirMarkdown(site, site.openApi.reference);
};

export const INCLUDES: Record<string, Include> = {
  ...Object.fromEntries(Object.entries(GENERATED_TABLES).map(([name, spec]) => [name, include(spec)])),
  'api-reference.md': apiReference,
  // The sandbox's checks belong with the API the OpenAPI description is made for.
  [REQUEST_CHECKS_INCLUDE]: site => (site.openApi ? fhirMarkdown(site, requestChecksMarkdown()) : undefined),
  'changes.md': changesInclude
};
