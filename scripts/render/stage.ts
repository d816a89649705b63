/**
 * The site stage: renders the website from the in-memory context (compiled guide, validation
 * report, config, pages) and swaps it atomically into build/site.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BuildContext, StageOutcome, StageRun } from '../context.ts';
import { renderSite, type SiteOutput } from './site.ts';
import { buildCheckAssets } from './check/assets.ts';
import { readCheckErrors } from './check/samples.ts';
import { writeFilesInPlace, writeSiteAtomically } from './write.ts';

/** The last full render of each context, so a page edit in the dev loop re-renders only that page. */
const lastRender = new WeakMap<BuildContext, SiteOutput>();

export const renderStage: StageRun = async ctx => (ctx.pagesChanged ? renderPages(ctx, ctx.pagesChanged) : renderAll(ctx));

async function renderAll(ctx: BuildContext): Promise<StageOutcome> {
  if (!ctx.compiled) return { diagnostics: [], summary: 'nothing compiled, no site' };
  const errors = readCheckErrors(join(ctx.paths.input, 'check-errors'));
  const check = await buildCheckAssets({ packageCache: ctx.paths.packageCache, resources: ctx.compiled.resources, errors: errors.samples });
  const output = renderSite({
    config: ctx.config,
    resources: ctx.compiled.resources,
    implementationGuide: ctx.compiled.implementationGuide,
    validation: ctx.validation,
    pageSources: readPageSources(ctx.paths.pagecontent),
    images: readImages(join(ctx.paths.input, 'images')),
    packageTgz: ctx.packageBytes,
    themeDir: ctx.paths.theme,
    buildDiagnostics: ctx.buildDiagnostics,
    check
  });
  writeSiteAtomically(output.files, ctx.paths.site);
  lastRender.set(ctx, output);
  ctx.sitePages = output.pages;
  const broken = output.brokenLinks.length;
  return { diagnostics: [...errors.diagnostics, ...output.diagnostics], summary: `${output.pages.length} pages, ${broken} broken links` };
}

/**
 * Re-render only the named markdown pages (file names in input/pagecontent) and the search index,
 * after a full render of the same context; the whole site otherwise.
 */
async function renderPages(ctx: BuildContext, pages: readonly string[]): Promise<StageOutcome> {
  const last = lastRender.get(ctx);
  const sources = readPageSources(ctx.paths.pagecontent);
  if (!last || pages.some(p => !sources.has(p))) return renderAll(ctx);
  const { files, brokenLinks, diagnostics } = last.rerenderPages(sources, pages);
  writeFilesInPlace(files, ctx.paths.site);
  return { diagnostics, summary: `${files.size - 1} pages re-rendered, ${brokenLinks.length} broken links` };
}

/** input/pagecontent/*.md, sorted by name. */
export function readPageSources(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  const names = readdirSync(dir).filter(f => f.endsWith('.md')).sort();
  return new Map(names.map(f => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** input/images/**, by path relative to that folder (forward slashes), sorted. */
export function readImages(dir: string): Map<string, Uint8Array> {
  const images = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else images.set(relative(dir, full).split('\\').join('/'), readFileSync(full));
    }
  };
  if (existsSync(dir)) walk(dir);
  return images;
}
