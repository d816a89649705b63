/**
 * renderSite: the whole documentation website as an in-memory file map, from the compiled guide,
 * the validation report and the author's pages. Pure: reads only the theme (compiled once per
 * process) and nhsuk-frontend's assets (read once); writing is the stage's job.
 */
import type { CompiledResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { ValidationReport } from '../../model/validation.ts';
import { menuUrlProblem, type MenuItem, type ProjectConfig } from '../../project/config.ts';
import { siteAssets, type SiteFiles } from './assets.ts';
import { html } from './html.ts';
import type { BrokenLink } from './links.ts';
import { checkSite, FINDING_LABELS, type SiteFinding } from './qa/site-check.ts';
import { buildArtifactIndex, type Artifact } from './model.ts';
import { fhirJson } from '../../fhir/json.ts';
import { markdownScope, type Page, type SiteContext } from './page.ts';
import { artifactsPage, tocPage, type TocEntry } from './pages/artifacts.ts';
import { capabilityPage } from './pages/capability.ts';
import { contentPage, contentPages } from './pages/content.ts';
import { examplePage } from './pages/example.ts';
import { downloadsPage, notFoundPage, searchPage, sitemap, type DownloadNames } from './pages/extras.ts';
import { qaPage } from './pages/qa.ts';
import { structurePage } from './pages/structure.ts';
import { buildUsageIndex, usagesSection, type UsageIndex } from './pages/artifact-facts.ts';
import { definitionsPage } from './pages/definitions.ts';
import { canonicalRedirects } from './pages/redirects.ts';
import { codeSystemPage, conceptMapPage, valueSetPage } from './pages/terminology.ts';
import { genericPage } from './pages/generic.ts';
import { groupNavigation, menuUrl } from './navigation.ts';
import { withIntroNotes } from './pages/intro-notes.ts';
import { resolveInclude } from './pages/author.ts';
import { resourceFragment } from './pages/fragment-tag.ts';
import { liquidVariables } from './pages/site-data.ts';
import { renderLiquid } from './liquid.ts';
import { runSqlTags, withSqlResults, type SqlResults } from './sql/tags.ts';
import { pageHtmlName } from '../../project/pages.ts';
import { buildSearchScript } from './search.ts';
import { artifactKeys, searchDocs } from './search-docs.ts';
import { TextMemo } from '../../util/memo.ts';
import type { CheckAssets } from './check/assets.ts';
import { CHECK_PAGE, checkPage } from './pages/check.ts';
import { CHANGES_JSON, CHANGES_PAGE, changesNote, changesPage } from './pages/changes.ts';
import { formatJson } from '../../lib/diff/format.ts';
import type { DiffReport } from '../../lib/diff/model.ts';
import { loadTheme, type Theme } from './templates.ts';
import { toFhirXml } from '../../fhir/xml-writer.ts';
import { zipFiles, ZipReuse } from '../../util/archives.ts';
import { toTurtle, type TypeLookup } from './turtle.ts';
import { profileCsv } from './csv.ts';
import { coreDefinitions } from '../../lib/validator/core-source.ts';
import { igGroups } from './pages/ig-groups.ts';
import { mappingsPage, profileExamplesPage, sourcePage, subPageNames, type SourceFormat } from './pages/ig-subpages.ts';
import { guideOpenApi } from '../../lib/openapi/guide.ts';

export interface SiteInput {
  config: ProjectConfig;
  resources: readonly CompiledResource[];
  implementationGuide?: CompiledResource;
  validation?: ValidationReport;
  /** Page sources (input/pagecontent, input/pages, input/resource-docs) by file name. */
  pageSources: Map<string, string>;
  /** Project-relative path of each page source; `input/pagecontent/{name}` when not given. */
  pageFiles?: Map<string, string>;
  /** input/includes files by name. */
  includes?: Map<string, string>;
  /** `{Type}-{id}-intro` / `-notes` fragments, shown above and below an artifact's generated content. */
  introNotes?: Map<string, { text: string; file: string; format: string }>;
  /** The theme is the toolchain's built-in default (it does not use nhsuk-frontend). */
  builtInTheme?: boolean;
  /** Web location of each package dependency, as `site.data.fhir.ver` names them. */
  dependencyPaths?: Record<string, string>;
  /** The author's data files by `site.data` name (project/data-files.ts). */
  data?: Record<string, unknown>;
  /** input/images/** by path relative to that folder; copied to the site root as the IG Publisher does. */
  images?: Map<string, Uint8Array>;
  /** The package tarball's bytes, when the package stage wrote one. */
  packageTgz?: Uint8Array;
  /**
   * The FHIR package cache holding the core package: its StructureDefinitions describe elements
   * for the Turtle downloads (none without it).
   */
  packageCache?: string;
  /** The theme folder (site/). */
  themeDir: string;
  /** Diagnostics of earlier stages, listed on qa.html. */
  buildDiagnostics?: Diagnostic[];
  /** The "Check a message" page's payload (validator, definitions); no page without it. */
  check?: CheckAssets;
  /** There is a check page although `check` is not given yet (it comes late: see `renderLate`). */
  checkPage?: boolean;
  /** Changes since the previous release (the diff stage): a changes page, and a note on each artifact that changed. */
  changes?: DiffReport;
}

export interface SiteOutput {
  files: SiteFiles;
  /** HTML pages, relative to the site root, sorted. */
  pages: string[];
  brokenLinks: BrokenLink[];
  /** What the site checker found on the rendered pages (links, anchors, images, text left unrendered). */
  findings: SiteFinding[];
  diagnostics: Diagnostic[];
  /** Milliseconds spent per page (artifact pages include their JSON/XML). */
  timings: Map<string, number>;
  /**
   * With `deferred` (the dev loop serves the pages first): what was left, in steps to take in this
   * order, each returning the files it changed; `checks` takes the check page's new payload.
   */
  later?: LaterSteps & { checks(check: CheckAssets | undefined): Refreshed };
}

/** The search index over the pages as they are, then full-ig.zip over every file: each returns the file it made. */
export interface LaterSteps {
  searchIndex(): SiteFiles;
  zip(): SiteFiles;
}

export interface RenderOptions {
  /**
   * The dev loop's re-render of a site it showed before: the search index and full-ig.zip are left
   * out of `files`, and the last render's site-check findings (`findings`) stand in for this
   * one's on the QA page (`input.check` is the last render's payload too), until `later.checks`.
   */
  deferred?: { findings: readonly SiteFinding[] };
}

/** What `later.checks` changed: files written anew, files no longer made, and the site's findings now. */
export interface Refreshed {
  files: SiteFiles;
  removed: string[];
  findings: SiteFinding[];
  brokenLinks: BrokenLink[];
  diagnostics: Diagnostic[];
}

export const SEARCH_INDEX = 'assets/js/search-index.js';
/** The whole site as one zip, the IG Publisher's download name. */
export const FULL_ZIP = 'full-ig.zip';

/** What re-rendering some pages changed: only those files, and the whole site's links and diagnostics. */
export interface Rerendered {
  /** The re-rendered pages. */
  files: SiteFiles;
  brokenLinks: BrokenLink[];
  findings: SiteFinding[];
  diagnostics: Diagnostic[];
  /**
   * The search index over the new pages and full-ig.zip, made when asked for: the dev loop serves
   * the edited page first and brings them up to date right after.
   */
  later: LaterSteps;
}

/**
 * The site renderer of one input: `render()` the whole site, then (the dev loop) `rerender()` the
 * named markdown pages from new sources with everything else as in the last render, returning
 * only the files that change (the pages and the search index).
 */
export interface SiteRenderer {
  render(options?: RenderOptions): SiteOutput;
  /**
   * The same, with the input's `LateInput` replaced by what `late` resolves to, awaited only
   * once the pages are made (the site stage renders while validation runs on another thread).
   */
  renderLate(late: () => Promise<LateInput>, options?: RenderOptions): Promise<SiteOutput>;
  rerender(sources: Map<string, string>, pages: readonly string[]): Rerendered;
}

export function siteRenderer(input: SiteInput): SiteRenderer {
  let last: ((sources: Map<string, string>, pages: readonly string[]) => Rerendered) | undefined;
  // `{% sql %}` answers: queried before the pages are rendered (renderLate), looked up while they are.
  let sql: SqlResults | undefined;
  return {
    render(options = {}) {
      const { output, rerender } = withSqlResults(sql, () => renderWhole(input, options));
      last = rerender;
      return output;
    },
    async renderLate(late, options = {}) {
      sql = await runSqlTags(input);
      const started = withSqlResults(sql, () => startWhole(input));
      const lateInput = await late();
      const { output, rerender } = withSqlResults(sql, () => finishWhole(started, { ...input, ...lateInput }, options));
      last = rerender;
      return output;
    },
    rerender(sources, pages) {
      if (!last) throw new Error('rerender() before render()');
      const rerender = last;
      return withSqlResults(sql, () => rerender(sources, pages));
    }
  };
}

/** The whole site in one call (tests, the bench). */
export function renderSite(input: SiteInput): SiteOutput {
  return siteRenderer(input).render();
}

type ArtifactRenderer = (site: SiteContext, a: Artifact, xml: string) => Page;

const RENDERERS: Record<Artifact['kind'], ArtifactRenderer> = {
  profile: structurePage,
  extension: structurePage,
  logical: structurePage,
  valueset: valueSetPage,
  codesystem: codeSystemPage,
  conceptmap: conceptMapPage,
  capability: capabilityPage,
  'other-definition': genericPage,
  example: examplePage
};

/** What a site reads only once its pages are made: the stages that may still be running then. */
export type LateInput = Pick<SiteInput, 'validation' | 'packageTgz' | 'buildDiagnostics' | 'check'>;

type Whole = { output: SiteOutput; rerender: (sources: Map<string, string>, pages: readonly string[]) => Rerendered };

function renderWhole(input: SiteInput, options: RenderOptions = {}): Whole {
  return finishWhole(startWhole(input), input, options);
}

/** The bulk of a render, which needs none of `LateInput`: the theme, the artifact and content pages, the zips. */
function startWhole(input: SiteInput) {
  const theme = loadTheme(input.themeDir);
  const index = buildArtifactIndex(input.resources, input.implementationGuide?.resource);
  const openApi = guideOpenApi(input.resources).openApi;
  const checking = input.checkPage ?? Boolean(input.check);
  const generated = [...(openApi ? [openApi.fileName] : []), ...(input.changes ? [CHANGES_PAGE, CHANGES_JSON] : [])];
  const turtles = turtlesOf(index.artifacts, input.config.canonical, input.packageCache);
  const csvs = csvsOf(index.artifacts);
  const downloads = [...[...turtles.keys()].map(base => `${base}.ttl`), ...csvs.keys(), ...generatedDownloads(turtles.size > 0, csvs.size > 0)];
  const pageNames = localPages(index.artifacts, input.pageSources, [...(input.images?.keys() ?? []), ...generated, ...downloads], checking, a =>
    formatsOf(a, turtles)
  );
  const site: SiteContext = {
    config: input.config,
    index,
    // Both set by finishWhole, from the late input.
    validation: undefined,
    hasPackage: false,
    pageSources: input.pageSources,
    localPages: pageNames,
    checkPage: checking ? CHECK_PAGE : undefined,
    markdownScope: markdownScope(pageNames),
    diagnostics: [],
    openApi,
    pageFiles: input.pageFiles,
    includes: input.includes,
    introNotes: input.introNotes,
    data: input.data,
    dependencyPaths: input.dependencyPaths,
    images: input.images,
    implementationGuide: input.implementationGuide?.resource,
    changes: input.changes
  };
  site.pageTitles = new Map(contentPages(site).map(p => [pageHtmlName(p.file), p.title]));
  site.resourceLiquid = resourceLiquid(site);
  const files: SiteFiles = new Map([...siteAssets(input.themeDir, { nhsuk: !input.builtInTheme }), ...(input.images ?? [])]);
  const searchScript = () => buildSearchScript(searchDocs(pages));
  const timings = new Map<string, number>();
  const timed = (name: string, make: () => Page): Page => {
    const started = performance.now();
    const page = make();
    timings.set(name, performance.now() - started);
    return page;
  };
  const usages = buildUsageIndex(index);
  for (const [base, ttl] of turtles) files.set(`${base}.ttl`, ttl);
  for (const [name, csv] of csvs) files.set(name, csv);
  const pages = [
    ...contentPages(site).map(p => timed(pageHtmlName(p.file), () => contentPage(site, p))),
    ...index.artifacts.map(a => timed(a.page, () => artifactPage(site, a, files, usages))),
    ...index.artifacts.filter(a => RENDERERS[a.kind] === structurePage).map(a => definitionsPage(site, a)),
    ...index.artifacts.flatMap(a => subPages(site, a, files, turtles)),
    searchPage(),
    notFoundPage(input.config.canonical),
    ...(input.changes ? [changesPage(site, input.changes)] : [])
  ];
  if (input.changes) files.set(CHANGES_JSON, formatJson(input.changes));
  const zips = addZips(site, files, input.config, turtles, csvs);
  return { theme, index, openApi, site, files, searchScript, timings, pages, zips };
}

/** The rest, with the validation report, the package and the build's messages (`late`). */
function finishWhole(started: ReturnType<typeof startWhole>, input: SiteInput, options: RenderOptions): Whole {
  const { theme, index, openApi, site, files, searchScript, timings, pages, zips } = started;
  site.validation = input.validation;
  site.hasPackage = Boolean(input.packageTgz);
  if (input.check) {
    for (const [path, text] of input.check.files) files.set(path, text);
    pages.push(checkPage(site, input.check));
  }
  // An author's own artifacts.md or downloads.md is used: the generated list follows its text.
  for (const generated of [artifactsPage(site), downloadsPage(site, zips)]) {
    const own = pages.findIndex(p => p.path === generated.path);
    if (own < 0) pages.push(generated);
    else pages[own] = { ...pages[own]!, body: html`${pages[own]!.body}${generated.body}`, toc: [...(pages[own]!.toc ?? []), ...(generated.toc ?? [])] };
  }
  if (!pages.some(p => p.path === 'index.html')) pages.unshift(defaultHome(site));
  pages.push(tocPage(tocEntries(site, pages)));
  if (input.packageTgz) files.set('package.tgz', input.packageTgz);
  if (openApi) files.set(openApi.fileName, openApi.text);
  for (const [path, text] of canonicalRedirects(input.config.canonical, index.artifacts, input.implementationGuide?.resource)) files.set(path, text);
  for (const page of pages) files.set(page.path, layoutPage(theme, site, page));
  const checkOnce = () => checkFiles(files, ['qa.html', SEARCH_INDEX, FULL_ZIP]);
  let findings: readonly SiteFinding[] = options.deferred?.findings ?? checkOnce();
  const brokenLinks = linkFindings(findings);
  /** The QA page over `found`, in place of the one before. */
  const placeQa = (found: readonly SiteFinding[]) => {
    const qa = qaPage(site, found, input.buildDiagnostics ?? [], (page: string) => sourceFileOf(site, page));
    const html = layoutPage(theme, site, qa);
    files.set(qa.path, html);
    replacePage(pages, qa);
    return [qa.path, html] as const;
  };
  placeQa(findings);
  const later: LaterSteps = {
    // The search index over the pages as they are now.
    searchIndex: () => {
      files.set(SEARCH_INDEX, searchScript());
      return new Map([[SEARCH_INDEX, files.get(SEARCH_INDEX)!]]);
    },
    // The whole site, zipped: made last, from the files in memory, once the search index is there.
    zip: () => {
      files.delete(FULL_ZIP);
      const zip = zipFiles(files, { fast: true, reuse: fullZipEntries });
      files.set(FULL_ZIP, zip);
      return new Map([[FULL_ZIP, zip]]);
    }
  };
  const htmlPages = pages.map(p => p.path).sort();
  files.set(
    'sitemap.xml',
    sitemap(
      input.config.canonical,
      htmlPages.filter(p => p !== '404.html')
    )
  );
  if (!options.deferred) {
    later.searchIndex();
    later.zip();
  }
  let diagnostics = [...site.diagnostics, ...findingDiagnostics(findings, site)];
  const rerender = (sources: Map<string, string>, names: readonly string[]): Rerendered => {
    const changed: SiteFiles = new Map();
    site.diagnostics = [];
    for (const name of names) {
      if (!sources.has(name)) continue;
      site.pageSources.set(name, sources.get(name)!);
      const entry = contentPages(site).find(p => p.file === name);
      if (!entry) continue;
      const page = contentPage(site, entry);
      replacePage(pages, page);
      const html = layoutPage(theme, site, page);
      files.set(page.path, html);
      changed.set(page.path, html);
    }
    // Links are checked across the whole site: an edited page can break anchors other pages use.
    const found = checkFiles(files, ['qa.html', SEARCH_INDEX, FULL_ZIP]);
    const touched = new Set(names.flatMap(n => [site.pageFiles?.get(n) ?? `input/pagecontent/${n}`, `build/site/${pageHtmlName(n)}`]));
    const kept = diagnostics.filter(d => !SITE_CHECK_RULES.has(d.rule ?? '') && !touched.has(d.location?.file ?? ''));
    diagnostics = [...kept, ...site.diagnostics, ...findingDiagnostics(found, site)];
    return { files: changed, brokenLinks: linkFindings(found), findings: found, diagnostics, later };
  };
  /** The check page's new payload in place of the last, the site check and QA page anew. */
  const checks = (check: CheckAssets | undefined): Refreshed => {
    const changed: SiteFiles = new Map();
    const removed: string[] = [];
    if (check && input.check) {
      for (const path of input.check.files.keys()) if (!check.files.has(path) && files.delete(path)) removed.push(path);
      for (const [path, text] of check.files) {
        if (files.get(path) !== text) changed.set(path, text);
        files.set(path, text);
      }
      const page = checkPage(site, check);
      const html = layoutPage(theme, site, page);
      replacePage(pages, page);
      if (files.get(page.path) !== html) changed.set(page.path, html);
      files.set(page.path, html);
    }
    findings = checkOnce();
    const [qaPath, qaHtml] = placeQa(findings);
    changed.set(qaPath, qaHtml);
    diagnostics = [...diagnostics.filter(d => !SITE_CHECK_RULES.has(d.rule ?? '')), ...findingDiagnostics(findings, site)];
    return { files: changed, removed, findings: [...findings], brokenLinks: linkFindings(findings), diagnostics };
  };
  const output: SiteOutput = { files: sortedFiles(files), pages: htmlPages, brokenLinks, findings: [...findings], diagnostics, timings };
  return { output: options.deferred ? { ...output, later: { ...later, checks } } : output, rerender };
}

/** The last full-ig.zip's entries: made again after a dev edit, it deflates only the files that changed. */
const fullZipEntries = new ZipReuse();

/** Put `page` in place of the page of the same path (or last, when there is none). */
function replacePage(pages: Page[], page: Page): void {
  const at = pages.findIndex(p => p.path === page.path);
  if (at < 0) pages.push(page);
  else pages[at] = page;
}

/**
 * Liquid in resource text, rendered as on a page (the same `site.data` variables and includes),
 * once per distinct text. Text that is not valid Liquid is left as written, never half-rendered.
 */
function resourceLiquid(site: SiteContext): NonNullable<SiteContext['resourceLiquid']> {
  const done = new Map<string, { text: string; placed: readonly string[] } | undefined>();
  return text => {
    if (done.has(text)) return done.get(text);
    const out = renderLiquid(text, {
      file: '',
      variables: liquidVariables(site, 'index.html'),
      resolveInclude: name => resolveInclude(site, name),
      resolveFragment: args => resourceFragment(site, args)
    });
    const result = out.diagnostics.some(d => d.rule === 'site-liquid') ? undefined : { text: out.text, placed: out.placed };
    // Reported once per text, at the first resource that holds it: an include refused in a
    // description is never silent.
    if (out.diagnostics.length > 0) {
      const holder = site.index.artifacts.find(a => JSON.stringify(a.resource).includes(JSON.stringify(text).slice(1, -1)))?.compiled;
      const file = holder ? (holder.predefined ?? holder.source?.file ?? `fsh-generated/resources/${holder.fileName}`) : undefined;
      const line = holder && !holder.predefined ? holder.source?.startLine : undefined;
      for (const d of out.diagnostics)
        site.diagnostics.push({ ...d, message: `${d.message} (in the resource's text)`, location: file ? { file, line } : undefined });
    }
    done.set(text, result);
    return result;
  };
}

/** XML by the resource's JSON: a dev re-render converts only the resources that changed. */
const xmlTexts = new TextMemo<string>(32 * 1024 * 1024);

function artifactPage(site: SiteContext, a: Artifact, files: SiteFiles, usages: UsageIndex): Page {
  const json = fhirJson(a.resource);
  const xml = xmlTexts.get(json, () => toFhirXml(a.resource));
  files.set(`${a.base}.json`, json);
  files.set(`${a.base}.xml`, xml);
  const page = withIntroNotes(site, a, RENDERERS[a.kind](site, a, xml));
  // Every artifact says what uses it (placed after the page's own sections).
  return {
    ...page,
    searchKeys: artifactKeys(a),
    body: html`${changesNote(site.changes, a)}${page.body}${usagesSection(a, usages)}`,
    toc: page.toc && [...page.toc, { level: 2, id: 'usages', text: 'Usages' }]
  };
}

/**
 * Pages FHIR markdown may link to relatively. toc, qa, index and downloads are left out: the base
 * specification has pages of those names, and inherited definitions link to them.
 */
const MARKDOWN_TARGETS = ['artifacts.html', 'searchform.html'];

function localPages(
  artifacts: Artifact[],
  sources: Map<string, string>,
  images: Iterable<string>,
  check: boolean,
  formats: (a: Artifact) => SourceFormat[]
): Set<string> {
  const pages = [...MARKDOWN_TARGETS, FULL_ZIP, ...images, ...[...sources.keys()].map(pageHtmlName), ...(check ? [CHECK_PAGE] : [])];
  return new Set([...pages, ...artifacts.flatMap(a => [a.page, `${a.base}.json`, `${a.base}.xml`, ...subPageNames(a, formats(a))])]);
}

/** The formats an artifact's source is shown in: JSON and XML, and Turtle when it has one. */
function formatsOf(a: Artifact, turtles: ReadonlyMap<string, string>): SourceFormat[] {
  return turtles.has(a.base) ? ['json', 'xml', 'ttl'] : ['json', 'xml'];
}

/** The IG Publisher's sub-pages of an artifact: its source in each format, a profile's examples and mappings. */
function subPages(site: SiteContext, a: Artifact, files: SiteFiles, turtles: ReadonlyMap<string, string>): Page[] {
  const sources = formatsOf(a, turtles).map(f => sourcePage(a, f, f === 'ttl' ? turtles.get(a.base)! : String(files.get(`${a.base}.${f}`))));
  return [...[profileExamplesPage(site, a), mappingsPage(site, a)].filter((p): p is Page => p !== undefined), ...sources];
}

/** Turtle by canonical base and JSON: a dev re-render converts only what changed. */
const turtleTexts = new TextMemo<string>(32 * 1024 * 1024);

/**
 * `{Type}-{id}.ttl` of every artifact the core definitions describe fully, by artifact base
 * (none without the package cache: the element definitions come from the core package).
 */
function turtlesOf(artifacts: readonly Artifact[], canonical: string, packageCache: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!packageCache) return out;
  let lookup: TypeLookup;
  try {
    const defs = coreDefinitions(packageCache);
    lookup = type => defs.get(`http://hl7.org/fhir/StructureDefinition/${type}`);
  } catch {
    return out;
  }
  for (const a of artifacts) {
    // '' marks a resource that has no Turtle (a type or element R4 lacks).
    const ttl = turtleTexts.get(`${canonical}\n${fhirJson(a.resource)}`, () => toTurtle(a.resource, canonical, lookup) ?? '');
    if (ttl) out.set(a.base, ttl);
  }
  return out;
}

