/**
 * qa.html: the validation report by resource (errors, warnings, information) with links to the
 * resource's page and, where the FHIRPath names an element, to its row in the profile, plus the
 * broken internal links found in the rest of the site.
 */
import type { Diagnostic, FileReport } from '../../model.ts';
import { fragment, html, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { row, table, type Page, type SiteContext } from '../page.ts';
import { compareText } from '../../fhir/order.ts';
import { resourceOf } from '../../fhir/r4.ts';

export interface BrokenLink {
  page: string;
  href: string;
}

export function qaPage(site: SiteContext, broken: BrokenLink[], buildDiagnostics: Diagnostic[]): Page {
  const files = [...(site.validation?.files ?? [])].sort((a, b) => compareText(a.file, b.file));
  const counts = { error: 0, warning: 0, information: 0 };
  for (const f of files) for (const d of f.diagnostics) counts[d.severity]++;
  const withIssues = files.filter(f => f.diagnostics.length > 0);
  const body = html`<p>${site.validation ? `${files.length} resources validated: ${counts.error} errors, ${counts.warning} warnings, ${counts.information} information messages.` : 'The validation stage did not run for this build, so there is no validation report.'}</p>
<h2 id="validation">Validation by resource</h2>
${withIssues.length ? withIssues.map(f => fileSection(site, f)) : html`<p>No issues.</p>`}
<h2 id="build">Build messages</h2>
${
  buildDiagnostics.length
    ? table(
        ['Severity', 'Where', 'Message'],
        buildDiagnostics.map(d => row([d.severity, where(d), d.message]))
      )
    : html`<p>None.</p>`
}
<h2 id="links">Broken links</h2>
${
  broken.length
    ? table(
        ['Page', 'Link'],
        broken.map(b => row([html`<a href="${b.page}">${b.page}</a>`, html`<code>${b.href}</code>`]))
      )
    : html`<p>No broken internal links.</p>`
}`;
  const toc = [
    { level: 2, id: 'validation', text: 'Validation by resource' },
    { level: 2, id: 'build', text: 'Build messages' },
    { level: 2, id: 'links', text: 'Broken links' }
  ];
  return { path: 'qa.html', title: 'Quality report', body, toc };
}

function where(d: Diagnostic): string {
  const l = d.location;
  if (!l?.file) return l?.expression ?? '';
  return [l.file, l.line, l.column].filter(x => x !== undefined).join(':');
}

function fileSection(site: SiteContext, f: FileReport): SafeHtml {
  const a = f.resourceType && f.id ? site.index.byRef.get(`${f.resourceType}/${f.id}`) : undefined;
  const profile = firstLocalProfile(site, f);
  const rows = f.diagnostics.map(d =>
    row([html`<strong class="vm-sev vm-sev--${d.severity}">${d.severity}</strong>`, pathCell(profile, d.location?.expression), d.message, d.rule])
  );
  const title = a ? html`<a href="${a.page}">${a.base}</a>` : f.file;
  return html`<h3 id="qa-${f.file.replace(/[^\w-]/g, '_')}">${title}</h3>${table(['Severity', 'Element', 'Message', 'Rule'], rows)}`;
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
