/**
 * The real guide, end to end: two builds of its package are byte-identical and well-formed; the
 * package installs with `vm-ig packages add` into a local cache; a second FSH project
 * (test/fixtures/dependent-project) compiles against it offline and derives a profile from the
 * chargeable-status Observation; `vm-ig validate --load package.tgz` checks instances against the
 * packaged profiles; without the package, the dependent project gets a clear message.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFsh } from '../../scripts/stages/compile/compile.ts';
import { validateCommand } from '../../scripts/commands/validate.ts';
import { corePackagePath } from '../../scripts/fhir/core-package.ts';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import { readProjectConfig } from '../../scripts/project/config.ts';
import { projectPaths } from '../../scripts/project/paths.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { copyGuide, REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { readTarball } from './read-tarball.ts';
import { expectIndexMatchesFiles, parseAll } from './package-checks.ts';

const DEPENDENT = join(REPO_ROOT, 'test', 'fixtures', 'dependent-project');
const VM_PROFILE = 'https://fhir.nhs.uk/vm/StructureDefinition/vm-chargeable-status-observation';
const GUIDE_VERSION = readProjectConfig(join(REPO_ROOT, 'sushi-config.yaml')).config!.version;
let sources: string | undefined;

/** One snapshot of the guide's sources (not its output), so both builds see the same files. */
function guideSources(): string {
  sources ??= copyGuide('vm-ig-guide-src-');
  return sources;
}

/** Build the guide's package in a fresh copy of the source snapshot. */
async function buildGuidePackage(): Promise<Buffer> {
  const root = tempDir('vm-ig-guide-');
  cpSync(guideSources(), root, { recursive: true });
  const result = await runPipeline(root, ['package'], { packageCache: SHARED_PACKAGE_CACHE, userPackageCache: tempDir() });
  // A compile error would stop the pipeline before the package; validation findings do not.
  expect(result.ran).toContain('package');
  expect(result.diagnostics.filter(d => d.rule.startsWith('package'))).toEqual([]);
  // SUSHI checks ig.ini and the menu for the IG Publisher while it builds the IG resource.
  expect(result.diagnostics.filter(d => /ig\.ini|menu/.test(d.message))).toEqual([]);
  return readFileSync(join(root, 'build', 'package.tgz'));
}

let shared: Promise<Buffer> | undefined;

/** One build of the guide's package shared by the tests of this file (builds are slow). */
function guidePackage(): Promise<Buffer> {
  shared ??= buildGuidePackage();
  return shared;
}

/** A package cache holding the core package (linked, not copied) and nothing else. */
function cacheWithCore(): string {
  const cache = tempDir('vm-ig-cache-');
  symlinkSync(corePackagePath(SHARED_PACKAGE_CACHE), corePackagePath(cache), 'dir');
  return cache;
}

function snapshot(sd: FhirResource): { id: string; min?: number; max?: string }[] {
  return (sd.snapshot as { element: { id: string; min?: number; max?: string }[] }).element;
}

/** Copy the dependent project, depending on the guide's current version, and compile it. */
async function compileDependent(cache: string) {
  const root = tempDir('vm-ig-dependent-');
  cpSync(DEPENDENT, root, { recursive: true });
  const configFile = join(root, 'sushi-config.yaml');
  writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/uk\.nhs\.vm: .*/, `uk.nhs.vm: ${GUIDE_VERSION}`));
  const paths = projectPaths(root, { packageCache: cache, userPackageCache: tempDir() });
  const { config } = readProjectConfig(paths.config);
  return compileFsh(paths, config!);
}

