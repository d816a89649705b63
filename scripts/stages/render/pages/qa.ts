/**
 * qa.html: the validation report by resource (errors, warnings, information) with links to the
 * resource's page and, where the FHIRPath names an element, to its row in the profile, plus the
 * broken internal links found in the rest of the site.
 */
import type { Diagnostic } from '../../../model/diagnostics.ts';
import type { FileReport } from '../../../model/validation.ts';
import { fragment, html, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { row, table, type Page, type SiteContext } from '../page.ts';
import { compareText } from '../../../fhir/order.ts';
import { resourceOf } from '../../../fhir/r4.ts';
import { groupDiagnostics, placeOf, PLACES_SHOWN, type DiagnosticGroup } from '../../../model/diagnostic-groups.ts';
import { FINDING_LABELS, findingsByPage, type SiteFinding } from '../qa/site-check.ts';

/** Findings shown per page on qa.html; the build prints them all. */
const SHOWN_PER_PAGE = 100;

export function qaPage(
  site: SiteContext,
  findings: readonly SiteFinding[],
  buildDiagnostics: Diagnostic[],
  sourceOf: (page: string) => string | undefined = () => undefined
): Page {
  const files = [...(site.validation?.files ?? [])].sort((a, b) => compareText(a.file, b.file));
  const counts = { error: 0, warning: 0, information: 0 };
  for (const f of files) for (const d of f.diagnostics) counts[d.severity]++;
  // A message repeated on several resources (the same severity, rule and text) is one row of its
  // own, with a count and its first places, as the build prints it; the rest stay by resource.
  const groups = groupDiagnostics(files.flatMap(f => f.diagnostics)).filter(g => new Set(g.all.map(d => d.location?.file)).size > 1);
  const grouped = new Set(groups.flatMap(g => g.all));
  const withIssues = files.map(f => ({ ...f, diagnostics: f.diagnostics.filter(d => !grouped.has(d)) })).filter(f => f.diagnostics.length > 0);
  const body = html`<p>${site.validation ? `${files.length} resources validated: ${counts.error} errors, ${counts.warning} warnings, ${counts.information} information messages.` : 'The validation stage did not run for this build, so there is no validation report.'}</p>
<h2 id="validation">Validation by resource</h2>
${groups.length ? repeatedSection(groups) : ''}
${withIssues.length ? withIssues.map(f => fileSection(site, f)) : groups.length ? '' : html`<p>No issues.</p>`}
<h2 id="build">Build messages</h2>
${
  buildDiagnostics.length
    ? table(
        ['Severity', 'Where', 'Message'],
        buildDiagnostics.map(d => row([d.severity, where(d), d.message]))
      )
    : html`<p>None.</p>`
}
<h2 id="links">Site check</h2>
${siteCheckSection(findings, sourceOf)}`;
  const toc = [
    { level: 2, id: 'validation', text: 'Validation by resource' },
    { level: 2, id: 'build', text: 'Build messages' },
    { level: 2, id: 'links', text: 'Site check' }
  ];
  return { path: 'qa.html', title: 'Quality report', body, toc };
}

function where(d: Diagnostic): string {
  const l = d.location;
  if (!l?.file) return l?.expression ?? '';
  const file = [l.file, l.line, l.column].filter(x => x !== undefined).join(':');
  return l.fsh ? `${[l.fsh.file, l.fsh.line, l.fsh.column].filter(x => x !== undefined).join(':')} (${file})` : file;
}

/** Messages repeated on several resources: one row each, with how many times and the first places. */
function repeatedSection(groups: readonly DiagnosticGroup[]): SafeHtml {
  const rows = groups.map(g => {
    const places = g.all.slice(0, PLACES_SHOWN + 1).map(d => placeOf(d) || d.location?.file || '');
    const more = g.all.length > places.length ? ` and ${g.all.length - places.length} more` : '';
    return row([
      html`<strong class="vm-sev vm-sev--${g.first.severity}">${g.first.severity}</strong>`,
      g.first.message,
      String(g.all.length),
      `${places.join('; ')}${more}`,
      g.first.rule
    ]);
  });
  return html`<h3 id="qa-repeated">Repeated messages</h3>${table(['Severity', 'Message', 'Times', 'First places', 'Rule'], rows)}`;
}

function fileSection(site: SiteContext, f: FileReport): SafeHtml {
  const a = f.resourceType && f.id ? site.index.byRef.get(`${f.resourceType}/${f.id}`) : undefined;
  const profile = firstLocalProfile(site, f);
  const rows = f.diagnostics.map(d =>
    row([
      html`<strong class="vm-sev vm-sev--${d.severity}">${d.severity}</strong>`,
      html`${pathCell(profile, d.location?.expression)}${fshCell(d)}`,
      d.message,
      d.rule
    ])
  );
  const title = a ? html`<a href="${a.page}">${a.base}</a>` : f.file;
  return html`<h3 id="qa-${f.file.replace(/[^\w-]/g, '_')}">${title}</h3>${table(['Severity', 'Element', 'Message', 'Rule'], rows)}`;
}

/** The FSH rule behind an issue on a resource compiled from FSH. */
function fshCell(d: Diagnostic): SafeHtml | string {
  const fsh = d.location?.fsh;
  return fsh ? html` <small>(<code>${[fsh.file, fsh.line, fsh.column].filter(x => x !== undefined).join(':')}</code>)</small>` : '';
}

function firstLocalProfile(site: SiteContext, f: FileReport): Artifact | undefined {
  for (const url of f.profiles ?? []) {
    const p = site.index.byUrl.get(url);
    if (p) return p;
  }
  return undefined;
}

/** `Observation.component[1].code.coding[0]` -> the element id `Observation.component.code.coding` in the profile. */
export function elementIdOf(expression: string): string {
  return expression.replace(/\[\d+\]/g, '').replace(/\.(where|ofType|resolve)\(.*$/, '');
}

function pathCell(profile: Artifact | undefined, expression: string | undefined): SafeHtml {
  if (!expression) return html``;
  if (!profile) return html`<code>${expression}</code>`;
  const id = elementIdOf(expression);
  const snapshot = resourceOf(profile.resource, 'StructureDefinition')?.snapshot?.element ?? [];
  return snapshot.some(e => e.id === id) ? html`<a href="${profile.page}#${fragment(id)}"><code>${expression}</code></a>` : html`<code>${expression}</code>`;
}

/**
 * The site checker's findings, grouped by page: broken links and anchors, missing images, and
 * template syntax or HTML tags left as text.
 */
function siteCheckSection(findings: readonly SiteFinding[], sourceOf: (page: string) => string | undefined): SafeHtml {
  if (!findings.length) return html`<p>No broken internal links or anchors, no missing images, and no template syntax or HTML tags left as text.</p>`;
  const byPage = findingsByPage(findings);
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(FINDING_LABELS[f.kind], (counts.get(FINDING_LABELS[f.kind]) ?? 0) + 1);
  const summary = [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
  const sections = [...byPage].map(([page, list]) => {
    const source = sourceOf(page);
    const rows = list.slice(0, SHOWN_PER_PAGE).map(f => row([FINDING_LABELS[f.kind], f.line, html`<code>${f.detail}</code>`]));
    const more = list.length > SHOWN_PER_PAGE ? html`<p>And ${list.length - SHOWN_PER_PAGE} more on this page.</p>` : '';
    return html`<h3 id="check-${page.replace(/[^\w-]/g, '_')}"><a href="${page}">${page}</a>${source ? html` <small>(from <code>${source}</code>)</small>` : ''}</h3>${table(['Problem', 'Line', 'Detail'], rows)}${more}`;
  });
  return html`<p>${findings.length} problems on ${byPage.size} pages: ${summary}.</p>${sections}`;
}
