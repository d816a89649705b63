/**
 * The Using the API page's curl walk-through, run as documented (bash and curl) against a sandbox
 * on an ephemeral port, with the page's own example token payload saved as payload.json. Each
 * request's documented HTTP status (the `# HTTP nnn` comments) must be what the sandbox answers.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../scripts/apps/sandbox/start.ts';
import { REPO_ROOT, tempDir } from '../helpers/project.ts';
import { startGuideSandbox } from './fixture.ts';

const page = readFileSync(join(REPO_ROOT, 'input/pagecontent/using-the-api.md'), 'utf8');
const hasCurl = spawnSync('curl', ['--version']).status === 0;
let sandbox: RunningSandbox;

beforeAll(async () => {
  ({ sandbox } = await startGuideSandbox());
});

afterAll(() => sandbox?.close());

function section(heading: string): string {
  const start = page.indexOf(`### ${heading}`);
  const next = page.indexOf('\n### ', start + 4);
  return page.slice(start, next < 0 ? undefined : next);
}

function blocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map(m => m[1]!);
}

describe('the documented walk-through', () => {
  it.skipIf(!hasCurl)('gives the documented status for every request', async () => {
    const dir = tempDir('vm-ig-walkthrough-');
    const payload = blocks(section('The JWT'), 'json').find(b => b.includes('requested_record'))!;
    expect(JSON.parse(payload).requested_record.identifier[0].value).toBe('9990554331');
    writeFileSync(join(dir, 'payload.json'), payload);
    const script = blocks(section('Trying the API against the sandbox'), 'sh').join('\n');
    const documented = [...script.matchAll(/# HTTP (\d{3})/g)].map(m => Number(m[1]));
    expect(documented.length).toBeGreaterThanOrEqual(6);
    // Asynchronous: the sandbox answers from this process's event loop.
    const { stdout: out } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dir,
      env: { ...process.env, BASE: sandbox.url },
      encoding: 'utf8',
      timeout: 60_000
    });
    const answered = [...out.matchAll(/^HTTP (\d{3})$/gm)].map(m => Number(m[1]));
    expect(answered).toEqual(documented);
    expect(out).toContain('"code":"F"');
    expect(out).toContain('NO_RECORD_FOUND');
    expect(out).toContain('<CapabilityStatement xmlns="http://hl7.org/fhir">');
    expect(out).toContain('"resourceType":"AuditEvent"');
  });
});
