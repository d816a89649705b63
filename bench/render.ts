/**
 * Render benchmark: compiles the real guide once (not timed), then renders the whole site in
 * memory: once cold (first render in the process: theme compile, FHIR.js type model, assets),
 * then warm (what `npm run dev` pays per edit), and once through the stage (render + atomic
 * write). Medians in milliseconds, plus the median time of each page. Run alone with `npx tsx bench/render.ts`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFsh } from '../scripts/stages/compile/compile.ts';
import { loadContext } from '../scripts/pipeline/sequencer.ts';
import { renderSite, type SiteInput } from '../scripts/stages/render/site.ts';
import { readPageSources, renderStage } from '../scripts/stages/render/stage.ts';
import { SHARED_CACHE } from './workspace.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

export async function benchRender(runs = 10): Promise<Record<string, number>> {
  const { ctx } = loadContext(ROOT, { packageCache: SHARED_CACHE });
  if (!ctx) throw new Error('cannot read sushi-config.yaml');
  const { result } = await compileFsh(ctx.paths, ctx.config, { stagingDir: mkdtempSync(join(tmpdir(), 'vm-ig-bench-render-')) });
  ctx.compiled = result;
  const input: SiteInput = {
    config: ctx.config,
    resources: result.resources,
    implementationGuide: result.implementationGuide,
    pageSources: readPageSources(ctx.paths.pagecontent),
    themeDir: ctx.paths.theme
  };
  const cold = timed(() => renderSite(input));
  const fresh: number[] = [];
  const perPage = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const run = timed(() => renderSite(input));
    fresh.push(run.ms);
    for (const [page, ms] of run.value.timings) perPage.set(page, [...(perPage.get(page) ?? []), ms]);
  }
  const stageCtx = { ...ctx, paths: { ...ctx.paths, site: join(mkdtempSync(join(tmpdir(), 'vm-ig-bench-site-')), 'site') } };
  const stage = await timedAsync(() => renderStage!(stageCtx));
  const pages = Object.fromEntries([...perPage].sort(([a], [b]) => a.localeCompare(b)).map(([p, ms]) => [`page ${p}`, round(median(ms))]));
  return {
    pages: cold.value.pages.length,
    files: cold.value.files.size,
    coldSiteMs: round(cold.ms),
    siteMs: round(median(fresh)),
    stageWithWriteMs: round(stage.ms),
    msPerArtifact: round(median(fresh) / Math.max(1, result.resources.length), 2),
    ...pages
  };
}

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

async function timedAsync<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function round(n: number, digits = 1): number {
  return Number(n.toFixed(digits));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchRender(), null, 2));
}
