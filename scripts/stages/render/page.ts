/**
 * What every page renderer gets (`SiteContext`) and returns (`Page`), and the small helpers they
 * share: FHIR markdown to safe HTML, canonical URLs to local pages, code views with tabs.
 */
import { createHash } from 'node:crypto';
import { TextMemo } from '../../util/memo.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { ValidationReport } from '../../model/validation.ts';
import type { FhirResource } from '../../model/resources.ts';
import type { ProjectConfig } from '../../project/config.ts';
import { highlightCode } from './highlight.ts';
import { html, joinHtml, trusted, type SafeHtml } from './html.ts';
import { renderMarkdown, type Heading } from './markdown.ts';
import { placeFragments } from './liquid.ts';
import type { Artifact, ArtifactIndex } from './model.ts';
import type { DiffReport } from '../../lib/diff/model.ts';
import type { ApiReference } from '../../lib/openapi/reference.ts';
import { fhirJson } from '../../fhir/json.ts';

export interface SiteContext {
  config: ProjectConfig;
  index: ArtifactIndex;
  validation?: ValidationReport;
  /** Whether build/package.tgz exists, to offer it on the downloads page. */
  hasPackage: boolean;
  /** Source text of input/pagecontent pages, by file name. */
  pageSources: Map<string, string>;
  /** Every file name the site will have, so FHIR markdown can tell our links from the base spec's. */
  localPages: Set<string>;
  /**
   * What FHIR markdown's links depend on (the local page names, in one string): rendered
   * markdown is kept by this and its text across renders (profiles repeat the base definitions,
   * and a dev re-render repeats everything).
   */
  markdownScope: string;
  diagnostics: Diagnostic[];
  /** The guide's OpenAPI description (file name and API reference markdown), when it has one. */
  openApi?: { fileName: string; reference: string; referenceModel?: ApiReference };
  /** Project-relative path of each page source by file name (input/pagecontent, input/pages, ...). */
  pageFiles?: Map<string, string>;
  /** input/includes files by name, for `{% include %}`. */
  includes?: Map<string, string>;
  /** `{Type}-{id}-intro` / `-notes` fragments. */
  introNotes?: Map<string, { text: string; file: string; format: string }>;
  /** Web location of each package dependency by key, as `site.data.fhir.ver` (fhir/dependency-packages.ts). */
  dependencyPaths?: Record<string, string>;
  /** The author's data files (input/data and `path-data` folders), as `site.data.<name>`. */
  data?: Record<string, unknown>;
  /** input/images files, for `{% include image.svg %}`. */
  images?: Map<string, Uint8Array>;
  /** Title of every page of the guide by output name, for `site.data.pages`. */
  pageTitles?: Map<string, string>;
  /** The "Check a message" page, when the site has one (example pages link to it). */
  checkPage?: string;
  /** The guide's ImplementationGuide resource, when it has one (global profiles, parameters). */
  implementationGuide?: FhirResource;
  /**
   * Liquid over resource text (FHIR markdown: descriptions, definitions, comments...), as the IG
   * Publisher's Jekyll pass renders it on artifact pages: the text and the finished fragments its
   * includes placed, or undefined when the text is not valid Liquid (it is then shown as written).
   */
  resourceLiquid?: (text: string) => { text: string; placed: readonly string[] } | undefined;
  /** Changes since the previous release, when the configuration names one (pages/changes.ts). */
  changes?: DiffReport;
}

export interface Page {
  /** Output path relative to the site root, e.g. `toc.html`. */
  path: string;
  title: string;
  body: SafeHtml;
  /** Headings for the page's table of contents (h2 and h3). */
  toc?: Heading[];
  /** Breadcrumb parents above this page, e.g. Artifacts. */
  parents?: { label: string; href: string }[];
  /** Plain text for the search index; omitted pages are not indexed. */
  searchText?: string;
  /** Exact search keys (ids, codes, invariant keys): a query equal to one ranks this page first. */
  searchKeys?: string[];
  /** A base URL for pages served at any depth (the 404 page); relative links resolve against it. */
  baseHref?: string;
  /** Short kind shown in search results. */
  kind?: string;
  /** Layout name; `page` by default. */
  layout?: string;
}

const CORE_SPEC = 'https://hl7.org/fhir/R4/';

/**
 * FHIR markdown (descriptions, definitions) to sanitised HTML; headings start at h4. Relative
 * links that name no page of ours come from the base specification, so they point there.
 */
