/**
 * The SUSHI speed-ups (scripts/stages/compile/sushi/speedups.ts) change how fast a compile runs,
 * never what it writes: every published guide of the corpus (../shared/corpus/igs) is unpacked
 * twice and compiled with the installed CLI (`vm-ig compile`), once as shipped and once with
 * `VM_IG_SUSHI_SPEEDUPS=0` (plain SUSHI), and every file of fsh-generated/ must be byte-identical,
 * as must the compile's counts and diagnostics. This is the evidence behind the adapter's list of
 * verified fsh-sushi versions (speedups-version.ts): on an fsh-sushi not in that list the
 * speed-ups are off in both runs and the comparison proves nothing, so the test says so.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEEDUPS_OFF_RULE, VERIFIED_SUSHI_VERSIONS } from '../../scripts/stages/compile/sushi/speedups-version.ts';
import { cliEnv, runCli, type CliRun } from '../helpers/cli.ts';
import { requireCorpus } from '../helpers/corpus.ts';
import { REPO_ROOT, tempDir } from '../helpers/project.ts';

const CORPUS = join(requireCorpus(REPO_ROOT), 'igs');
const guides = readdirSync(CORPUS)
  .filter(f => f.endsWith('.tgz'))
  .map(f => f.replace(/\.tgz$/, ''))
  .sort();

/** Every file under `dir`, by its path relative to it, as bytes (hex would hide nothing either). */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(relative(dir, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

async function compile(name: string, speedups: boolean): Promise<{ dir: string; run: CliRun }> {
  const dir = tempDir(`vm-ig-speedups-${name}-`);
  execFileSync('tar', ['-xzf', join(CORPUS, `${name}.tgz`), '-C', dir]);
  const env = cliEnv(speedups ? {} : { VM_IG_SUSHI_SPEEDUPS: '0' });
  return { dir, run: await runCli(dir, ['compile'], { env }) };
}

describe('the SUSHI speed-ups on the published guides', () => {
  it('are all here', () => expect(guides.length).toBeGreaterThanOrEqual(8));

  it.each(guides)(
    '%s compiles byte-identical with and without them',
    async name => {
      const on = await compile(name, true);
      const off = await compile(name, false);
      for (const { run } of [on, off]) {
        expect(run.report, `${run.stdout}\n${run.stderr}`).toBeDefined();
        expect(run.report!.ran).toEqual(['compile']);
      }
      // On an unverified fsh-sushi both runs are plain SUSHI: nothing would be compared.
      const notice = on.run.report!.diagnostics.find(d => d.rule === SPEEDUPS_OFF_RULE);
      expect(notice?.message, `verified: ${VERIFIED_SUSHI_VERSIONS.join(', ')}; add the installed version there to compare`).toBeUndefined();
      expect(on.run.status).toBe(off.run.status);
      expect(on.run.report!.counts).toEqual(off.run.report!.counts);
      expect(on.run.report!.diagnostics).toEqual(off.run.report!.diagnostics);

      const withThem = tree(join(on.dir, 'fsh-generated'));
      const without = tree(join(off.dir, 'fsh-generated'));
      expect([...withThem.keys()].sort()).toEqual([...without.keys()].sort());
      expect([...without.keys()].filter(f => f.startsWith('resources/')).length).toBeGreaterThan(0);
      const different = [...without].filter(([file, bytes]) => !withThem.get(file)!.equals(bytes)).map(([file]) => file);
      expect(different).toEqual([]);
    },
    900_000
  );
});
