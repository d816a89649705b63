/** Where a project's FSH and FHIR package cache are looked for. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { projectPaths, sharedPackageCache } from '../../scripts/project/paths.ts';
import { tempDir } from '../helpers/project.ts';

afterEach(() => vi.unstubAllEnvs());

describe('the FHIR package cache', () => {
  it('is one per-user cache shared by every project that has no .fhir-packages/ of its own', () => {
    const cacheHome = tempDir();
    vi.stubEnv('XDG_CACHE_HOME', cacheHome);
    vi.stubEnv('VM_IG_PACKAGE_CACHE', undefined);
    const a = projectPaths(tempDir());
    const b = projectPaths(tempDir());
    expect(a.packageCache).toBe(join(cacheHome, 'vm-ig', 'fhir-packages'));
    expect(b.packageCache).toBe(a.packageCache);
    expect(sharedPackageCache()).toBe(a.packageCache);
  });

  it('falls back to ~/.cache when XDG_CACHE_HOME is not set, and never to ~/.fhir/packages', () => {
    const home = tempDir();
    vi.stubEnv('XDG_CACHE_HOME', '');
    vi.stubEnv('HOME', home);
    vi.stubEnv('VM_IG_PACKAGE_CACHE', undefined);
    vi.stubEnv('FHIR_PACKAGE_CACHE', undefined);
    const paths = projectPaths(tempDir());
    expect(paths.packageCache).toBe(join(home, '.cache', 'vm-ig', 'fhir-packages'));
    expect(paths.userPackageCache).toBe(join(home, '.fhir', 'packages'));
  });

  it('is still the project-local .fhir-packages/ when the project has one', () => {
    vi.stubEnv('VM_IG_PACKAGE_CACHE', undefined);
    const root = tempDir();
    mkdirSync(join(root, '.fhir-packages'));
    expect(projectPaths(root).packageCache).toBe(join(root, '.fhir-packages'));
  });
});

describe('the FSH folder', () => {
  it('is input/fsh/ when only it exists, fsh/ otherwise', () => {
    const sushi = tempDir();
    mkdirSync(join(sushi, 'input', 'fsh'), { recursive: true });
    expect(projectPaths(sushi).fsh).toBe(join(sushi, 'input', 'fsh'));
    const ours = tempDir();
    mkdirSync(join(ours, 'fsh'));
    expect(projectPaths(ours).fsh).toBe(join(ours, 'fsh'));
  });
});