describe('the guide package, built twice from the real guide', () => {
  let first: Buffer;
  let second: Buffer;
  // Two full builds (compile, validate, package) of the real guide: slow on a busy machine.
  beforeAll(async () => {
    first = await guidePackage();
    second = await buildGuidePackage();
  }, 300_000);

  it('is byte-identical across builds', async () => {
    expect(first.length).toBeGreaterThan(0);
    if (!first.equals(second)) {
      const [a, b] = [await readTarball(first), await readTarball(second)];
      const differing = [...new Set([...a.keys(), ...b.keys()])].filter(k => a.get(k)?.text !== b.get(k)?.text);
      expect(differing, 'entries that differ between the two builds').toEqual([]);
    }
    expect(first.equals(second)).toBe(true);
  });

  it('has an index in package/ and package/example/ matching the files', async () => {
    const parsed = parseAll(await readTarball(first));
    expectIndexMatchesFiles(parsed, 'package');
    expectIndexMatchesFiles(parsed, 'package/example');
    expect(parsed.has('package/ImplementationGuide-uk.nhs.vm.json')).toBe(true);
    expect(parsed.has('package/other/validation-oo.json')).toBe(true);
  });

  it('declares itself as the guide in package.json, dated by sushi-config.yaml', async () => {
    const { config } = readProjectConfig(join(REPO_ROOT, 'sushi-config.yaml'));
    const pkg = parseAll(await readTarball(first)).get('package/package.json')!;
    expect(pkg).toMatchObject({
      name: config!.id,
      version: config!.version,
      type: 'IG',
      canonical: config!.canonical,
      fhirVersions: ['4.0.1'],
      date: config!.date!.replace(/-/g, '').padEnd(14, '0')
    });
    expect(pkg.dependencies).toMatchObject({ 'hl7.fhir.r4.core': '4.0.1' });
  });

  describe('used by another project', () => {
    let cache: string;
    beforeAll(() => {
      const tgz = join(tempDir(), 'package.tgz');
      writeFileSync(tgz, first);
      cache = cacheWithCore();
      const out = execFileSync(process.execPath, [join(REPO_ROOT, 'bin', 'vm-ig.js'), 'packages', 'add', tgz], {
        env: { ...process.env, VM_IG_PACKAGE_CACHE: cache },
        encoding: 'utf8'
      });
      expect(out).toMatch(/installed uk\.nhs\.vm#/);
    });

    it('compiles a dependent project that derives from the chargeable-status Observation', async () => {
      const { result, diagnostics } = await compileDependent(cache);
      expect(diagnostics.filter(d => d.severity !== 'information')).toEqual([]);
      const byId = new Map(result.resources.map(r => [r.resource.id, r.resource]));
      const derived = byId.get('trust-chargeable-status-observation')!;
      expect(derived).toMatchObject({ resourceType: 'StructureDefinition', type: 'Observation', baseDefinition: VM_PROFILE });
      expect(byId.get('trust-chargeable-status-by-name')).toMatchObject({ baseDefinition: VM_PROFILE });
      // The snapshot is built from the packaged profile: its rules are inherited.
      const element = (id: string) => snapshot(derived).find(e => e.id === id);
      expect(element('Observation.identifier')).toMatchObject({ max: '0' });
      expect(element('Observation.component:basicStatus')).toMatchObject({ min: 1, max: '1' });
      expect(element('Observation.component:categoryStatus')).toMatchObject({ min: 1, max: '1' });
      // An instance of it uses the package's code systems and gets the parent's fixed values.
      const example = byId.get('TrustChargeableStatusExample')!;
      expect(example).toMatchObject({ resourceType: 'Observation', status: 'final', code: { coding: [{ code: '0001' }] } });
      expect((example.component as unknown[]).length).toBe(3);
    });

    it('installs into the cache with vm-ig packages add', () => {
      expect(existsSync(join(cache, `uk.nhs.vm#${GUIDE_VERSION}`, 'package', '.index.json'))).toBe(true);
    });
  });
});

describe('vm-ig validate --load build/package.tgz', () => {
  let tgz: string;
  let root: string;
  let example: Record<string, unknown>;
  beforeAll(async () => {
    const bytes = await guidePackage();
    tgz = join(tempDir(), 'package.tgz');
    writeFileSync(tgz, bytes);
    const parsed = parseAll(await readTarball(bytes));
    const found = [...parsed].find(([path, r]) => path.startsWith('package/example/Observation-') && JSON.stringify(r.meta ?? {}).includes(VM_PROFILE));
    expect(found, 'the package has an example of the chargeable-status profile').toBeDefined();
    example = found![1];
    delete example.meta;
    // A project with no compiled guide of its own: profiles can only come from --load.
    root = tempDir('vm-ig-validate-');
    symlinkSync(SHARED_PACKAGE_CACHE, join(root, '.fhir-packages'), 'dir');
  }, 300_000);

  async function validate(instance: unknown, load: string[]): Promise<{ code: number; output: Record<string, any>; text: string }> {
    const file = join(root, 'instance.json');
    writeFileSync(file, JSON.stringify(instance, null, 2));
    const lines: string[] = [];
    const code = await validateCommand!({ root, files: [file], format: 'json', profile: VM_PROFILE, load, print: l => lines.push(l) });
    const text = lines.join('\n');
    return { code, output: text.startsWith('{') ? (JSON.parse(text) as Record<string, any>) : {}, text };
  }

  it('validates an instance against the packaged profile', async () => {
    const { code, output } = await validate(example, [tgz]);
    expect(output.resourceType).toBe('OperationOutcome');
    expect(output.issue.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  it('rejects what the packaged profile forbids, with its FHIRPath', async () => {
    const { code, output } = await validate({ ...example, note: [{ text: 'visa details' }] }, [tgz]);
    expect(code).toBe(1);
    const errors = output.issue.filter((i: { severity: string }) => i.severity === 'error');
    expect(errors.some((i: { expression?: string[] }) => i.expression?.[0]?.startsWith('Observation.note'))).toBe(true);
  });

  it('does not know the profile without the package', async () => {
    const { code, text } = await validate(example, []);
    expect(code).toBe(2);
    expect(text).toContain(VM_PROFILE);
  });
});

/** The line of the guide's entry under `dependencies:` in the dependent project's config. */
function dependencyLine(): number {
  const lines = readFileSync(join(DEPENDENT, 'sushi-config.yaml'), 'utf8').split('\n');
  return lines.findIndex(l => /^\s+uk\.nhs\.vm:/.test(l)) + 1;
}

describe('a project depending on the guide, without its package', () => {
  it('fails with a message naming the package and how to install it', async () => {
    const { result, diagnostics } = await compileDependent(cacheWithCore());
    expect(result.resources).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        rule: 'dependency-missing',
        location: { file: 'sushi-config.yaml', line: dependencyLine(), column: 3 },
        message: expect.stringMatching(
          new RegExp(`FHIR package uk\\.nhs\\.vm#${GUIDE_VERSION.replace(/\./g, '\\.')} is not available offline.*vm-ig packages add`)
        )
      })
    ]);
  });
});
