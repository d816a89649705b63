/**
 * The site stage: renders the website from the in-memory context (compiled guide, validation
 * report, config, pages) and swaps it atomically into build/site.
 */
import { join, relative } from 'node:path';
import type { AfterReloadOutcome, AfterReloadWork, BuildContext, StageOutcome, StageRun } from '../../pipeline/context.ts';
import { escapeControl, type Diagnostic } from '../../model/diagnostics.ts';
import { readSourceTree } from '../../project/files.ts';
import { parseMenuXml } from '../../project/menu-xml.ts';
import { readProjectPages } from '../../project/pages.ts';
import { dataFolders, implementationGuideParameters, readProjectData } from '../../project/data-files.ts';
import { dependencyWebPaths, type DependsOn } from '../../fhir/dependency-packages.ts';
import { LayeredPackageCache } from '../../fhir/package-cache.ts';
import { FULL_ZIP, SEARCH_INDEX, siteRenderer, type SiteOutput, type SiteRenderer } from './site.ts';
import { startRenderBudget } from './liquid.ts';
import { sqlTagsChanged } from './sql/tags.ts';
import { ThemeError } from './templates.ts';
import { chooseTheme } from './theme.ts';
import { buildCheckAssets, type CheckAssets, type CheckAssetsInput } from './check/assets.ts';
import { readCheckErrors } from './check/samples.ts';
import { updateSite, writeFilesInPlace, writeSiteAtomically } from './write.ts';
import { noteWrittenTree } from './written-tree.ts';
import type { SiteFiles } from './assets.ts';
import { existsSync, rmSync } from 'node:fs';
import { outputPath } from '../../util/atomic.ts';
import type { SiteFinding } from './qa/site-check.ts';

/** The last full render of each context, so a page edit in the dev loop re-renders only that page. */
const lastRender = new WeakMap<BuildContext, SiteRenderer>();
/**
 * The files of the last site each context wrote (a dev session's): its next full render writes
 * only what changed, as long as build/site is still the folder that render left.
 */
const lastWritten = new WeakMap<BuildContext, Written>();

interface Written {
  files: SiteFiles;
  pages: string[];
  /** The site check's findings over these files, and the check page's payload they carry. */
  findings?: readonly SiteFinding[];
  check?: CheckAssets;
}

export const renderStage: StageRun = async ctx => {
  noteWrittenTree(ctx, undefined);
  // One Liquid render budget per run of the stage, whatever the number of pages.
  startRenderBudget();
  return ctx.pagesChanged ? renderPages(ctx, ctx.pagesChanged) : renderAll(ctx);
};

/**
 * After a dev session's first site came from the build cache: render it once in memory (nothing
 * is written; build/site already holds these files, which the cache verified), so the session's
 * next page edit re-renders that page only.
 */
export async function primeSiteRenderer(ctx: BuildContext): Promise<void> {
  if (!lastRender.has(ctx) && ctx.sitePages) await renderAll(ctx, { write: false });
}

