/**
 * The test suites as the README describes them: `npm test` runs every non-browser vitest project,
 * `npm run test:unit` only the fast one (slow files kept out of it), and .ci/run runs each slow
 * project as a step of its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../vitest.config.ts';
import { REPO_ROOT } from './helpers/project.ts';

const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const projects = (config.test?.projects ?? []) as { test: { name: string; include: string[]; exclude?: string[] } }[];

describe('the test split', () => {
  it('npm test runs every project but the browser one; each has a script of its own', () => {
    const names = projects.map(p => p.test.name);
    expect(names).toEqual(['unit', 'integration', 'corpus', 'registry', 'browser']);
    for (const name of names.filter(n => n !== 'browser')) expect(scripts.test).toContain(`--project ${name}`);
    expect(scripts.test).not.toContain('browser');
    for (const name of names) expect(scripts[`test:${name}`]).toBe(`vitest run --project ${name}`);
  });

  it('keeps the slow files out of the unit project', () => {
    const unit = projects.find(p => p.test.name === 'unit')!.test;
    for (const slow of ['test/diff/guide.test.ts', 'test/validate/robustness.test.ts', 'test/guides/rebuild.test.ts', 'test/cli/author-experience.test.ts'])
      expect(unit.exclude).toContain(slow);
  });

  it('.ci/run runs the slow projects as steps of their own', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    for (const name of ['unit', 'integration', 'corpus', 'registry', 'browser']) expect(ci).toContain(`npm run test:${name}`);
  });
});
