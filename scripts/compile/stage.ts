/** The compile stage as the pipeline runs it: compile, then write fsh-generated/ atomically. */
import { join } from 'node:path';
import type { StageRun } from '../context.ts';
import { compileFsh } from './compile.ts';
import { discard, stagingDirFor, swapIntoPlace, writeResources } from './write.ts';

export const compileStage: StageRun = async ctx => {
  const staging = stagingDirFor(ctx.paths.fshGenerated);
  discard(staging);
  try {
    const { result, diagnostics } = await compileFsh(ctx.paths, ctx.config, { stagingDir: staging });
    ctx.compiled = result;
    const failed = diagnostics.some(d => d.severity === 'error');
    if (!failed) {
      writeResources(join(staging, 'fsh-generated', 'resources'), result.resources);
      swapIntoPlace(join(staging, 'fsh-generated'), ctx.paths.fshGenerated);
    }
    return { diagnostics, summary: countsSummary(result.counts) };
  } finally {
    discard(staging);
  }
};

export function countsSummary(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}`);
  return parts.length ? parts.join(', ') : 'nothing compiled';
}
