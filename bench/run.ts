/**
 * `npm run bench`: performance figures of this machine, in one run. Never part of npm test.
 * Sections: build (SUSHI alone vs our compile and full build), corpus (published guides: SUSHI vs
 * a cold build, bench/corpus.ts), stages (figures from
 * bench/validate.ts, bench/render.ts, bench/package.ts, bench/diff.ts when present), dev (edit-to-page latency),
 * scale (synthetic guides), check (the check page in Chromium), sandbox (search load at 1/10/50 clients,
 * bench/sandbox.ts). Pick sections with arguments: `npm run bench -- dev scale`, or one stage's figures
 * by its name (`npm run bench -- validate`); an unknown name is refused.
 * BENCH_RUNS (default 5) sets the runs per figure; BENCH_SCALES (default 1,10,50) the sizes.
 */
import '../scripts/util/runtime.ts';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchBuild } from './build.ts';
import { benchCheck } from './check.ts';
import { benchCorpus } from './corpus.ts';
import { benchDev } from './dev.ts';
import { benchScale } from './scale.ts';
import { benchSandbox } from './sandbox.ts';
import { REPO } from './child.ts';
import { shapeOf, type GuideShape } from './synth.ts';
import { removeTempDirs } from './workspace.ts';

const SECTIONS = ['build', 'corpus', 'stages', 'dev', 'scale', 'check', 'sandbox'] as const;
type Section = (typeof SECTIONS)[number];
/** The stages with figures of their own (bench/{name}.ts), part of `stages`. */
const STAGE_FIGURES = ['validate', 'render', 'package', 'diff'] as const;

const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const scales = (process.env.BENCH_SCALES ?? '1,10,50')
  .split(',')
  .map(Number)
  .filter(n => n > 0);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // A stage's own name (validate, render, package, diff) asks for that stage's figures alone.
  const stagesAsked = args.filter(a => (STAGE_FIGURES as readonly string[]).includes(a));
  const unknown = args.filter(a => !(SECTIONS as readonly string[]).includes(a) && !stagesAsked.includes(a));
  if (unknown.length) {
    console.error(`bench: unknown section ${unknown.map(a => `'${a}'`).join(', ')}; the sections are ${[...SECTIONS, ...STAGE_FIGURES].join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const asked = args.filter((a): a is Section => (SECTIONS as readonly string[]).includes(a));
  const wanted = new Set<Section>(asked.length || stagesAsked.length ? asked : SECTIONS);
  print([
    `vm-ig bench: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${runs} runs per figure; figures are medians (min, max)`
  ]);
  // The CLI runs as `npm ci` leaves it: precompiled from the current sources (bin/vm-ig.js would
  // otherwise fall back to the sources through tsx after any edit).
  execFileSync(process.execPath, [join(REPO, 'bin', 'bundle.mjs')], { stdio: 'inherit' });
  let buildProject: string | undefined;
  if (wanted.has('build'))
    buildProject = (await section('build', async () => {
      const figures = await benchBuild(runs, guideShape);
      print(figures.lines);
      return figures.project;
    })) as string | undefined;
  if (wanted.has('corpus')) await section('corpus', async () => print(await benchCorpus(Math.max(1, Math.min(runs, 3)))));
  for (const name of STAGE_FIGURES) if (wanted.has('stages') || stagesAsked.includes(name)) await section(name, () => stageFigures(name));
  if (wanted.has('dev')) await section('dev', async () => print(await benchDev(Math.max(runs, 5))));
  if (wanted.has('scale')) await section('scale', async () => print(await benchScale(guideShape(buildProject), scales, Math.min(runs, 3))));
  if (wanted.has('check')) await section('check', async () => print(await benchCheck(runs)));
  if (wanted.has('sandbox')) await section('sandbox', async () => print(await benchSandbox()));
}

/** A failing section is reported and the others still run. */
async function section(name: string, work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work();
  } catch (e) {
    print([`${name}: FAILED: ${e instanceof Error ? `${e.message}${e.cause ? ` (${String(e.cause)})` : ''}` : String(e)}`]);
    return undefined;
  }
}

async function stageFigures(name: string): Promise<void> {
  const file = join(REPO, 'bench', `${name}.ts`);
  const fn = `bench${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  if (!existsSync(file)) return print([`${name}: bench/${name}.ts does not exist yet`]);
  const mod = (await import(file)) as Record<string, unknown>;
  const bench = mod[fn];
  if (typeof bench !== 'function') return print([`${name}: bench/${name}.ts has no ${fn}() yet`]);
  const figures = (await bench()) as Record<string, number>;
  print([`${name} (${fn} from bench/${name}.ts)`, ...Object.entries(figures).map(([k, v]) => `  ${k.padEnd(44)} ${v}`)]);
}

/** The real guide's shape, from the build bench's compiled output or the repo's own. */
function guideShape(project?: string): GuideShape {
  const root = project ?? REPO;
  return shapeOf(join(root, 'fsh-generated', 'resources'), join(root, 'input', 'pagecontent'));
}

function print(lines: string[]): void {
  console.log(`${lines.join('\n')}\n`);
}

main()
  .catch(e => {
    console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  })
  .finally(() => {
    removeTempDirs();
    process.exit();
  });
