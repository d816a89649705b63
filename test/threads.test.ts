/**
 * A job on a second thread (scripts/util/threads.ts): run from the sources, the thread loads its entry
 * through tsx; its answer comes back, and so does its failure, with the errno fields an I/O
 * diagnostic needs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeptThread, runOnThread } from '../scripts/util/threads.ts';
import type { ValidationReport } from '../scripts/model/validation.ts';
import { SHARED_PACKAGE_CACHE, tempDir } from './helpers/project.ts';

describe('runOnThread', () => {
  it("answers with the job's value: validation of a resource on the validate thread", async () => {
    const resource = { resourceType: 'Patient', id: 'p1', gender: 'sometimes' };
    const report = await runOnThread<ValidationReport>('validate-thread', {
      packageCache: SHARED_PACKAGE_CACHE,
      resources: [{ fileName: 'Patient-p1.json', resource, usage: 'example' }]
    });
    expect(report.files.map(f => f.file)).toEqual(['fsh-generated/resources/Patient-p1.json']);
    expect(report.files[0]!.diagnostics.some(d => d.severity === 'error' && /gender/.test(d.location?.expression ?? d.message))).toBe(true);
  }, 60_000);

  it("rejects with the job's error, its errno fields kept", async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const failure = await runOnThread('validate-thread', { packageCache: join(file, 'cache'), resources: [] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as NodeJS.ErrnoException).code).toMatch(/^E[A-Z]+$/);
    expect((failure as NodeJS.ErrnoException).syscall).toBeTypeOf('string');
  }, 60_000);
});

describe('KeptThread', () => {
  it('answers many jobs on one loaded thread, in order, and rejects the jobs still waiting when closed', async () => {
    const thread = new KeptThread('validate-thread');
    try {
      const patient = (id: string, gender: string) => ({ fileName: `Patient-${id}.json`, resource: { resourceType: 'Patient', id, gender }, usage: 'example' });
      const bad = thread.run<ValidationReport>({ packageCache: SHARED_PACKAGE_CACHE, resources: [patient('p1', 'sometimes')] });
      const good = thread.run<ValidationReport>({ packageCache: SHARED_PACKAGE_CACHE, resources: [patient('p2', 'female')] });
      expect((await bad).files[0]!.diagnostics.some(d => d.severity === 'error')).toBe(true);
      expect((await good).files.map(f => [f.id, f.diagnostics.filter(d => d.severity === 'error')])).toEqual([['p2', []]]);
      const waiting = thread.run({ packageCache: SHARED_PACKAGE_CACHE, resources: [patient('p3', 'male')] }).catch((e: unknown) => e);
      await thread.close();
      expect(String(await waiting)).toMatch(/closed before it answered/);
      // A job after close starts a new thread.
      expect((await thread.run<ValidationReport>({ packageCache: SHARED_PACKAGE_CACHE, resources: [patient('p4', 'male')] })).files).toHaveLength(1);
    } finally {
      await thread.close();
    }
  }, 60_000);
});
