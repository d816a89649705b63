/** The compile stage as the pipeline runs it: compile, then write fsh-generated/ atomically. */
import { join } from 'node:path';
import type { BuildContext, StageRun } from '../context.ts';
import type { Diagnostic } from '../model.ts';
import { compileFsh, type CompiledGuide } from './compile.ts';
import type { LoadedDefinitions } from './definitions.ts';
import { stage } from '../atomic.ts';
import { writeResources } from './write.ts';

export interface CompileAndWriteResult {
  result: CompiledGuide;
  diagnostics: Diagnostic[];
  /** True when errors stopped the write: fsh-generated/ still holds the previous output. */
  failed: boolean;
}

/**
 * Compile the project and, when there are no errors, swap the new fsh-generated/ into place.
 */
export async function compileAndWrite(ctx: BuildContext, definitions?: LoadedDefinitions): Promise<CompileAndWriteResult> {
  const staging = stage(ctx.paths.fshGenerated);
  try {
    const { result, diagnostics } = await compileFsh(ctx.paths, ctx.config, { stagingDir: staging.path, definitions });
    const failed = diagnostics.some(d => d.severity === 'error');
    if (!failed) {
      writeResources(join(staging.path, 'fsh-generated', 'resources'), result.resources);
      staging.commit(join(staging.path, 'fsh-generated'));
    }
    return { result, diagnostics, failed };
  } finally {
    staging.discard();
  }
}

/**
 * Compile with the definitions this context loaded before (the dev session's later compiles),
 * keep them for the next one, and keep the last good compile when this one has errors.
 */
export const compileStage: StageRun = async ctx => {
  const { result, diagnostics, failed } = await compileAndWrite(ctx, ctx.definitions);
  if (result.definitions && !result.definitions.diagnostics.some(d => d.severity === 'error')) ctx.definitions = result.definitions;
  if (!failed) ctx.compiled = result;
  return { diagnostics, summary: `${countsSummary(result.counts)}${failed ? ' (errors: the previous output is kept)' : ''}` };
};

export function countsSummary(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}`);
  return parts.length ? parts.join(', ') : 'nothing compiled';
}
