/**
 * Profile, extension and logical-model pages: a summary in words, the Key elements /
 * Differential / Snapshot trees in tabs, constraints, detailed descriptions, examples claiming
 * the profile, and the StructureDefinition as JSON and XML.
 */
import { fragment, html, joinHtml, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { artifactLink, canonicalLink, fhirMarkdown, row, summaryList, table, tabs, type Page, type SiteContext } from '../page.ts';
import { bindingText, elementTable, ownConstraints, slicingText, types } from './element-table.ts';
import { fixedOrPattern } from '../../fhir/elements.ts';
import { cardinality, elementName, isProhibited, parentId, type Element } from './element-model.ts';

export function structurePage(site: SiteContext, a: Artifact): Page {
  const sd = a.resource;
  const snapshot = ((sd.snapshot as { element?: Element[] } | undefined)?.element ?? []) as Element[];
  const differential = ((sd.differential as { element?: Element[] } | undefined)?.element ?? []) as Element[];
  const label = a.kind === 'extension' ? 'Extension' : a.kind === 'logical' ? 'Logical model' : 'Profile';
  const body = html`${summary(site, a, snapshot, differential)}
<h2 id="elements">Elements</h2>
${tabs('element-views', 'Element views', [
  { id: 'tab-key', label: 'Key elements', content: elementTable(site, 'key', snapshot, differential) },
  { id: 'tab-diff', label: 'Differential', content: elementTable(site, 'differential', snapshot, differential) },
  { id: 'tab-snapshot', label: 'Snapshot', content: elementTable(site, 'snapshot', snapshot, differential) }
])}
${constraintsSection(snapshot)}
${examplesSection(site, a)}
<h2 id="details">Detailed descriptions</h2>
${joinHtml(snapshot.map(e => details(site, e)))}
<h2 id="formats">JSON and XML</h2>
<p>The StructureDefinition with its snapshot: <a href="${a.base}.json" download>${a.base}.json</a> and <a href="${a.base}.xml" download>${a.base}.xml</a>.</p>`;
  const toc = [
    { level: 2, id: 'summary', text: 'Summary' },
    { level: 2, id: 'elements', text: 'Elements' },
    { level: 2, id: 'constraints', text: 'Constraints' },
    { level: 2, id: 'examples', text: 'Examples' },
    { level: 2, id: 'details', text: 'Detailed descriptions' },
    { level: 2, id: 'formats', text: 'JSON and XML' }
  ];
  const searchText = [a.description, ...differential.map(e => `${e.id} ${e.short ?? ''}`)].join(' ');
  return { path: a.page, title: `${label}: ${a.title}`, body, toc, parents: [{ label: 'Artifacts', href: 'artifacts.html' }], searchText, kind: label };
}

function summary(site: SiteContext, a: Artifact, snapshot: Element[], differential: Element[]): SafeHtml {
  const sd = a.resource;
  const diffIds = new Set(differential.map(e => e.id));
  const topLevel = (e: Element) => parentId(e.id) !== undefined && (diffIds.has(e.id) || parentId(parentId(e.id)!) === undefined);
  const mandatory = snapshot.filter(e => topLevel(e) && (e.min ?? 0) > 0 && !isProhibited(e));
  const mustSupport = snapshot.filter(e => e.mustSupport);
  const prohibited = snapshot.filter(e => diffIds.has(e.id) && isProhibited(e));
  const list = (els: Element[]) => html`<ul>${els.map(e => html`<li><a href="#${fragment(e.id)}">${e.id}</a>${e.short ? html`: ${e.short}` : ''}</li>`)}</ul>`;
  return html`<h2 id="summary">Summary</h2>
${summaryList([
  ['Canonical URL', html`<code>${String(sd.url ?? '')}</code>`],
  ['Parent', canonicalLink(site, sd.baseDefinition as string | undefined)],
  ['Type', String(sd.type ?? '')],
  ['Status', String(sd.status ?? '')],
  ['Version', String(sd.version ?? '')]
])}
${fhirMarkdown(site, a.description)}
${sd.purpose ? html`<h3 id="purpose">Purpose</h3>${fhirMarkdown(site, sd.purpose)}` : ''}
${mandatory.length ? html`<h3 id="mandatory">Mandatory elements</h3><p>Every instance must carry:</p>${list(mandatory)}` : ''}
${mustSupport.length ? html`<h3 id="must-support">Must-support elements</h3><p>Systems must be able to send, receive and use:</p>${list(mustSupport)}` : ''}
${prohibited.length ? html`<h3 id="prohibited">Prohibited elements</h3><p>These must not appear:</p>${list(prohibited)}` : ''}`;
}

function constraintsSection(snapshot: Element[]): SafeHtml {
  const rows = snapshot.flatMap(e =>
    ownConstraints(e).map(c => row([html`<a href="#def-${fragment(e.id)}">${c.key}</a>`, c.severity, e.id, c.human, html`<code>${c.expression ?? ''}</code>`]))
  );
  return html`<h2 id="constraints">Constraints</h2>${rows.length ? table(['Key', 'Severity', 'Element', 'Description', 'Expression'], rows) : html`<p>This profile adds no constraints of its own.</p>`}`;
}

function examplesSection(site: SiteContext, a: Artifact): SafeHtml {
  const examples = typeof a.resource.url === 'string' ? site.index.examplesOf(a.resource.url) : [];
  const items = examples.map(e => html`<li>${artifactLink(e)}${e.description ? html`: ${fhirMarkdown(site, e.description, true)}` : ''}</li>`);
  return html`<h2 id="examples">Examples</h2>${items.length ? html`<ul>${items}</ul>` : html`<p>No example in this guide claims this profile.</p>`}`;
}

function details(site: SiteContext, e: Element): SafeHtml {
  const fp = fixedOrPattern(e);
  const constraints = (e.constraint ?? []).map(c => html`<li><strong>${c.key}</strong> (${c.severity}): ${c.human}${c.expression ? html` <code>${c.expression}</code>` : ''}</li>`);
  return html`<section class="vm-detail" id="def-${e.id}"><h3>${e.id}${elementName(e).startsWith('Slices') ? ' (slicing)' : ''}</h3>
${summaryList([
  ['Short', e.short],
  ['Definition', fhirMarkdown(site, e.definition)],
  ['Comments', fhirMarkdown(site, e.comment)],
  ['Requirements', fhirMarkdown(site, e.requirements)],
  ['Cardinality', cardinality(e)],
  ['Type', e.type?.length ? types(site, e.type) : undefined],
  ['Must support', e.mustSupport ? 'Yes' : undefined],
  ['Slicing', e.slicing ? slicingText(e) : undefined],
  ['Binding', e.binding ? bindingText(site, e.binding) : undefined],
  [fp?.kind === 'fixed' ? 'Fixed value' : 'Required pattern', fp ? html`<code>${JSON.stringify(fp.value)}</code>` : undefined],
  ['Alternate names', e.alias?.join(', ')],
  ['Constraints', constraints.length ? html`<ul>${constraints}</ul>` : undefined]
])}<p><a href="#${fragment(e.id)}">Back to the snapshot row</a></p></section>`;
}
