/**
 * Scaling: synthetic guides at several multiples of the real guide's shape, each built cold
 * (vm-ig build in a child process, no build cache), beside an empty guide that measures the fixed cost (process
 * start, module loading, FHIR definitions). Per size: time per artifact, net time per artifact
 * (minus the empty guide's time of the same round) and peak memory. Ratios to the first size are
 * taken run by run (run i of Nx over run i of 1x).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { mustSucceed, offlineEnv, REPO, runNode, type ChildRun } from './child.ts';
import { pairRatios, row, summarise } from './stats.ts';
import { artifactCount, scaled, writeSyntheticGuide, type GuideShape } from './synth.ts';
import { toolchainEnv } from './workspace.ts';

const CLI = join(REPO, 'bin', 'vm-ig.js');
const EMPTY: GuideShape = { profiles: 0, codeSystems: 0, valueSets: 0, instances: 0, pages: 1 };

interface Guide {
  label: string;
  shape: GuideShape;
  root: string;
  runs: ChildRun[];
}

export async function benchScale(base: GuideShape, factors: readonly number[], runs: number): Promise<string[]> {
  const env = offlineEnv(toolchainEnv());
  const guide = (label: string, shape: GuideShape): Guide => ({ label, shape, root: writeSyntheticGuide(shape), runs: [] });
  const empty = guide('empty guide', EMPTY);
  const sized = factors.map(f => guide(`${f}x`, scaled(base, f)));
  for (let i = 0; i < runs; i++) {
    for (const g of [empty, ...sized]) {
      rmSync(join(g.root, '.vm-ig-cache'), { recursive: true, force: true });
      const run = await runNode(CLI, ['-C', g.root, '--quiet', 'build'], env);
      g.runs.push(mustSucceed(run, `vm-ig build of the ${g.label} synthetic guide`));
      process.stderr.write(`  (scale: ${g.label}, run ${i + 1} of ${runs}: ${(run.ms / 1000).toFixed(1)} s, ${run.peakMb.toFixed(0)} MB)\n`);
    }
  }
  const ms = (g: Guide) => g.runs.map(r => r.ms);
  const perArtifact = (g: Guide) => ms(g).map(t => t / artifactCount(g.shape));
  const net = (g: Guide) => ms(g).map((t, i) => (t - ms(empty)[i]!) / artifactCount(g.shape));
  const lines = [`Scaling (synthetic guides, cold vm-ig build; 1x = ${describe(base)})`, row('empty guide (fixed cost)', summarise(ms(empty)), 'ms')];
  const first = sized[0]!;
  for (const g of sized) {
    const label = `${g.label} (${artifactCount(g.shape)} artifacts)`;
    lines.push(row(`${label} build`, summarise(ms(g)), 'ms'));
    lines.push(row(`${label} per artifact`, summarise(perArtifact(g)), 'ms'));
    lines.push(row(`${label} net per artifact`, summarise(net(g)), 'ms'));
    if (g !== first) {
      lines.push(
        row(`${g.label} / ${first.label} per artifact (pair by pair)`, summarise(pairRatios(perArtifact(g), perArtifact(first))), 'x', {
          max: 1.5,
          text: '<= 1.5x'
        })
      );
      lines.push(
        row(`${g.label} / ${first.label} net per artifact (pair by pair)`, summarise(pairRatios(net(g), net(first))), 'x', { max: 1.5, text: '<= 1.5x' })
      );
    }
    lines.push(row(`${label} peak memory`, summarise(g.runs.map(r => r.peakMb)), 'MB'));
  }
  return lines;
}

function describe(s: GuideShape): string {
  return `${artifactCount(s)} artifacts: ${s.profiles} profiles, ${s.codeSystems} code systems, ${s.valueSets} value sets, ${s.instances} examples, ${s.pages} pages`;
}