/** The IG Publisher's CSV of every StructureDefinition with a snapshot, by file name. */
function csvsOf(artifacts: readonly Artifact[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of artifacts) {
    if (a.resource.resourceType !== 'StructureDefinition') continue;
    const csv = profileCsv(a.resource);
    if (csv) out.set(`${a.base}.csv`, csv);
  }
  return out;
}

function generatedDownloads(turtle: boolean, csv: boolean): string[] {
  return [...(turtle ? ['definitions.ttl.zip', 'examples.ttl.zip'] : []), ...(csv ? ['csvs.zip'] : [])];
}

/**
 * The downloads: every resource as JSON and as XML, and the IG Publisher's own download names
 * (`definitions.json.zip`, `examples.xml.zip`...) that its guides' pages link to. Each resource is
 * deflated once (util/archives.ts), so the split zips cost little more than the whole ones.
 */
function addZips(
  site: SiteContext,
  files: SiteFiles,
  config: ProjectConfig,
  turtles: ReadonlyMap<string, string>,
  csvs: ReadonlyMap<string, string>
): DownloadNames {
  const names = { json: `${config.packageId}-json.zip`, xml: `${config.packageId}-xml.zip` };
  const of = (list: Artifact[], ext: 'json' | 'xml') => new Map(list.map(a => [`${a.base}.${ext}`, String(files.get(`${a.base}.${ext}`))]));
  const all = site.index.artifacts;
  const examples = all.filter(a => a.kind === 'example');
  const definitions = all.filter(a => a.kind !== 'example');
  for (const ext of ['json', 'xml'] as const) {
    files.set(names[ext], zipFiles(of(all, ext)));
    files.set(`definitions.${ext}.zip`, zipFiles(of(definitions, ext)));
    files.set(`examples.${ext}.zip`, zipFiles(of(examples, ext)));
  }
  const ttl = (list: Artifact[]) => new Map(list.filter(a => turtles.has(a.base)).map(a => [`${a.base}.ttl`, turtles.get(a.base)!]));
  if (turtles.size) {
    files.set('definitions.ttl.zip', zipFiles(ttl(definitions)));
    files.set('examples.ttl.zip', zipFiles(ttl(examples)));
  }
  if (csvs.size) files.set('csvs.zip', zipFiles(csvs));
  return { ...names, turtle: turtles.size > 0, csv: csvs.size > 0 };
}

