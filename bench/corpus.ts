/**
 * Published guides (../shared/corpus/igs): `sushi build -s` vs a cold `vm-ig build` on each, side
 * by side, each on its own fresh unpack (nothing moved), so the ratios compare runs made under the
 * same load. Cold: no build cache (.vm-ig-cache removed); both tools find FHIR core in a package
 * cache, as a SUSHI user's machine does. The largest guide always runs; BENCH_CORPUS=all runs
 * every guide (one pair each unless BENCH_RUNS says more). Target: <= 0.5x on the largest (by the
 * number of resources SUSHI generates).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findCorpus } from '../test/helpers/corpus.ts';
import { mustSucceed, offlineEnv, REPO, runNode, type ChildRun } from './child.ts';
import { pairRatios, row, summarise } from './stats.ts';
import { fhirHome, tempDir, toolchainEnv } from './workspace.ts';

const CORPUS = join(findCorpus(REPO) ?? join(REPO, '..', 'shared', 'corpus'), 'igs');
const SUSHI_APP = join(REPO, 'node_modules', 'fsh-sushi', 'dist', 'app.js');
const CLI = join(REPO, 'bin', 'vm-ig.js');

function unpack(name: string): string {
  const dir = tempDir(`vm-ig-bench-corpus-${name}-`);
  execFileSync('tar', ['-xzf', join(CORPUS, `${name}.tgz`), '-C', dir]);
  return dir;
}

export async function benchCorpus(runs: number): Promise<string[]> {
  if (!existsSync(CORPUS)) return ['corpus: ../shared/corpus/igs is not here; skipped'];
  const guides = readdirSync(CORPUS)
    .filter(f => f.endsWith('.tgz'))
    .map(f => f.replace(/\.tgz$/, ''))
    // By SUSHI's output: the lines of its fingerprint, one per generated resource.
    .map(name => ({
      name,
      resources: readFileSync(join(CORPUS, `${name}.sushi.sha`), 'utf8')
        .trim()
        .split('\n').length
    }))
    .sort((a, b) => b.resources - a.resources);
  const chosen = process.env.BENCH_CORPUS === 'all' ? guides : guides.slice(0, 1);
  const lines: string[] = [];
  for (const [i, guide] of chosen.entries()) {
    const sushiDir = unpack(guide.name);
    const ours = unpack(guide.name);
    const sushiEnv = offlineEnv({ HOME: fhirHome() });
    const ourEnv = offlineEnv(toolchainEnv());
    const sushi: ChildRun[] = [];
    const build: ChildRun[] = [];
    const pairs = i === 0 ? runs : Math.max(1, Math.min(runs, Number(process.env.BENCH_RUNS ?? 1)));
    for (let r = 0; r < pairs; r++) {
      rmSync(join(sushiDir, 'fsh-generated'), { recursive: true, force: true });
      sushi.push(mustSucceed(await runNode(SUSHI_APP, ['build', '-s', sushiDir], sushiEnv), `sushi build -s ${guide.name}`));
      rmSync(join(ours, '.vm-ig-cache'), { recursive: true, force: true });
      build.push(mustSucceed(await runNode(CLI, ['-C', ours, '--quiet', 'build'], ourEnv), `vm-ig build ${guide.name}`));
    }
    const ms = (rs: ChildRun[]) => rs.map(r => r.ms);
    const mb = (rs: ChildRun[]) => rs.map(r => r.peakMb);
    lines.push(
      `Corpus guide ${guide.name} (${guide.resources} resources from SUSHI${i === 0 ? ', the largest' : ''}): cold processes on fresh unpacks`,
      row('sushi build -s (fsh-sushi CLI, offline)', summarise(ms(sushi)), 'ms'),
      row('vm-ig build (all stages), cold', summarise(ms(build)), 'ms'),
      row('cold full build / sushi -s (pair by pair)', summarise(pairRatios(ms(build), ms(sushi))), 'x', i === 0 ? { max: 0.5, text: '<= 0.5x' } : undefined),
      row('peak memory: sushi', summarise(mb(sushi)), 'MB'),
      row('peak memory: vm-ig build, cold', summarise(mb(build)), 'MB'),
      `  vm-ig build said: ${build.at(-1)?.stdout.trim().split('\n').at(-1) ?? ''}`,
      ''
    );
  }
  return lines;
}
