/**
 * SUSHI alone vs our compile vs our full build, each a cold process on a temp copy of the guide,
 * run side by side so the ratios compare runs made under the same machine load.
 */
import { join } from 'node:path';
import { mustSucceed, offlineEnv, REPO, runNode, type ChildRun } from './child.ts';
import { pairRatios, row, summarise } from './stats.ts';
import { copyProject, fhirHome, sushiLayout, toolchainEnv } from './workspace.ts';

const SUSHI_APP = join(REPO, 'node_modules', 'fsh-sushi', 'dist', 'app.js');
const CLI = join(REPO, 'scripts', 'cli.ts');

export interface BuildFigures {
  lines: string[];
  /** The project copy the build ran on (its fsh-generated gives the guide's shape). */
  project: string;
  buildMs: number[];
}

export async function benchBuild(runs: number): Promise<BuildFigures> {
  const project = copyProject();
  const sushiDir = sushiLayout();
  const sushiEnv = offlineEnv({ HOME: fhirHome() });
  const ourEnv = offlineEnv(toolchainEnv());
  const sushi = () => runNode(SUSHI_APP, ['build', '-s', sushiDir], sushiEnv).then(r => mustSucceed(r, 'sushi build'));
  const ours = (cmd: string) => runNode(CLI, ['-C', project, '--quiet', cmd], ourEnv, { tsx: true }).then(r => mustSucceed(r, `vm-ig ${cmd}`));
  const warm = [await sushi(), await ours('compile'), await ours('build')];
  const results = { sushi: [] as ChildRun[], compile: [] as ChildRun[], build: [] as ChildRun[] };
  for (let i = 0; i < runs; i++) {
    results.sushi.push(await sushi());
    results.compile.push(await ours('compile'));
    results.build.push(await ours('build'));
  }
  const ms = (rs: ChildRun[]) => rs.map(r => r.ms);
  const mb = (rs: ChildRun[]) => rs.map(r => r.peakMb);
  return {
    project,
    buildMs: ms(results.build),
    lines: [
      'Build (cold processes on a temp copy; one warm-up run each, not counted)',
      row('sushi build -s (fsh-sushi CLI, offline)', summarise(ms(results.sushi)), 'ms'),
      row('vm-ig compile', summarise(ms(results.compile)), 'ms'),
      row('vm-ig build (all stages)', summarise(ms(results.build)), 'ms'),
      row('compile / sushi (pair by pair)', summarise(pairRatios(ms(results.compile), ms(results.sushi))), 'x'),
      row('full build / sushi (pair by pair)', summarise(pairRatios(ms(results.build), ms(results.sushi))), 'x', { max: 1.25, text: '<= 1.25x' }),
      row('peak memory: sushi', summarise(mb(results.sushi)), 'MB'),
      row('peak memory: vm-ig build', summarise(mb(results.build)), 'MB'),
      `  ${networkNote(warm[0]!)}`,
      `  ${buildSummary(warm[2]!)}`
    ]
  };
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