function defaultHome(site: SiteContext): Page {
  return contentPage(
    { ...site, pageSources: new Map([['index.md', escapeMarkdown(site.config.description || site.config.title)]]) },
    { file: 'index.md', title: 'Home' }
  );
}

/** Config text shown as a page: no Liquid, no raw HTML. */
function escapeMarkdown(text: string): string {
  return text.replace(/[<>&{}%]/g, c => `&#${c.charCodeAt(0)};`);
}

function tocEntries(site: SiteContext, pages: Page[]): TocEntry[] {
  const content = contentPages(site).map(p => ({ href: pageHtmlName(p.file), title: p.title }));
  const groups = igGroups(site).map(g => ({
    href: `artifacts.html#${g.anchors[0]!}`,
    title: g.name,
    children: g.artifacts.map(a => ({ href: a.page, title: a.title }))
  }));
  const has = (p: string) => pages.some(x => x.path === p);
  return [
    ...(content.some(c => c.href === 'index.html') ? [] : [{ href: 'index.html', title: 'Home' }]),
    ...content,
    { href: 'artifacts.html', title: 'Artifacts', children: groups },
    ...(has('downloads.html') ? [{ href: 'downloads.html', title: 'Downloads' }] : []),
    { href: 'qa.html', title: 'Quality report' },
    { href: 'searchform.html', title: 'Search' }
  ];
}

