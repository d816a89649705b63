/**
 * Tables generated from the guide's own CodeSystems, placed by authors with a Jekyll-style line
 * `{% include maturity-model.md %}` or `{% include error-table.md %}` in a page.
 */
import { html, type SafeHtml } from '../html.ts';
import { fhirMarkdown, row, table, type SiteContext } from '../page.ts';
import { flattenConcepts, type Concept } from './expand.ts';

type Include = (site: SiteContext) => SafeHtml | undefined;

function concepts(site: SiteContext, id: string): { page: string; list: Concept[] } | undefined {
  const a = site.index.byRef.get(`CodeSystem/${id}`);
  if (!a) return undefined;
  return { page: a.page, list: flattenConcepts((a.resource.concept ?? []) as Concept[]).map(c => c.concept) };
}

function property(c: Concept, code: string): string {
  const p = c.property?.find(x => x.code === code);
  const key = p && Object.keys(p).find(k => k.startsWith('value'));
  return key ? String(p[key]) : '';
}

const maturityModel: Include = site => {
  const cs = concepts(site, 'vm-maturity-phase');
  if (!cs) return undefined;
  const rows = cs.list.map(c => row([c.code, c.display ?? '', fhirMarkdown(site, c.definition, true), html`<strong class="nhsuk-tag vm-status vm-status--${property(c, 'status')}">${property(c, 'status').replace(/-/g, ' ')}</strong>`]));
  return html`${table(['Phase', 'Name', 'What it delivers', 'Status'], rows, 'Maturity model phases')}<p>Generated from the code system <a href="${cs.page}">vm-maturity-phase</a>.</p>`;
};

const errorTable: Include = site => {
  const cs = concepts(site, 'vm-spine-error-code');
  if (!cs) return undefined;
  const rows = cs.list.map(c => row([property(c, 'httpStatus'), html`<code>${c.code}</code>`, property(c, 'issueType'), property(c, 'issueSeverity'), fhirMarkdown(site, c.definition, true)]));
  return html`${table(['HTTP status', 'Error code', 'Issue type', 'Severity', 'Meaning'], rows, 'Spine error codes')}<p>Generated from the code system <a href="${cs.page}">vm-spine-error-code</a>.</p>`;
};

export const INCLUDES: Record<string, Include> = {
  'maturity-model.md': maturityModel,
  'error-table.md': errorTable
};
