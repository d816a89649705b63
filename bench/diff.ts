/**
 * Diff benchmark: compiles the real guide once (not timed), packs it (not timed), then times
 * reading the previous release it names (input/releases/uk.nhs.vm-0.0.1.tgz, through the safe tar
 * reader), comparing the compiled guide with it (what the build's diff stage does), and
 * `vm-ig diff --current` in process (both packages read, then compared). Medians in milliseconds.
 * Run alone with `npx tsx bench/diff.ts`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFsh } from '../scripts/stages/compile/compile.ts';
import { packGuide } from '../scripts/stages/package/write.ts';
import { loadContext } from '../scripts/pipeline/sequencer.ts';
import { compareReleases } from '../scripts/lib/diff/compare.ts';
import { loadRelease, releaseOfCompiled } from '../scripts/lib/diff/load.ts';
import { previousReleaseOf } from '../scripts/stages/diff/stage.ts';
import { SHARED_CACHE } from './workspace.ts';
import { median, round } from './stats.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

export async function benchDiff(runs = 20): Promise<Record<string, number>> {
  const { ctx } = loadContext(ROOT, { packageCache: SHARED_CACHE });
  if (!ctx) throw new Error('cannot read sushi-config.yaml');
  const spec = previousReleaseOf(ctx.config);
  if (!spec) throw new Error('sushi-config.yaml names no vm-previous-release');
  const { result } = await compileFsh(ctx.paths, ctx.config, { stagingDir: mkdtempSync(join(tmpdir(), 'vm-ig-bench-')) });
  const currentTgz = join(mkdtempSync(join(tmpdir(), 'vm-ig-bench-diff-')), 'package.tgz');
  writeFileSync(currentTgz, packGuide({ config: ctx.config, resources: result.resources, implementationGuide: result.implementationGuide }).bytes);
  const current = releaseOfCompiled({ source: '.', packageId: ctx.config.packageId, version: ctx.config.version }, result.resources);
  const load: number[] = [];
  const compare: number[] = [];
  const command: number[] = [];
  let changes = 0;
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    const previous = await loadRelease(spec, ROOT);
    load.push(performance.now() - started);
    started = performance.now();
    const report = compareReleases(previous, current);
    compare.push(performance.now() - started);
    changes = report.counts.breaking + report.counts.compatible;
    started = performance.now();
    compareReleases(await loadRelease(spec, ROOT), await loadRelease(currentTgz, ROOT));
    command.push(performance.now() - started);
  }
  return {
    loadPreviousMs: round(median(load)),
    compareMs: round(median(compare)),
    diffStageMs: round(median(load) + median(compare)),
    twoPackagesMs: round(median(command)),
    changes,
    artifacts: current.resources.length
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchDiff(), null, 2));
}
