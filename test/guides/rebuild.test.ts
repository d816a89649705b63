/**
 * A build with nothing changed comes from the build cache, every time: from a fresh clone (an
 * empty per-user cache, so the first build writes the FHIR core package while it compiles) the
 * second `vm-ig build` compiles, validates, packages and renders nothing. And the tests' own
 * package cache is never a folder the guide would take as its project package cache (running
 * `npm test` must not change the next build's keys).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPaths } from '../../scripts/project/paths.ts';
import { cliEnv, runCli } from '../helpers/cli.ts';
import { copyGuide, REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';

const STAGES = ['compile', 'narrative', 'diff', 'validate', 'package', 'site'];

function stageLines(stdout: string): Map<string, string> {
  return new Map(
    stdout
      .split('\n')
      .map(line => /^(\w+): (.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && STAGES.includes(m[1]!))
      .map(m => [m[1]!, m[2]!])
  );
}

describe('a build with nothing changed', () => {
  it('comes from the build cache on the second build of a fresh clone', async () => {
    const root = copyGuide('vm-ig-fresh-clone-');
    // One environment for both builds (the same HOME), with an empty per-user cache.
    const env = cliEnv({ XDG_CACHE_HOME: tempDir('vm-ig-fresh-xdg-') });
    const first = await runCli(root, ['build'], { env });
    expect(first.status, first.stderr).toBe(0);
    expect(stageLines(first.stdout).get('compile')).not.toContain('from the build cache');

    const second = await runCli(root, ['build'], { env });
    expect(second.status, second.stderr).toBe(0);
    const lines = stageLines(second.stdout);
    for (const stage of ['compile', 'validate', 'package', 'site']) expect(lines.get(stage), `${stage}: ${second.stdout}`).toContain('from the build cache');
    expect(second.report?.ran).toEqual(STAGES);
  });

  it("is not changed by the tests' package cache", () => {
    expect(SHARED_PACKAGE_CACHE.startsWith(join(REPO_ROOT, '.fhir-packages'))).toBe(false);
    expect(projectPaths(REPO_ROOT).packageCache).not.toBe(SHARED_PACKAGE_CACHE);
  });
});