export function menuItems(config: ProjectConfig, current: string, liquid?: SiteContext['resourceLiquid']): { label: string; href: string; current: boolean }[] {
  const menu: MenuItem[] = config.menu.length
    ? config.menu
    : [
        { label: 'Home', url: 'index.html', children: [] },
        { label: 'Artifacts', url: 'artifacts.html', children: [] }
      ];
  // Unsafe URLs are config errors already; never render one even if a config skipped that check.
  const urls = (m: MenuItem): string[] => {
    const url = m.url === undefined ? undefined : menuUrl(m.url, liquid);
    return [...(url && !menuUrlProblem(url) ? [url] : []), ...m.children.flatMap(urls)];
  };
  // A group links to its first page and is current on any of its pages (the header has one level).
  return menu.flatMap(m => {
    const all = urls(m);
    return all.length ? [{ label: m.label, href: all[0]!, current: all.includes(current) }] : [];
  });
}

function layoutPage(theme: Theme, site: SiteContext, page: Page): string {
  const c = site.config;
  const breadcrumbs = page.path === 'index.html' ? [] : [{ label: 'Home', href: 'index.html' }, ...(page.parents ?? [])];
  return theme.render(page.layout ?? 'page', {
    title: page.title,
    pageTitle: page.path === 'index.html' ? c.title : `${page.title} - ${c.title}`,
    siteTitle: c.title,
    siteDescription: c.description,
    version: c.version,
    status: c.status,
    date: c.date,
    fhirVersion: c.fhirVersion,
    banner: releaseBanner(c),
    packageId: c.packageId,
    publisher: c.publisher,
    license: c.license,
    menu: menuItems(c, page.path, site.resourceLiquid),
    breadcrumbs,
    baseHref: page.baseHref,
    sideNav: groupNavigation(c, page.path, site.resourceLiquid),
    toc: page.toc && page.toc.filter(h => h.level === 2).length > 1 ? page.toc.filter(h => h.level <= 3) : undefined,
    body: page.body
  });
}

