import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corePackagePath } from '../../scripts/fhir/core-package.ts';
import { installPackageTarball } from '../../scripts/fhir/packages-add.ts';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import { dedent, makeProject, MINIMAL_CONFIG, REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';

const STARTER = join(REPO_ROOT, 'test', 'fixtures', 'compile', 'starter');
const DERIVED_FSH = dedent(`
  Profile: DerivedObservation
  Parent: http://example.org/starter/StructureDefinition/starter-observation
  Id: derived-observation
  * subject 1..1
`);

/** A local cache holding only a link to the shared core package. */
function cacheWithCore(): string {
  const dir = tempDir('vm-ig-cache-');
  symlinkSync(corePackagePath(SHARED_PACKAGE_CACHE), corePackagePath(dir));
  return dir;
}

function dependentProject(version = '1.0.0'): string {
  return makeProject({
    'sushi-config.yaml': `${MINIMAL_CONFIG}dependencies:\n  example.starter: ${version}\n`,
    'fsh/derived.fsh': DERIVED_FSH,
    'input/pagecontent/index.md': '### Home\n'
  });
}

describe('package resolution without a network', () => {
  const packageDir = tempDir('vm-ig-pkg-');
  const offline = process.env.VM_IG_OFFLINE;

  afterAll(() => {
    if (offline === undefined) delete process.env.VM_IG_OFFLINE;
    else process.env.VM_IG_OFFLINE = offline;
  });

  beforeAll(async () => {
    // As --offline: no registry is asked (about SUSHI's automatic packages either).
    process.env.VM_IG_OFFLINE = '1';
    const starter = makeProject({}, STARTER);
    await runPipeline(starter, ['compile'], { packageCache: SHARED_PACKAGE_CACHE });
    const content = join(packageDir, 'package');
    mkdirSync(content, { recursive: true });
    cpSync(
      join(starter, 'fsh-generated', 'resources', 'StructureDefinition-starter-observation.json'),
      join(content, 'StructureDefinition-starter-observation.json')
    );
    writeFileSync(
      join(content, 'package.json'),
      JSON.stringify({ name: 'example.starter', version: '1.0.0', fhirVersions: ['4.0.1'], dependencies: { 'hl7.fhir.r4.core': '4.0.1' } })
    );
    await tar.c({ gzip: true, file: join(packageDir, 'example.starter-1.0.0.tgz'), cwd: packageDir }, ['package']);
  });

  it('finds a dependency installed in the project-local cache with packages add', async () => {
    const cache = cacheWithCore();
    const installed = await installPackageTarball(cache, join(packageDir, 'example.starter-1.0.0.tgz'));
    expect(installed).toMatchObject({ name: 'example.starter', version: '1.0.0' });
    const result = await runPipeline(dependentProject(), ['compile'], { packageCache: cache, userPackageCache: tempDir() });
    expect(result.diagnostics).toEqual([]);
    const derived = result.ctx!.compiled!.resources.find(r => r.fileName === 'StructureDefinition-derived-observation.json');
    expect(derived?.resource.baseDefinition).toBe('http://example.org/starter/StructureDefinition/starter-observation');
  });

  it('falls back to the user cache (~/.fhir/packages) and never writes to it', async () => {
    const userCache = tempDir('vm-ig-home-');
    cpSync(packageDir, join(userCache, 'example.starter#1.0.0'), { recursive: true });
    const before = readFileSync(join(userCache, 'example.starter#1.0.0', 'package', 'package.json'), 'utf8');
    const result = await runPipeline(dependentProject(), ['compile'], { packageCache: cacheWithCore(), userPackageCache: userCache });
    expect(result.diagnostics).toEqual([]);
    expect(readFileSync(join(userCache, 'example.starter#1.0.0', 'package', 'package.json'), 'utf8')).toBe(before);
  });

  it('names a missing dependency, its version and how to supply it', async () => {
    const result = await runPipeline(dependentProject('2.0.0'), ['compile'], { packageCache: cacheWithCore(), userPackageCache: tempDir() });
    const errors = result.diagnostics.filter(d => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/example\.starter#2\.0\.0 is not available offline .*vm-ig packages add path\/to\/example\.starter-2\.0\.0\.tgz/);
    expect(errors[0]!.message).toContain('vm-ig packages install example.starter#2.0.0');
    expect(errors[0]!.location).toMatchObject({ file: 'sushi-config.yaml', line: MINIMAL_CONFIG.split('\n').length + 1, column: 3 });
  });

  it('rejects a tarball that is not a FHIR package', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'readme.txt'), 'hello');
    await tar.c({ gzip: true, file: join(dir, 'x.tgz'), cwd: dir }, ['readme.txt']);
    await expect(installPackageTarball(tempDir(), join(dir, 'x.tgz'))).rejects.toThrow(/no package\/package.json inside/);
  });
});
