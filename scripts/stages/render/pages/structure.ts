/**
 * Profile, extension and logical-model pages: a summary in words (metadata, mandatory elements
 * grouped by their optional parents, must-support, prohibited), the Key elements / Differential /
 * Snapshot trees in tabs with a legend, constraints, examples claiming the profile, and the
 * StructureDefinition as JSON and XML. Detailed descriptions are a page of their own.
 */
import { html, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { artifactLink, canonicalLink, fhirMarkdown, row, summaryList, table, tabs, type Page, type SiteContext } from '../page.ts';
import { metadataRows } from './artifact-facts.ts';
import { definitionHref, definitionsPath } from './definition-links.ts';
import { elementTable, ownConstraints, treeLegend } from './element-table.ts';
import { elementsOf, isProhibited, mandatoryGroups, parentId, type Element } from './element-model.ts';
import { resourceOf } from '../../../fhir/r4.ts';

function labelOf(a: Artifact): string {
  return a.kind === 'extension' ? 'Extension' : a.kind === 'logical' ? 'Logical model' : 'Profile';
}

export function structurePage(site: SiteContext, a: Artifact): Page {
  const sd = a.resource;
  const snapshot = elementsOf(sd, 'snapshot');
  const differential = elementsOf(sd, 'differential');
  const label = labelOf(a);
  const body = html`${summary(site, a, snapshot, differential)}
<h2 id="elements">Elements</h2>
<p>Three views of the same profile: the elements a client needs (Key elements), what this profile changes (Differential) and every element (Snapshot).
Each element name links to its <a href="${definitionsPath(a)}">detailed description</a>: definition, comments, requirements, binding, constraints and mappings.</p>
${treeLegend()}
${tabs('element-views', 'Element views', [
  { id: 'tab-key', label: 'Key elements', content: elementTable(site, a, 'key', snapshot, differential) },
  { id: 'tab-diff', label: 'Differential', content: elementTable(site, a, 'differential', snapshot, differential) },
  { id: 'tab-snapshot', label: 'Snapshot', content: elementTable(site, a, 'snapshot', snapshot, differential) }
])}
${constraintsSection(a, snapshot)}
${examplesSection(site, a)}
<h2 id="details">Detailed descriptions</h2>
<p>The <a href="${definitionsPath(a)}">detailed descriptions</a> page lists every element with its short description, definition, comments, requirements, cardinality, binding, constraints and mappings.</p>
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
  const groups = mandatoryGroups(snapshot, e => topLevel(e));
  const mustSupport = snapshot.filter(e => e.mustSupport);
  const prohibited = snapshot.filter(e => diffIds.has(e.id) && isProhibited(e));
  const item = (e: Element) => html`<li><a href="${definitionHref(a, e.id)}">${e.id}</a>${e.short ? html`: ${e.short}` : ''}</li>`;
  const list = (els: Element[]) => html`<ul>${els.map(item)}</ul>`;
  const mandatory = groups.map(g =>
    g.parent
      ? html`<p>When <a href="${definitionHref(a, g.parent.id)}">${g.parent.id}</a> is present (${g.parent.min ?? 0}..${g.parent.max ?? ''}), it must carry:</p>${list(g.elements)}`
      : html`<p>Every instance must carry:</p>${list(g.elements)}`
  );
  return html`<h2 id="summary">Summary</h2>
${summaryList([
  ['Canonical URL', html`<code class="vm-url">${String(sd.url ?? '')}</code>`],
  ['Parent', canonicalLink(site, resourceOf(sd, 'StructureDefinition')?.baseDefinition)],
  ['Type', String(sd.type ?? '')],
  ...metadataRows(a, site)
])}
${fhirMarkdown(site, a.description)}
${sd.purpose ? html`<h3 id="purpose">Purpose</h3>${fhirMarkdown(site, sd.purpose)}` : ''}
${mandatory.length ? html`<h3 id="mandatory">Mandatory elements</h3>${mandatory}` : ''}
${mustSupport.length ? html`<h3 id="must-support">Must-support elements</h3><p>Systems must be able to send, receive and use:</p>${list(mustSupport)}` : ''}
${prohibited.length ? html`<h3 id="prohibited">Prohibited elements</h3><p>These must not appear:</p>${list(prohibited)}` : ''}`;
}

function constraintsSection(a: Artifact, snapshot: Element[]): SafeHtml {
  const rows = snapshot.flatMap(e =>
    ownConstraints(e).map(c =>
      row([html`<a href="${definitionHref(a, e.id)}">${c.key}</a>`, c.severity, e.id, c.human, html`<code>${c.expression ?? ''}</code>`])
    )
  );
  return html`<h2 id="constraints">Constraints</h2>${rows.length ? table(['Key', 'Severity', 'Element', 'Description', 'Expression'], rows) : html`<p>This profile adds no constraints of its own.</p>`}`;
}

function examplesSection(site: SiteContext, a: Artifact): SafeHtml {
  const examples = typeof a.resource.url === 'string' ? site.index.examplesOf(a.resource.url) : [];
  const items = examples.map(e => html`<li>${artifactLink(e)}${e.description ? html`: ${fhirMarkdown(site, e.description, true)}` : ''}</li>`);
  return html`<h2 id="examples">Examples</h2>${items.length ? html`<ul>${items}</ul>` : html`<p>No example in this guide claims this profile.</p>`}`;
}