async function renderAll(ctx: BuildContext, options: { write?: boolean } = {}): Promise<StageOutcome> {
  if (!ctx.compiled) return { diagnostics: [], summary: 'nothing compiled, no site' };
  // This render makes everything again: work an earlier one left undone is let go now, and with it
  // that render's pages and files, rather than held while this one makes its own.
  dropLeftWork(ctx, ['refresh', 'index']);
  const sourceProblems: Diagnostic[] = [];
  const sources = { root: ctx.paths.root, diagnostics: sourceProblems };
  const errors = readCheckErrors(join(ctx.paths.input, 'check-errors'));
  const resources = ctx.compiled.resources;
  const project = readProjectPages(ctx.paths.root);
  const data = readProjectData(
    ctx.paths.root,
    dataFolders(ctx.config.raw.parameters, implementationGuideParameters(ctx.compiled.implementationGuide?.resource))
  );
  project.diagnostics.push(...data.diagnostics);
  const theme = chooseTheme(ctx.paths.theme);
  const menuXml = project.includes.get('menu.xml');
  let renderer: SiteRenderer;
  let output: SiteOutput;
  // A dev session's next full render updates the site it wrote last (only changed files); the
  // site check, the check page's payload, the search index and full-ig.zip of the last render
  // stand in until the pages have been reloaded (the `later` steps, then `refreshChecks`).
  const previous = lastWritten.get(ctx);
  const update = previous !== undefined && ctx.sitePages === previous.pages && existsSync(ctx.paths.site);
  const previousIndex = previous?.files.get(SEARCH_INDEX);
  const standIn = update && ctx.afterReload !== undefined && previousIndex !== undefined ? previous : undefined;
  const checkInput = { packageCache: ctx.paths.packageCache, resources, errors: errors.samples };
  let check: CheckAssets | undefined;
  try {
    renderer = siteRenderer({
      config: menuXml === undefined ? ctx.config : { ...ctx.config, menu: parseMenuXml(menuXml) },
      resources: ctx.compiled.resources,
      implementationGuide: ctx.compiled.implementationGuide,
      pageSources: project.pages,
      pageFiles: project.files,
      includes: project.includes,
      introNotes: project.introNotes,
      data: data.data,
      dependencyPaths: dependencyPathsOf(ctx),
      images: readImages(join(ctx.paths.input, 'images'), sources),
      themeDir: theme.dir,
      packageCache: ctx.paths.packageCache,
      builtInTheme: theme.builtIn,
      checkPage: true,
      changes: ctx.changes
    });
    // The pages are made first; then the check page's payload, while validation may still run on
    // another thread; then the validation report and the package are read for the QA and
    // downloads pages.
    const late = async () => {
      check = standIn?.check ?? (await buildCheckAssets(checkInput));
      await ctx.ready?.('site');
      return { validation: ctx.validation, packageTgz: ctx.packageBytes, buildDiagnostics: ctx.buildDiagnostics, check };
    };
    const findings = standIn?.check ? standIn.findings : undefined;
    output = await renderer.renderLate(late, findings ? { deferred: { findings } } : {});
  } catch (e) {
    if (!(e instanceof ThemeError)) throw e;
    const file = relative(ctx.paths.root, e.file).split('\\').join('/');
    const diagnostic: Diagnostic = {
      severity: 'error',
      rule: 'site-theme',
      message: `theme: ${e.message}; the previous site is left as it was`,
      location: { file, line: e.line, column: e.column }
    };
    return { diagnostics: [...sourceProblems, ...errors.diagnostics, ...project.diagnostics, diagnostic], summary: 'no site: the theme has an error' };
  }
  if (options.write === false) {
    lastWritten.set(ctx, { files: output.files, pages: ctx.sitePages ?? output.pages, findings: output.findings, check });
    lastRender.set(ctx, renderer);
    return { diagnostics: [], summary: 'rendered in memory' };
  }
  const previousZip = previous?.files.get(FULL_ZIP);
  const files = output.later
    ? new Map([...output.files, [SEARCH_INDEX, previousIndex!], ...(previousZip === undefined ? [] : [[FULL_ZIP, previousZip] as const])])
    : output.files;
  if (update) updateSite(previous.files, files, ctx.paths.site);
  // The build cache keeps a new site by the hashes of what was written: no need to read 40 MB back.
  else noteWrittenTree(ctx, writeSiteAtomically(files, ctx.paths.site));
  const written: Written = { files, pages: output.pages, findings: output.findings, check };
  lastWritten.set(ctx, written);
  const pageProblems = [...sourceProblems, ...errors.diagnostics, ...project.diagnostics];
  const later = output.later;
  // After the reload, in steps (the session stops between them when a new change comes).
  if (later)
    leaveForAfterReload(ctx, 'refresh', [
      () => refreshChecks(ctx, written, later.checks, checkInput, pageProblems),
      () => writeInPlace(ctx, later.searchIndex()),
      () => writeInPlace(ctx, later.zip())
    ]);
  lastRender.set(ctx, renderer);
  ctx.sitePages = output.pages;
  const broken = output.brokenLinks.length;
  const other = output.findings.length - broken;
  const theme_ = (other ? `, ${other} other site-check findings (qa.html)` : '') + (theme.builtIn ? ', built-in theme' : '');
  return {
    diagnostics: [...pageProblems, ...output.diagnostics],
    summary: `${output.pages.length} pages, ${broken} broken links${theme_}`
  };
}

/**
 * After the reload, what a dev render left standing in: the check page's payload for the new
 * resources, the site check and QA page over the new pages. The site stage's messages are
 * replaced by the new ones.
 */
async function refreshChecks(
  ctx: BuildContext,
  written: Written,
  checks: NonNullable<SiteOutput['later']>['checks'],
  checkInput: CheckAssetsInput,
  pageProblems: Diagnostic[]
): Promise<AfterReloadOutcome> {
  const check = await buildCheckAssets(checkInput);
  const done = checks(check);
  writeInPlace(ctx, done.files);
  for (const path of done.removed) {
    written.files.delete(path);
    rmSync(outputPath(ctx.paths.site, path), { force: true });
  }
  written.findings = done.findings;
  written.check = check;
  return { stage: 'site', diagnostics: [...pageProblems, ...done.diagnostics], pages: [...done.files.keys()].filter(p => p.endsWith('.html')) };
}

/**
 * Re-render only the named markdown pages (file names in input/pagecontent) and the search index,
 * after a full render of the same context; the whole site otherwise.
 */
async function renderPages(ctx: BuildContext, pages: readonly string[]): Promise<StageOutcome> {
  const last = lastRender.get(ctx);
  const sources = readProjectPages(ctx.paths.root).pages;
  // A page with a new `{% sql %}` query: its answer comes from a full render, which runs the queries first.
  if (!last || pages.some(p => !sources.has(p)) || sqlTagsChanged(pages.map(p => sources.get(p)!))) return renderAll(ctx);
  const { files, brokenLinks, diagnostics, later } = last.rerender(sources, pages);
  writeInPlace(ctx, files);
  // The search index and zip (most of a page edit's time) wait until the dev server has reloaded the page.
  const steps = [() => writeInPlace(ctx, later.searchIndex()), () => writeInPlace(ctx, later.zip())];
  if (ctx.afterReload) leaveForAfterReload(ctx, 'index', steps);
  else for (const step of steps) step();
  return { diagnostics, summary: `${files.size} pages re-rendered, ${brokenLinks.length} broken links` };
}

