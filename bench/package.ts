/**
 * Package benchmark: compiles the real guide once (not timed), then packs it repeatedly in
 * memory and once through the stage (atomic write). Figures are medians in milliseconds.
 * Run alone with `npx tsx bench/package.ts`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFsh } from '../scripts/stages/compile/compile.ts';
import { packageStage } from '../scripts/stages/package/stage.ts';
import { packGuide } from '../scripts/stages/package/write.ts';
import { loadContext } from '../scripts/pipeline/sequencer.ts';
import { SHARED_CACHE } from './workspace.ts';
import { median, round } from './stats.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

export async function benchPackage(runs = 20): Promise<Record<string, number>> {
  const { ctx } = loadContext(ROOT, { packageCache: SHARED_CACHE });
  if (!ctx) throw new Error('cannot read sushi-config.yaml');
  const compileStarted = performance.now();
  const { result } = await compileFsh(ctx.paths, ctx.config, { stagingDir: tempDir('vm-ig-bench-') });
  const compileMs = performance.now() - compileStarted;
  ctx.compiled = result;
  const input = { config: ctx.config, resources: result.resources, implementationGuide: result.implementationGuide };
  const times: number[] = [];
  let bytes = 0;
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const packed = packGuide(input);
    times.push(performance.now() - started);
    bytes = packed.bytes.length;
    files = packed.files.length;
  }
  const stageCtx = { ...ctx, paths: { ...ctx.paths, build: tempDir('vm-ig-bench-build-') } };
  const stageStarted = performance.now();
  await packageStage!(stageCtx);
  const stageMs = performance.now() - stageStarted;
  const packMs = median(times);
  return {
    compileMs: round(compileMs),
    packMs: round(packMs),
    stageMs: round(stageMs),
    packToCompile: round(packMs / compileMs, 4),
    packageBytes: bytes,
    packageFiles: files
  };
}

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchPackage(), null, 2));
}
