/**
 * The stub index that lets fhir-package-loader index a package without parsing every file: the
 * indexing pass sees exactly the fields the loader reads, later reads see the real files, and an
 * index that is corrupt or that a changed package no longer matches is never used.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexedPackageCache } from '../../scripts/stages/compile/definitions-index.ts';
import { tempDir } from '../helpers/project.ts';

const SD = {
  resourceType: 'StructureDefinition',
  id: 'p',
  url: 'http://x/p',
  name: 'P',
  version: '1',
  kind: 'resource',
  derivation: 'constraint',
  type: 'Patient',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
  abstract: false,
  extension: [
    { url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-imposeProfile', valueCanonical: 'http://x/q' },
    { url: 'http://other', valueString: 'dropped' }
  ],
  snapshot: { element: [{ id: 'Patient', path: 'Patient' }] }
};

function fakePackage() {
  const dir = tempDir();
  const pkg = join(dir, 'package');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'StructureDefinition-p.json'), JSON.stringify(SD));
  writeFileSync(join(pkg, 'ValueSet-v.json'), JSON.stringify({ resourceType: 'ValueSet', id: 'v', url: 'http://x/v', compose: { include: [] } }));
  writeFileSync(join(pkg, 'broken.json'), '{ not json');
  const reads: string[] = [];
  const inner = {
    directories: [dir],
    cachedVersions: () => ['1.0.0'],
    cachePackageTarball: () => Promise.resolve(dir),
    isPackageInCache: () => true,
    getPackagePath: () => dir,
    getPackageJSONPath: () => join(pkg, 'package.json'),
    getPotentialResourcePaths: () =>
      readdirSync(pkg)
        .map(f => join(pkg, f))
        .sort(),
    getResourceAtPath: (p: string) => {
      reads.push(p);
      return JSON.parse(readFileSync(p, 'utf8'));
    }
  };
  return { pkg, inner, reads, indexDir: join(dir, 'index') };
}

/** The indexing pass as fhir-package-loader runs it: list, then read each file once. */
function indexPass(cache: IndexedPackageCache) {
  return cache.getPotentialResourcePaths('x', '1.0.0').map(p => {
    try {
      return cache.getResourceAtPath(p);
    } catch {
      return 'unreadable';
    }
  });
}

describe('IndexedPackageCache', () => {
  it('answers the indexing pass from stubs, and later reads from the files', () => {
    const { pkg, inner, reads, indexDir } = fakePackage();
    const first = indexPass(new IndexedPackageCache(inner, indexDir));
    // Sorted: StructureDefinition-p.json, ValueSet-v.json, broken.json.
    const { snapshot: _, extension, ...top } = SD;
    expect(first[0]).toEqual({ ...top, extension: [extension[0]] });
    expect(first[1]).toEqual({ resourceType: 'ValueSet', id: 'v', url: 'http://x/v' });
    expect(first[2]).toBe('unreadable');

    reads.length = 0;
    const cache = new IndexedPackageCache(inner, indexDir);
    expect(indexPass(cache)).toEqual(first);
    expect(reads).toEqual([]); // the second run reads no package file to index it
    expect(cache.getResourceAtPath(join(pkg, 'StructureDefinition-p.json'))).toEqual(SD);
  });

  it('rebuilds the index when a file changed or the stored index is corrupt', () => {
    const { pkg, inner, reads, indexDir } = fakePackage();
    indexPass(new IndexedPackageCache(inner, indexDir));
    writeFileSync(join(pkg, 'ValueSet-v.json'), JSON.stringify({ resourceType: 'ValueSet', id: 'v', url: 'http://x/v-changed' }));
    expect(indexPass(new IndexedPackageCache(inner, indexDir))[1]).toMatchObject({ url: 'http://x/v-changed' });

    for (const f of readdirSync(indexDir)) writeFileSync(join(indexDir, f), '{"format":"vm-ig-definitions-index/1","stubs":[1,2');
    reads.length = 0;
    expect(indexPass(new IndexedPackageCache(inner, indexDir))[1]).toMatchObject({ url: 'http://x/v-changed' });
    expect(reads.length).toBe(3);
  });
});
