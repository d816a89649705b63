/**
 * SUSHI alone (`sushi build -s`, offline) vs our compile and full build, each a cold process on a
 * temp copy, run side by side so the ratios compare runs made under the same machine load; on
 * this guide and on a synthetic guide of about 300 resources (bench/synth.ts). "Cold" means no
 * build cache: `.vm-ig-cache` is removed before each cold run. A build with no change runs right
 * after a cold build, with the cache it left. Our CLI runs as users run it, through bin/vm-ig.js
 * (the precompiled dist/cli.js when it is current).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mustSucceed, offlineEnv, REPO, runNode, type ChildRun } from './child.ts';
import { pairRatios, row, summarise } from './stats.ts';
import { artifactCount, scaled, type GuideShape, writeSyntheticGuide } from './synth.ts';
import { copyProject, fhirHome, sushiLayout, toolchainEnv } from './workspace.ts';

const SUSHI_APP = join(REPO, 'node_modules', 'fsh-sushi', 'dist', 'app.js');
const CLI = join(REPO, 'bin', 'vm-ig.js');
const SYNTH_RESOURCES = 300;

export interface BuildFigures {
  lines: string[];
  /** The project copy the build ran on (its fsh-generated gives the guide's shape). */
  project: string;
  buildMs: number[];
}

export async function benchBuild(runs: number, shapeOf: (project: string) => GuideShape): Promise<BuildFigures> {
  const project = copyProject();
  const real = await benchGuide('this guide', project, sushiLayout(), runs, true);
  const base = shapeOf(project);
  const resources = base.profiles + base.codeSystems + base.valueSets + base.instances;
  const shape = scaled(base, SYNTH_RESOURCES / resources);
  const synth = writeSyntheticGuide(shape);
  const synthetic = await benchGuide(
    `synthetic guide (${artifactCount(shape) - shape.pages} resources)`,
    synth,
    sushiLayout(synth),
    Math.max(1, Math.min(runs, 3)),
    false
  );
  return { project, buildMs: real.buildMs, lines: [...real.lines, '', ...synthetic.lines] };
}

async function benchGuide(label: string, project: string, sushiDir: string, runs: number, detailed: boolean) {
  const sushiEnv = offlineEnv({ HOME: fhirHome() });
  const ourEnv = offlineEnv(toolchainEnv());
  const cold = () => rmSync(join(project, '.vm-ig-cache'), { recursive: true, force: true });
  const sushi = () => runNode(SUSHI_APP, ['build', '-s', sushiDir], sushiEnv).then(r => mustSucceed(r, 'sushi build -s'));
  const ours = (cmd: string) => runNode(CLI, ['-C', project, '--quiet', cmd], ourEnv).then(r => mustSucceed(r, `vm-ig ${cmd}`));
  cold();
  const warm = [await sushi(), await ours('build')];
  const results = { sushi: [] as ChildRun[], compile: [] as ChildRun[], build: [] as ChildRun[], again: [] as ChildRun[] };
  for (let i = 0; i < runs; i++) {
    results.sushi.push(await sushi());
    if (detailed) {
      cold();
      results.compile.push(await ours('compile'));
    }
    cold();
    results.build.push(await ours('build'));
    results.again.push(await ours('build'));
  }
  const ms = (rs: ChildRun[]) => rs.map(r => r.ms);
  const mb = (rs: ChildRun[]) => rs.map(r => r.peakMb);
  const lines = [
    `Build, ${label} (cold processes on a temp copy; one warm-up run each, not counted; ${existsSync(join(REPO, 'dist', 'cli.js')) ? 'precompiled dist/cli.js' : 'sources through tsx'})`,
    row('sushi build -s (fsh-sushi CLI, offline)', summarise(ms(results.sushi)), 'ms'),
    ...(detailed
      ? [
          row('vm-ig compile, cold (no build cache)', summarise(ms(results.compile)), 'ms'),
          row('compile / sushi (pair by pair)', summarise(pairRatios(ms(results.compile), ms(results.sushi))), 'x')
        ]
      : []),
    row('vm-ig build (all stages), cold', summarise(ms(results.build)), 'ms'),
    row(
      'cold full build / sushi -s (pair by pair)',
      summarise(pairRatios(ms(results.build), ms(results.sushi))),
      'x',
      detailed ? { max: 0.4, text: '<= 0.4x' } : { max: 1.0, text: '<= 1.0x' }
    ),
    row('vm-ig build, no change (build cache)', summarise(ms(results.again)), 'ms', ...(detailed ? [{ max: 1000, text: '<= 1.0 s' }] : [])),
    row('peak memory: sushi', summarise(mb(results.sushi)), 'MB'),
    row('peak memory: vm-ig build, cold', summarise(mb(results.build)), 'MB'),
    `  ${networkNote(warm[0]!)}`,
    `  ${buildSummary(warm[1]!)}`
  ];
  return { lines, buildMs: ms(results.build) };
}

/**
 * What SUSHI did offline: it should have found FHIR core in the temp HOME's package cache, and
 * its attempts at the automatic dependencies should have failed at once (there is no network).
 */
function networkNote(run: ChildRun): string {
  const out = run.stdout + run.stderr;
  const failed = (out.match(/Failed to load automatically-provided/g) ?? []).length;
  const core = /Loaded hl7\.fhir\.r4\.core#4\.0\.1 with \d+ resources/.exec(out)?.[0];
  if (!core) throw new Error(`SUSHI did not load hl7.fhir.r4.core#4.0.1 from the temp FHIR cache:\n${out.slice(-2000)}`);
  return `SUSHI offline, no proxy: "${core}" (from the temp HOME cache); ${failed} automatic dependencies not found (no network), no waiting`;
}

function buildSummary(run: ChildRun): string {
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  return `vm-ig build said: ${last}`;
}
