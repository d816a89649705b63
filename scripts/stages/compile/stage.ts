/** The compile stage as the pipeline runs it: compile, then write fsh-generated/ atomically. */
import { join } from 'node:path';
import type { BuildContext, StageRun } from '../../pipeline/context.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { CompileOutput } from './compile.ts';
import type { CompiledGuide } from '../../model/resources.ts';
import type { LoadedDefinitions } from './definitions.ts';
import type { IncrementalCompiler } from './incremental.ts';
import { isPublisherInclude } from '../../lib/publisher/includes.ts';
import { stage, writeInside } from '../../util/atomic.ts';
import { readCachedCompile, treeMatches, writeCachedCompile } from './cache.ts';
import { compileKey, compileSourcesKey } from '../../pipeline/stage-keys.ts';
import { writeResources } from './write.ts';

export interface CompileAndWriteResult {
  result: CompileOutput;
  diagnostics: Diagnostic[];
  /** True when errors stopped the write: fsh-generated/ still holds the previous output. */
  failed: boolean;
  /** How the compile ran: `incremental` exported only what the edit affected. */
  mode: 'full' | 'incremental';
}

/**
 * Compile the project and, when there are no errors, swap the new fsh-generated/ into place.
 * With an incremental compiler, only what changed since its last clean compile is exported.
 */
export async function compileAndWrite(ctx: BuildContext, definitions?: LoadedDefinitions, incremental?: IncrementalCompiler): Promise<CompileAndWriteResult> {
  // SUSHI is loaded only when something is compiled (a compile from the build cache never needs it).
  const { compileFsh } = await import('./compile.ts');
  const staging = stage(ctx.paths.fshGenerated);
  try {
    const options = { stagingDir: staging.path, definitions };
    const { result, diagnostics, mode } = incremental
      ? await incremental.compile(options)
      : { ...(await compileFsh(ctx.paths, ctx.config, options)), mode: 'full' as const };
    const failed = diagnostics.some(d => d.severity === 'error');
    if (!failed) {
      writeResources(join(staging.path, 'fsh-generated', 'resources'), result.resources);
      staging.commit(join(staging.path, 'fsh-generated'));
    }
    return { result, diagnostics, failed, mode };
  } finally {
    staging.discard();
  }
}

/**
 * One incremental compiler per set of loaded definitions: a context that compiles again (the dev
 * session, whose context keeps its definitions until the configuration changes) exports only
 * what each edit affects; a new context starts afresh.
 */
const compilers = new WeakMap<LoadedDefinitions, IncrementalCompiler>();

/** The definitions a context's last good compile loaded, kept for its next compile (a dev session's). */
const keptDefinitions = new WeakMap<BuildContext, LoadedDefinitions>();

/**
 * A context's first compile (every command) comes from the build cache when a compile of exactly
 * these inputs is stored (fsh-generated/ is restored if it differs); otherwise it compiles and,
 * when there are no errors and the inputs did not change meanwhile, stores the result. Later
 * compiles of the same context (the dev session's) reuse its definitions and compile
 * incrementally. A compile with errors keeps the last good compile in the context.
 */
export const compileStage: StageRun = async ctx => {
  const kept = keptDefinitions.get(ctx);
  const sources = kept ? undefined : compileSourcesKey(ctx.paths, ctx.config);
  const key = sources ? compileKey(ctx.paths, ctx.config, sources) : undefined;
  const cached = key ? readCachedCompile(ctx.paths, key) : undefined;
  if (cached) {
    // The package stage's includes are its own (it checks and puts them back itself).
    if (!treeMatches(ctx.paths.fshGenerated, cached.files, isPublisherInclude)) restoreGenerated(ctx.paths.fshGenerated, cached.files);
    ctx.compiled = cached.guide;
    return { diagnostics: cached.diagnostics, summary: `${countsSummary(cached.guide.counts)} (unchanged: from the build cache)` };
  }
  const { IncrementalCompiler } = await import('./incremental.ts');
  const compiler = (kept && compilers.get(kept)) || new IncrementalCompiler(ctx.paths, ctx.config);
  const { result, diagnostics, failed, mode } = await compileAndWrite(ctx, kept, compiler);
  // A one-off command (threads, no session) compiles once: SUSHI's state (its loaded definitions,
  // the parsed FSH, the package) is let go rather than kept live through the later stages.
  const keep = !ctx.threads || ctx.session === true;
  if (keep && result.definitions && !result.definitions.diagnostics.some(d => d.severity === 'error')) {
    keptDefinitions.set(ctx, result.definitions);
    compilers.set(result.definitions, compiler);
  }
  if (!failed) ctx.compiled = compiledGuide(result);
  // Stored when the sources did not change while it ran, under the key of the packages as the
  // compile left them (it may have written the core package or downloaded dependencies): the key
  // the next run computes, so a second build of an unchanged project never compiles again.
  if (!failed && sources && compileSourcesKey(ctx.paths, ctx.config) === sources)
    writeCachedCompile(ctx.paths, compileKey(ctx.paths, ctx.config, sources), result, diagnostics, ctx.paths.fshGenerated);
  const how = mode === 'incremental' ? ' (incremental)' : '';
  return { diagnostics, summary: `${countsSummary(result.counts)}${how}${failed ? ' (errors: the previous output is kept)' : ''}` };
};

/** The guide as the later stages see it: SUSHI's loaded definitions stay with the compile. */
function compiledGuide({ definitions, ...guide }: CompileOutput): CompiledGuide {
  return { ...guide, loadedPackages: definitions?.loadedPackages };
}

function restoreGenerated(target: string, files: Record<string, string>): void {
  const staging = stage(target);
  try {
    for (const [rel, text] of Object.entries(files)) writeInside(staging.path, rel, text, { atomic: true });
    staging.commit();
  } finally {
    staging.discard();
  }
}

export function countsSummary(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}`);
  return parts.length ? parts.join(', ') : 'nothing compiled';
}