/**
 * The banner every page of the default theme shows, as HL7 guides say what they are: a CI build
 * (sushi-config `releaseLabel` `ci-build`, or none) or a release (any other label: `STU 1`,
 * `ballot`...), with the version, status and date.
 */
export function releaseBanner(c: ProjectConfig): { text: string; release: boolean } {
  const given = c.raw?.releaseLabel;
  const label = typeof given === 'string' ? given.trim() : '';
  const release = label !== '' && !/^ci[- ]?build$/i.test(label);
  const facts = [`version ${c.version || 'unversioned'}`, ...(c.status ? [`status ${c.status}`] : []), ...(c.date ? [c.date] : [])].join(', ');
  const text = release
    ? `${c.title}: ${label} release (${facts}).`
    : `${c.title}: continuous integration build (${facts}). This is not an authorised publication; it may change at any time.`;
  return { text, release };
}

/** The site checker over the rendered files: pages are the HTML files, every other file a link target. */
function checkFiles(files: SiteFiles, pending: readonly string[]): SiteFinding[] {
  const pages = new Map<string, string>();
  const other = new Set<string>();
  for (const [path, content] of files) {
    if (path.endsWith('.html') && typeof content === 'string') pages.set(path, content);
    else other.add(path);
  }
  return checkSite(pages, other, { pending });
}

