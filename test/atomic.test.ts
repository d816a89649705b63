/** Atomic output: staged folders swap in whole, and what an interrupted run left behind is cleared. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stage } from '../scripts/util/atomic.ts';
import { tempDir } from './helpers/project.ts';

/** A pid that no process has: far above Linux's pid_max. */
const DEAD_PID = 2 ** 30 + 7;

describe('stage', () => {
  it('swaps the staged folder in and leaves no staging folder', () => {
    const dir = tempDir();
    const target = join(dir, 'site');
    mkdirSync(target);
    writeFileSync(join(target, 'old.html'), 'old');
    const staging = stage(target);
    writeFileSync(join(staging.path, 'new.html'), 'new');
    staging.commit();
    staging.discard();
    expect(readdirSync(target)).toEqual(['new.html']);
    expect(readdirSync(dir)).toEqual(['site']);
  });

  it('keeps the previous folder when the run fails before the commit', () => {
    const dir = tempDir();
    const target = join(dir, 'site');
    mkdirSync(target);
    writeFileSync(join(target, 'index.html'), 'good');
    const staging = stage(target);
    writeFileSync(join(staging.path, 'half.html'), 'half');
    staging.discard();
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('good');
    expect(readdirSync(dir)).toEqual(['site']);
  });

  it('removes staging, old and partial folders of processes that are gone, and nothing else', () => {
    const dir = tempDir();
    const target = join(dir, 'site');
    for (const name of [
      `site.staging-${DEAD_PID}`,
      `site.old-${DEAD_PID}`,
      `site.partial-${DEAD_PID}`,
      `site.staging-${process.ppid}`,
      'site.staging-notes',
      'other.staging-1'
    ]) {
      mkdirSync(join(dir, name));
    }
    stage(target).discard();
    expect(readdirSync(dir).sort()).toEqual(['other.staging-1', 'site.staging-notes', `site.staging-${process.ppid}`].sort());
    expect(existsSync(target)).toBe(false);
  });
});
