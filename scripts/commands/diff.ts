/**
 * `vm-ig diff <previous>`: the guide being built (compiled as `vm-ig build` compiles it, from the
 * build cache when unchanged), or the package given with `--current`, compared with a previous
 * release. Exit 0, or 1 with `--fail-on breaking` when a change breaks producers or consumers
 * (`--fail-on any`: when anything changed); 2 when a release cannot be read or the guide has errors.
 */
import { formatDiagnostic } from '../model/diagnostics.ts';
import { runPipeline } from '../pipeline/sequencer.ts';
import { networkOptions } from '../fhir/network.ts';
import { compareReleases } from '../lib/diff/compare.ts';
import { formatJson, formatText } from '../lib/diff/format.ts';
import { loadRelease, releaseOfCompiled, ReleaseUnavailable, type Release } from '../lib/diff/load.ts';

export interface DiffOptions {
  root: string;
  previous: string;
  /** A package to compare instead of compiling the guide. */
  current?: string;
  format: 'text' | 'json';
  failOn?: 'breaking' | 'any';
}

export async function diffCommand(options: DiffOptions): Promise<number> {
  const offline = networkOptions().offline === true;
  let previous: Release;
  let current: Release;
  try {
    previous = await loadRelease(options.previous, options.root, { offline });
    if (options.current) current = await loadRelease(options.current, options.root, { offline });
    else {
      const run = await runPipeline(options.root, ['narrative'], { threads: false });
      const compiled = run.ctx?.compiled;
      const errors = run.diagnostics.filter(d => d.severity === 'error');
      if (!compiled || errors.length) {
        for (const d of errors) console.error(formatDiagnostic(d));
        console.error('vm-ig diff: the guide did not compile; nothing compared');
        return 2;
      }
      const config = run.ctx!.config;
      current = releaseOfCompiled({ source: options.root, packageId: config.packageId, version: config.version }, compiled.resources);
    }
  } catch (e) {
    if (!(e instanceof ReleaseUnavailable)) throw e;
    console.error(`vm-ig diff: ${e.message}`);
    return 2;
  }
  const report = compareReleases(previous, current);
  process.stdout.write(options.format === 'json' ? formatJson(report) : formatText(report));
  if (options.failOn === 'breaking' && report.counts.breaking > 0) return 1;
  if (options.failOn === 'any' && report.artifacts.length > 0) return 1;
  return 0;
}
