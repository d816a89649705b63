/**
 * Work a killed `packages add` leaves in the caches (an unpacked archive in a staging folder, up to
 * about 800 MB) is cleared when any package command starts, not only the next install.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, runCli } from '../helpers/cli.ts';
import { MINIMAL_CONFIG, makeProject, tempDir } from '../helpers/project.ts';

/** A pid no process has (above Linux's pid_max). */
const DEAD = 99_999_999;

function leftovers(cache: string): string[] {
  const staging = join(cache, `.vm-ig-staging.staging-${DEAD}-Ab12Cd`);
  mkdirSync(join(staging, 'package'), { recursive: true });
  writeFileSync(join(staging, 'package', 'big.json'), Buffer.alloc(1 << 20));
  return readdirSync(cache);
}

describe('stale package staging', () => {
  it.each([['list'], ['install', '--offline']])(
    'packages %s clears a killed add’s staging folder in both caches',
    async (...args) => {
      const root = makeProject({ 'sushi-config.yaml': MINIMAL_CONFIG, 'fsh/x.fsh': '' });
      const own = join(root, '.fhir-packages');
      mkdirSync(own);
      const env = cliEnv();
      const shared = join(tempDir(), 'fhir-packages');
      mkdirSync(shared);
      expect(leftovers(own)).toHaveLength(1);
      expect(leftovers(shared)).toHaveLength(1);
      // A staging folder of a process that still runs (this one) is left alone.
      const live = join(own, `.vm-ig-staging.staging-${process.pid}-Zz99`);
      mkdirSync(live);
      const run = await runCli(root, ['packages', ...args], { env: { ...env, FHIR_PACKAGE_CACHE: shared }, timeoutMs: 60_000 });
      expect(run.stderr).not.toMatch(/ {4}at /);
      expect(readdirSync(own).filter(n => n.includes('staging'))).toEqual([`.vm-ig-staging.staging-${process.pid}-Zz99`]);
      expect(readdirSync(shared).filter(n => n.includes('staging'))).toEqual([]);
      expect(existsSync(live)).toBe(true);
    },
    90_000
  );
});