/**
 * The work a context's renders left for after the reload and that has not run yet (the dev session
 * went on to a newer change first): a full render's `refresh`, a page edit's search index.
 */
const leftForAfterReload = new WeakMap<BuildContext, Map<'refresh' | 'index', AfterReloadWork[]>>();

/**
 * Leave work for after the reload in place of the same kind of work an earlier render left. A
 * page edit's search index never replaces a full render's refresh, which also brings the check
 * page and the site check up to date (and its index covers the edited page too).
 */
function leaveForAfterReload(ctx: BuildContext, kind: 'refresh' | 'index', work: AfterReloadWork[]): void {
  dropLeftWork(ctx, [kind]);
  ctx.afterReload!.push(...work);
  const left = leftForAfterReload.get(ctx) ?? new Map<'refresh' | 'index', AfterReloadWork[]>();
  leftForAfterReload.set(ctx, left.set(kind, work));
}

/** Forget work of these kinds an earlier render left and that has not run (with it, that render's state). */
function dropLeftWork(ctx: BuildContext, kinds: readonly ('refresh' | 'index')[]): void {
  const left = leftForAfterReload.get(ctx);
  for (const kind of kinds) {
    for (const work of left?.get(kind) ?? []) {
      const at = ctx.afterReload ? ctx.afterReload.indexOf(work) : -1;
      if (at >= 0) ctx.afterReload!.splice(at, 1);
    }
    left?.delete(kind);
  }
}

/** Write some files into the site a context wrote last, and record them as written. */
function writeInPlace(ctx: BuildContext, changed: SiteFiles): void {
  writeFilesInPlace(changed, ctx.paths.site);
  const written = lastWritten.get(ctx);
  if (written) for (const [path, content] of changed) written.files.set(path, content);
}

export interface SourceOptions {
  /** The project root: links resolving outside it are never followed (default: the folder itself). */
  root?: string;
  /** Receives a diagnostic for every file that was refused or could not be read. */
  diagnostics?: Diagnostic[];
}

/**
 * A page file name becomes a relative URL (`{name}.html`) in the menu, TOC, search and dev pages:
 * only letters, digits, '.', '-' and '_' are accepted, so it can never read as `javascript:` or
 * break out of an attribute.
 */
export function pageNameProblem(file: string): string | undefined {
  return /^[\p{L}\p{N}_][\p{L}\p{N}._-]*\.md$/u.test(file)
    ? undefined
    : `the page name '${escapeControl(file)}' cannot become a safe link: use only letters, digits, '.', '-' and '_'`;
}

/** input/pagecontent/*.md, sorted by name; unsafe names, links out of the project, FIFOs are refused. */
export function readPageSources(dir: string, options: SourceOptions = {}): Map<string, string> {
  const root = options.root ?? dir;
  const { files, diagnostics } = readSourceTree(dir, { root, accept: name => name.endsWith('.md') });
  const pages = new Map<string, string>();
  for (const [name, content] of files) {
    const problem = pageNameProblem(name);
    const file = relative(root, join(dir, name)).split('\\').join('/');
    if (problem) diagnostics.push({ severity: 'error', rule: 'page-name', message: `${problem}; the page was left out`, location: { file } });
    else pages.set(name, content.toString('utf8'));
  }
  options.diagnostics?.push(...diagnostics);
  return pages;
}

/** input/images/**, by path relative to that folder (forward slashes), sorted. */
export function readImages(dir: string, options: SourceOptions = {}): Map<string, Uint8Array> {
  const { files, diagnostics } = readSourceTree(dir, { root: options.root ?? dir, recursive: true });
  options.diagnostics?.push(...diagnostics);
  return new Map(files);
}

/**
 * `site.data.fhir.ver`: the guide's dependencies (the ImplementationGuide's dependsOn, else the
 * configuration's) at the versions the compile loaded, by their web location.
 */
function dependencyPathsOf(ctx: BuildContext): Record<string, string> {
  const ig: unknown = ctx.compiled?.implementationGuide?.resource;
  const declared = typeof ig === 'object' && ig !== null && 'dependsOn' in ig && Array.isArray(ig.dependsOn) ? ig.dependsOn : undefined;
  const dependsOn: DependsOn[] = declared
    ? declared.filter((d: unknown): d is DependsOn => typeof d === 'object' && d !== null)
    : ctx.config.dependencies.map(d => ({ packageId: d.packageId, version: d.version }));
  if (!dependsOn.length) return {};
  const cache = new LayeredPackageCache(ctx.paths.packageCache, [ctx.paths.userPackageCache]);
  return dependencyWebPaths(dependsOn, ctx.compiled?.loadedPackages ?? [], (name, version) => cache.getPackagePath(name, version));
}
