import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import { makeProject, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const run = promisify(execFile);
const STARTER = join(REPO_ROOT, 'test', 'fixtures', 'compile', 'starter');
const options = { packageCache: SHARED_PACKAGE_CACHE, userPackageCache: join(REPO_ROOT, 'test', 'fixtures', 'no-such-dir') };

describe('compile on the starter fixture', () => {
  const root = makeProject({}, STARTER);
  const connect = vi.spyOn(net.Socket.prototype, 'connect');
  let result: Awaited<ReturnType<typeof runPipeline>>;

  beforeAll(async () => {
    result = await runPipeline(root, ['compile'], options);
  });
  afterAll(() => connect.mockRestore());

  it('compiles FSH at any depth with no diagnostics and no network attempt', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.ctx?.compiled?.counts).toMatchObject({ profiles: 1, valueSets: 1, codeSystems: 1, instances: 1 });
    expect(connect).not.toHaveBeenCalled();
  });

  it('writes fsh-generated/resources with the file names sushi build uses, snapshots included', () => {
    const files = readdirSync(join(root, 'fsh-generated', 'resources')).sort();
    expect(files).toEqual([
      'CodeSystem-status.json',
      'ImplementationGuide-test.starter.json',
      'Observation-starter-example.json',
      'StructureDefinition-starter-observation.json',
      'ValueSet-status-vs.json'
    ]);
    const sd = JSON.parse(readFileSync(join(root, 'fsh-generated', 'resources', 'StructureDefinition-starter-observation.json'), 'utf8'));
    expect(sd.snapshot.element.length).toBeGreaterThan(40);
    expect(sd.differential.element.map((e: { id: string }) => e.id)).toContain('Observation.note');
  });

  it('builds the ImplementationGuide from sushi-config.yaml and the pages', () => {
    const ig = JSON.parse(readFileSync(join(root, 'fsh-generated', 'resources', 'ImplementationGuide-test.starter.json'), 'utf8'));
    expect(ig).toMatchObject({ id: 'test.starter', url: 'http://example.org/starter/ImplementationGuide/test.starter', fhirVersion: ['4.0.1'] });
    expect(JSON.stringify(ig.definition.page)).toContain('index.html');
    expect(ig.definition.resource.length).toBe(4);
  });

  it('records where each resource came from and what an instance claims', () => {
    const example = result.ctx!.compiled!.resources.find(r => r.fileName === 'Observation-starter-example.json')!;
    expect(example.instanceOf).toBe('http://example.org/starter/StructureDefinition/starter-observation');
    expect(example.usage).toBe('example');
    expect(example.source).toMatchObject({ file: join('fsh', 'nested', 'deeper', 'terminology.fsh'), startLine: 14 });
  });

  it('is deterministic: a second compile gives byte-identical files', async () => {
    const dir = join(root, 'fsh-generated', 'resources');
    const first = Object.fromEntries(readdirSync(dir).map(f => [f, readFileSync(join(dir, f), 'utf8')]));
    await runPipeline(root, ['compile'], options);
    const second = Object.fromEntries(readdirSync(dir).map(f => [f, readFileSync(join(dir, f), 'utf8')]));
    expect(second).toEqual(first);
  });
});

describe('compile errors', () => {
  it('reports an unknown parent at file:line and keeps the previous output', async () => {
    const root = makeProject({}, STARTER);
    await runPipeline(root, ['compile'], options);
    writeFileSync(join(root, 'fsh', 'broken.fsh'), '\n\nProfile: Broken\nParent: NoSuchParent\n');
    const result = await runPipeline(root, ['compile'], options);
    const errors = result.diagnostics.filter(d => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: expect.stringMatching(/Parent NoSuchParent not found/),
      location: { file: join('fsh', 'broken.fsh'), line: 3 }
    });
    expect(existsSync(join(root, 'fsh-generated', 'resources', 'StructureDefinition-starter-observation.json'))).toBe(true);
    expect(readdirSync(root).filter(f => f.includes('staging') || f.includes('.old-'))).toEqual([]);
  });

  it('the CLI prints file:line:col and exits 1', async () => {
    const root = makeProject({ 'fsh/bad.fsh': 'Profile: Bad\nParent: Nope\n' }, STARTER);
    const failure = await run('npx', ['tsx', join(REPO_ROOT, 'scripts', 'cli.ts'), '-C', root, 'compile'], {
      env: { ...process.env, VM_IG_PACKAGE_CACHE: SHARED_PACKAGE_CACHE }
    }).then(
      () => undefined,
      (e: { code: number; stderr: string; stdout: string }) => e
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('fsh/bad.fsh:1:1: error Parent Nope not found for Bad');
    expect(failure?.stdout).toMatch(/1 error, 0 warnings in/);
  });

  it('warns of an unknown sushi-config.yaml key with its line and compiles, as SUSHI does', async () => {
    const root = makeProject({}, STARTER);
    const original = readFileSync(join(root, 'sushi-config.yaml'), 'utf8');
    writeFileSync(join(root, 'sushi-config.yaml'), `${original}colour: blue\n`);
    const line = original.split('\n').length;
    const result = await runPipeline(root, ['compile'], options);
    expect(result.ran).toEqual(['compile']);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        rule: 'config-unknown-key',
        message: expect.stringContaining("'colour'"),
        location: expect.objectContaining({ file: 'sushi-config.yaml', line })
      })
    );
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  });
});
