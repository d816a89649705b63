/**
 * The IG Publisher's per-artifact sub-pages that guides link to (ig-template-base config.json):
 *
 * - `StructureDefinition-{id}-examples.html` (not for extensions): the examples that claim the profile;
 * - `StructureDefinition-{id}-mappings.html`: each mapping the profile declares, element by element;
 * - the resource's source as a page: `{Type}-{id}.json.html`, `.xml.html`, `.ttl.html`, and for a
 *   StructureDefinition `{Type}-{id}.profile.json.html`, `.profile.xml.html`, `.profile.ttl.html`.
 */
import { html, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { artifactLink, codeView, fhirMarkdown, row, table, type Page, type SiteContext } from '../page.ts';
import { elementsOf } from './element-model.ts';
import { definitionHref } from './definition-links.ts';
import { resourceOf } from '../../../fhir/r4.ts';

export type SourceFormat = 'json' | 'xml' | 'ttl';

const FORMAT_LABELS: Record<SourceFormat, string> = { json: 'JSON', xml: 'XML', ttl: 'Turtle' };

function isStructure(a: Artifact): boolean {
  return a.resource.resourceType === 'StructureDefinition';
}

/** The page showing an artifact's source in one format, by the IG Publisher's name. */
export function sourcePagePath(a: Artifact, format: SourceFormat): string {
  return isStructure(a) ? `${a.base}.profile.${format}.html` : `${a.base}.${format}.html`;
}

/** Every sub-page name an artifact has (the site's local pages, before they are made). */
export function subPageNames(a: Artifact, formats: readonly SourceFormat[]): string[] {
  const own = isStructure(a) ? [`${a.base}-mappings.html`, ...(hasExamplesPage(a) ? [`${a.base}-examples.html`] : [])] : [];
  return [...own, ...formats.map(f => sourcePagePath(a, f))];
}

function hasExamplesPage(a: Artifact): boolean {
  return isStructure(a) && a.kind !== 'extension';
}

const parentsOf = (a: Artifact) => [
  { label: 'Artifacts', href: 'artifacts.html' },
  { label: a.title, href: a.page }
];

export function sourcePage(a: Artifact, format: SourceFormat, text: string): Page {
  const file = `${a.base}.${format}`;
  const code =
    format === 'ttl'
      ? html`<div class="vm-code"><div class="vm-code__actions"><a class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" href="${file}" download>Download Turtle</a></div><pre class="vm-code__block" tabindex="0"><code id="ttl-code" class="language-turtle">${text}</code></pre></div>`
      : codeView(`${format}-code`, text, format, file);
  const body = html`<p>The ${isStructure(a) ? 'StructureDefinition' : a.resource.resourceType} <a href="${a.page}">${a.title}</a> as ${FORMAT_LABELS[format]}${
    format === 'ttl' ? html` (FHIR R4 RDF, <a href="https://hl7.org/fhir/R4/rdf.html">the specification's RDF format</a>)` : ''
  }: <a href="${file}" download>${file}</a>.</p>${code}`;
  return { path: sourcePagePath(a, format), title: `${a.title}: ${FORMAT_LABELS[format]}`, body, parents: parentsOf(a) };
}

export function profileExamplesPage(site: SiteContext, a: Artifact): Page | undefined {
  if (!hasExamplesPage(a)) return undefined;
  const examples = typeof a.resource.url === 'string' ? site.index.examplesOf(a.resource.url) : [];
  const items = examples.map(e => html`<li>${artifactLink(e)}${e.description ? html`: ${fhirMarkdown(site, e.description, true)}` : ''}</li>`);
  const body: SafeHtml = items.length
    ? html`<p>The examples in this guide that conform to <a href="${a.page}">${a.title}</a> (they claim it in <code>meta.profile</code>, or are instances of it).</p><ul>${items}</ul>`
    : html`<p>No example in this guide claims <a href="${a.page}">${a.title}</a>.</p>`;
  return { path: `${a.base}-examples.html`, title: `${a.title}: Examples`, body, parents: parentsOf(a) };
}

export function mappingsPage(site: SiteContext, a: Artifact): Page | undefined {
  const sd = resourceOf(a.resource, 'StructureDefinition');
  if (!sd) return undefined;
  const declared = (sd.mapping ?? []).filter(m => m.identity);
  const snapshot = elementsOf(a.resource, 'snapshot');
  const sections = declared.map(m => {
    const rows = snapshot.flatMap(e => {
      const maps = (e.mapping ?? []).filter(x => x.identity === m.identity && x.map);
      return maps.length ? [row([html`<a href="${definitionHref(a, e.id)}">${e.id}</a>`, lines(maps.map(x => x.map!))])] : [];
    });
    const id = `mapping-${m.identity}`;
    return html`<h2 id="${id}">${m.name ?? m.identity}</h2>${m.uri ? html`<p><code>${m.uri}</code></p>` : ''}${m.comment ? fhirMarkdown(site, m.comment) : ''}${
      rows.length ? table(['Element', 'Mapping'], rows) : html`<p>No element of this profile maps to it.</p>`
    }`;
  });
  const body = declared.length
    ? html`<p>The mappings <a href="${a.page}">${a.title}</a> declares to other specifications, element by element.</p>${sections}`
    : html`<p><a href="${a.page}">${a.title}</a> declares no mappings.</p>`;
  return {
    path: `${a.base}-mappings.html`,
    title: `${a.title}: Mappings`,
    body,
    parents: parentsOf(a),
    toc: declared.map(m => ({ level: 2, id: `mapping-${m.identity}`, text: m.name ?? m.identity }))
  };
}

/** Mapping text as the specification writes it: `<br/>` is a line break, everything else text. */
export function lines(texts: readonly string[]): SafeHtml {
  const parts = texts.flatMap((t, i) => [
    ...(i ? [html`<br />`] : []),
    ...t.split(/<br\s*\/?>/i).flatMap((p, j) => (j ? [html`<br />`, html`${p}`] : [html`${p}`]))
  ]);
  return html`${parts}`;
}
