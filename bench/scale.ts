/**
 * Scaling: synthetic guides at several multiples of the real guide's shape, each built cold
 * (vm-ig build in a child process). Time per artifact and peak memory per size; the ratio to
 * the 1x figure is taken run by run (run i of Nx over run i of 1x).
 */
import { join } from 'node:path';
import { mustSucceed, offlineEnv, REPO, runNode, type ChildRun } from './child.ts';
import { pairRatios, row, summarise } from './stats.ts';
import { artifactCount, scaled, writeSyntheticGuide, type GuideShape } from './synth.ts';
import { toolchainEnv } from './workspace.ts';

const CLI = join(REPO, 'scripts', 'cli.ts');

export async function benchScale(base: GuideShape, factors: readonly number[], runs: number): Promise<string[]> {
  const env = offlineEnv(toolchainEnv());
  const guides = factors.map(f => ({ factor: f, shape: scaled(base, f), root: writeSyntheticGuide(scaled(base, f)) }));
  const results = new Map<number, ChildRun[]>(factors.map(f => [f, []]));
  for (let i = 0; i < runs; i++) {
    for (const g of guides) {
      const run = await runNode(CLI, ['-C', g.root, '--quiet', 'build'], env, { tsx: true });
      results.get(g.factor)!.push(mustSucceed(run, `vm-ig build of the ${g.factor}x synthetic guide`));
    }
  }
  const perArtifact = (g: (typeof guides)[number]) => results.get(g.factor)!.map(r => r.ms / artifactCount(g.shape));
  const first = guides[0]!;
  const lines = [`Scaling (synthetic guides, cold vm-ig build; base shape ${describe(base)})`];
  for (const g of guides) {
    const label = `${g.factor}x: ${artifactCount(g.shape)} artifacts`;
    lines.push(row(`${label}, build`, summarise(results.get(g.factor)!.map(r => r.ms)), 'ms'));
    lines.push(row(`${label}, per artifact`, summarise(perArtifact(g)), 'ms'));
    if (g !== first) lines.push(row(`${g.factor}x / ${first.factor}x per artifact (pair by pair)`, summarise(pairRatios(perArtifact(g), perArtifact(first))), 'x', { max: 1.5, text: '<= 1.5x' }));
    lines.push(row(`${label}, peak memory`, summarise(results.get(g.factor)!.map(r => r.peakMb)), 'MB'));
  }
  return lines;
}

function describe(s: GuideShape): string {
  return `${s.profiles} profiles, ${s.codeSystems} code systems, ${s.valueSets} value sets, ${s.instances} examples, ${s.pages} pages`;
}
