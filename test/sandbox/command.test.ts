/** `vm-ig sandbox`: compiles a copy of the guide, prints the scenarios and a line per request, serves, stops; bad ports exit 2. */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxCommand } from '../../scripts/commands/sandbox.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';

function guideCopy(): string {
  const dir = tempDir('vm-ig-sandbox-cmd-');
  for (const name of ['fsh', 'input', 'sushi-config.yaml', 'ig.ini']) cpSync(join(REPO_ROOT, name), join(dir, name), { recursive: true });
  return dir;
}

describe('vm-ig sandbox', () => {
  it('prints the scenario table, answers on loopback, and stops', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>(r => (stop = r));
    let status = 0;
    const exit = sandboxCommand({
      root: guideCopy(),
      port: 0,
      host: '127.0.0.1',
      packageCache: SHARED_PACKAGE_CACHE,
      print: l => lines.push(l),
      stopped,
      onListening: async url => {
        status = (await fetch(`${url}/metadata`)).status;
        stop();
      }
    });
    expect(await exit).toBe(0);
    expect(status).toBe(400);
    expect(lines[0]).toMatch(/^Visitors and Migrants sandbox on http:\/\/127\.0\.0\.1:\d+/);
    expect(lines.some(l => /9990554331\s+NHS Number\s+200\s+Category F/.test(l))).toBe(true);
    expect(lines.some(l => /200000000403\s+Ssp-From\s+403/.test(l))).toBe(true);
    // One line per request on the console (issue #28): method, path, status, time, Spine code.
    expect(lines.filter(l => /^GET \/metadata 400 \d+\.\d ms MISSING_OR_INVALID_HEADER$/.test(l))).toHaveLength(1);
  });

  it('refuses a port that is not a number, with exit code 2', async () => {
    const lines: string[] = [];
    expect(await sandboxCommand({ root: REPO_ROOT, port: Number('eighty'), host: '127.0.0.1', print: l => lines.push(l) })).toBe(2);
    expect(lines[0]).toMatch(/--port/);
  });
});
