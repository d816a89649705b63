/** The compile stage as the pipeline runs it: compile, then write fsh-generated/ atomically. */
import { join } from 'node:path';
import type { BuildContext, StageRun } from '../context.ts';
import type { Diagnostic } from '../model.ts';
import { compileFsh, type CompiledGuide } from './compile.ts';
import type { LoadedDefinitions } from './definitions.ts';
import type { IncrementalCompiler } from './incremental.ts';
import { replaceDirectory, writeFileAtomic } from '../atomic.ts';
import { compileKey, readCachedCompile, treeMatches, writeCachedCompile } from './cache.ts';
import { discard, stagingDirFor, writeResources } from './write.ts';

export interface CompileAndWriteResult {
  result: CompiledGuide;
  diagnostics: Diagnostic[];
  /** True when errors stopped the write: fsh-generated/ still holds the previous output. */
  failed: boolean;
  /** How the compile ran: `incremental` exported only what the edit affected. */
  mode: 'full' | 'incremental';
}

/**
 * Compile the project and, when there are no errors, swap the new fsh-generated/ into place.
 * Shared by the pipeline and the dev server (which passes its cached definitions and its
 * incremental compiler, so an edit re-exports only what it affects).
 */
export async function compileAndWrite(ctx: BuildContext, definitions?: LoadedDefinitions, incremental?: IncrementalCompiler): Promise<CompileAndWriteResult> {
  const staging = stagingDirFor(ctx.paths.fshGenerated);
  discard(staging);
  try {
    const options = { stagingDir: staging, definitions };
    const { result, diagnostics, mode } = incremental ? await incremental.compile(options) : { ...(await compileFsh(ctx.paths, ctx.config, options)), mode: 'full' as const };
    const failed = diagnostics.some(d => d.severity === 'error');
    if (!failed) {
      writeResources(join(staging, 'fsh-generated', 'resources'), result.resources);
      replaceDirectory(join(staging, 'fsh-generated'), ctx.paths.fshGenerated);
    }
    return { result, diagnostics, failed, mode };
  } finally {
    discard(staging);
  }
}

/**
 * The pipeline's compile: from the build cache when a compile of exactly these inputs is stored
 * (fsh-generated/ is restored if it differs), otherwise compiled and, when it has no errors and
 * the inputs did not change meanwhile, stored.
 */
export const compileStage: StageRun = async ctx => {
  const key = compileKey(ctx.paths, ctx.config);
  const cached = readCachedCompile(ctx.paths, key);
  if (cached) {
    if (!treeMatches(ctx.paths.fshGenerated, cached.files)) restoreGenerated(ctx.paths.fshGenerated, cached.files);
    ctx.compiled = cached.guide;
    return { diagnostics: cached.diagnostics, summary: `${countsSummary(cached.guide.counts)} (unchanged: from the build cache)` };
  }
  const { result, diagnostics, failed } = await compileAndWrite(ctx);
  ctx.compiled = result;
  if (!failed && compileKey(ctx.paths, ctx.config) === key) writeCachedCompile(ctx.paths, key, result, diagnostics, ctx.paths.fshGenerated);
  return { diagnostics, summary: countsSummary(result.counts) };
};

function restoreGenerated(target: string, files: Record<string, string>): void {
  const staging = stagingDirFor(target);
  discard(staging);
  try {
    for (const [rel, text] of Object.entries(files)) writeFileAtomic(join(staging, rel), text);
    replaceDirectory(staging, target);
  } finally {
    discard(staging);
  }
}

export function countsSummary(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}`);
  return parts.length ? parts.join(', ') : 'nothing compiled';
}