function linkFindings(findings: readonly SiteFinding[]): BrokenLink[] {
  return findings.filter(f => f.target !== undefined && f.kind !== 'missing-image').map(f => ({ page: f.page, href: f.target! }));
}

const RULES: Record<SiteFinding['kind'], string> = {
  'broken-link': 'site-broken-link',
  'broken-anchor': 'site-broken-link',
  'missing-image': 'site-missing-image',
  'literal-liquid': 'site-literal-liquid',
  'literal-kramdown': 'site-literal-kramdown',
  'escaped-markup': 'site-escaped-markup'
};

const SITE_CHECK_RULES = new Set(Object.values(RULES));

/** The author's source file of a rendered page, when it has one (a content page, or an artifact's intro/notes). */
function sourceFileOf(site: SiteContext, page: string): string | undefined {
  const source = [...site.pageSources.keys()].find(f => pageHtmlName(f) === page);
  return source ? (site.pageFiles?.get(source) ?? `input/pagecontent/${source}`) : undefined;
}

/** Where `text` (a link's target, a finding's excerpt) is in the page's source, when it is there as written. */
function lineInSource(site: SiteContext, page: string, text: string): { line?: number; column?: number } {
  const name = [...site.pageSources.keys()].find(f => pageHtmlName(f) === page);
  const lines = name ? (site.pageSources.get(name) ?? '').split('\n') : [];
  const at = text ? lines.findIndex(l => l.includes(text)) : -1;
  return at < 0 ? {} : { line: at + 1, column: lines[at]!.indexOf(text) + 1 };
}

/** One located warning per finding: the source page when there is one, else the rendered page with its line. */
function findingDiagnostics(findings: readonly SiteFinding[], site: SiteContext): Diagnostic[] {
  return findings.map(f => {
    const source = sourceFileOf(site, f.page);
    const location = source ? { file: source, ...lineInSource(site, f.page, f.target ?? f.detail) } : { file: `build/site/${f.page}`, line: f.line };
    const message =
      f.kind === 'broken-link' || f.kind === 'broken-anchor' ? `broken link '${f.detail}' on ${f.page}` : `${FINDING_LABELS[f.kind]} on ${f.page}: ${f.detail}`;
    return { severity: 'warning', rule: RULES[f.kind], message, location };
  });
}

function sortedFiles(files: SiteFiles): SiteFiles {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