export function fhirMarkdown(site: SiteContext | undefined, text: unknown, inline = false): SafeHtml {
  if (typeof text !== 'string' || text === '') return html``;
  const liquid = site?.resourceLiquid && /\{\{|\{%/.test(text) ? site.resourceLiquid(text) : undefined;
  const source = liquid?.text ?? text;
  const key = `${inline ? 'i' : 'b'}${site ? `s${site.markdownScope}` : ''}\u0000${source}`;
  const rewriteLink = site ? (href: string) => coreRelative(site, href) : undefined;
  const rendered = renderedMarkdown.get(key, () => trusted(renderMarkdown(source, { topLevel: 4, inline, rewriteLink }).html));
  return liquid?.placed.length ? trusted(placeFragments(rendered.value, liquid.placed)) : rendered;
}

const renderedMarkdown = new TextMemo<SafeHtml>(32 * 1024 * 1024, h => h.value.length);

/** The `markdownScope` of a set of local page names. */
export function markdownScope(localPages: ReadonlySet<string>): string {
  return createHash('sha256')
    .update([...localPages].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}

function coreRelative(site: SiteContext, href: string): string {
  if (/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(href)) return href;
  const file = href.split(/[?#]/)[0]!;
  return site.localPages.has(file) ? href : CORE_SPEC + href;
}

/** A link to the local page of a canonical URL, or the URL itself for anything else. */
export function canonicalLink(site: SiteContext, url: string | undefined, label?: string): SafeHtml {
  if (!url) return html``;
  const [bare, version] = url.split('|');
  const local = site.index.byUrl.get(bare!);
  if (local) return html`<a href="${local.page}">${label ?? local.title}</a>`;
  const core = /^http:\/\/hl7\.org\/fhir\/(StructureDefinition|ValueSet|CodeSystem)\/(.+)$/.exec(bare!);
  const href = core ? coreSpecUrl(core[1]!, core[2]!) : bare!;
  const text = label ?? (core ? core[2]! : bare!) + (version ? ` (${version})` : '');
  return /^https?:/.test(href) ? html`<a href="${href}">${text}</a>` : html`<code>${text}</code>`;
}

export function coreSpecUrl(kind: string, id: string): string {
  if (kind === 'StructureDefinition') return `https://hl7.org/fhir/R4/${id.toLowerCase()}.html`;
  return `https://hl7.org/fhir/R4/${kind.toLowerCase()}-${id}.html`;
}

export function artifactLink(a: Artifact): SafeHtml {
  return html`<a href="${a.page}">${a.title}</a>`;
}

/** NHS tabs: real sections with headings; nhsuk-frontend's script turns them into tabs. */
export function tabs(id: string, title: string, items: { id: string; label: string; content: SafeHtml }[]): SafeHtml {
  const list = items.map(
    (t, i) =>
      html`<li class="nhsuk-tabs__list-item${i === 0 ? ' nhsuk-tabs__list-item--selected' : ''}"><a class="nhsuk-tabs__tab" href="#${t.id}">${t.label}</a></li>`
  );
  const panels = items.map(
    (t, i) =>
      html`<div class="nhsuk-tabs__panel${i > 0 ? ' nhsuk-tabs__panel--hidden' : ''}" id="${t.id}"><h3 class="vm-tab-heading">${t.label}</h3>${t.content}</div>`
  );
  return html`<div class="nhsuk-tabs" data-module="nhsuk-tabs" id="${id}"><h2 class="nhsuk-tabs__title">${title}</h2><ul class="nhsuk-tabs__list">${list}</ul>${panels}</div>`;
}

/** Highlighted code with copy (needs JS) and download (a plain link) buttons. */
export function codeView(id: string, code: string, language: 'json' | 'xml', download: string): SafeHtml {
  return html`<div class="vm-code">
<div class="vm-code__actions"><button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small vm-copy" data-copy-target="${id}" hidden>Copy ${language.toUpperCase()}</button>
<a class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" href="${download}" download>Download ${language.toUpperCase()}</a></div>
<pre class="vm-code__block" tabindex="0"><code id="${id}" class="hljs language-${language}">${trusted(highlightCode(code, language))}</code></pre></div>`;
}

/** JSON and XML tabs for a resource, with copy and download. */
export function dataTabs(a: Artifact, xml: string, json = fhirJson(a.resource)): SafeHtml {
  return tabs(`${a.base}-formats`, 'Formats', [
    { id: 'json', label: 'JSON', content: codeView('json-code', json, 'json', `${a.base}.json`) },
    { id: 'xml', label: 'XML', content: codeView('xml-code', xml, 'xml', `${a.base}.xml`) }
  ]);
}

export function table(head: readonly string[], rows: readonly SafeHtml[], caption?: string): SafeHtml {
  const th = head.map(h => html`<th scope="col" class="nhsuk-table__header">${h}</th>`);
  return html`<div class="nhsuk-table-responsive"><table class="nhsuk-table">${caption ? html`<caption class="nhsuk-table__caption">${caption}</caption>` : ''}<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${th}</tr></thead><tbody class="nhsuk-table__body">${rows}</tbody></table></div>`;
}

export function row(cells: readonly (SafeHtml | string | number | undefined)[]): SafeHtml {
  return html`<tr class="nhsuk-table__row">${joinHtml(cells.map(c => html`<td class="nhsuk-table__cell">${c}</td>`))}</tr>`;
}

export function summaryList(items: [string, SafeHtml | string | undefined][]): SafeHtml {
  const rows = items
    .filter(([, v]) => v !== undefined && v !== '')
    .map(
      ([k, v]) => html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value">${v}</dd></div>`
    );
  return html`<dl class="nhsuk-summary-list">${rows}</dl>`;
}
