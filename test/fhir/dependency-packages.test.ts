/** site.data.fhir.ver: each dependency's web location, by the keys guides use (fhir/dependency-packages.ts). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dependencyWebPaths } from '../../scripts/fhir/dependency-packages.ts';

const cache = mkdtempSync(join(tmpdir(), 'vm-ig-deps-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
function add(name: string, version: string, manifest: string): void {
  mkdirSync(join(cache, `${name}#${version}`, 'package'), { recursive: true });
  writeFileSync(join(cache, `${name}#${version}`, 'package', 'package.json'), manifest);
}
add('hl7.fhir.us.core', '3.1.1', JSON.stringify({ name: 'hl7.fhir.us.core', version: '3.1.1', url: 'http://hl7.org/fhir/us/core/STU3.1.1' }));
add('hl7.fhir.us.core', '6.1.0', JSON.stringify({ name: 'hl7.fhir.us.core', version: '6.1.0', url: 'http://hl7.org/fhir/us/core/STU6.1/' }));
add('example.broken', '1.0.0', '{ not json');
const locate = (name: string, version: string) => {
  const dir = join(cache, `${name}#${version}`);
  return ['hl7.fhir.us.core#3.1.1', 'hl7.fhir.us.core#6.1.0', 'example.broken#1.0.0'].includes(`${name}#${version}`) ? dir : undefined;
};

describe('dependency web paths', () => {
  it("keys each by its dependsOn id and by its package id without punctuation, valued by the package's url", () => {
    expect(dependencyWebPaths([{ id: 'uscore3', packageId: 'hl7.fhir.us.core', version: '3.1.1' }], [], locate)).toEqual({
      uscore3: 'http://hl7.org/fhir/us/core/STU3.1.1',
      hl7fhiruscore: 'http://hl7.org/fhir/us/core/STU3.1.1'
    });
  });

  it('takes the version the compile loaded (a 6.1.x dependency) and drops a trailing slash', () => {
    expect(dependencyWebPaths([{ id: 'hl7_fhir_us_core', packageId: 'hl7.fhir.us.core', version: '6.1.x' }], ['hl7.fhir.us.core#6.1.0'], locate)).toEqual({
      hl7_fhir_us_core: 'http://hl7.org/fhir/us/core/STU6.1',
      hl7fhiruscore: 'http://hl7.org/fhir/us/core/STU6.1'
    });
  });

  it("falls back to the dependency's canonical when its package is missing or its manifest unreadable", () => {
    expect(
      dependencyWebPaths(
        [
          { id: 'missing', packageId: 'example.missing', version: '2.0.0', uri: 'http://example.org/fhir/ImplementationGuide/example.missing' },
          { id: 'broken', packageId: 'example.broken', version: '1.0.0', uri: 'http://example.org/broken/ImplementationGuide/b' },
          { id: 'nothing', packageId: 'example.nothing', version: '1.0.0' }
        ],
        [],
        locate
      )
    ).toEqual({
      missing: 'http://example.org/fhir',
      examplemissing: 'http://example.org/fhir',
      broken: 'http://example.org/broken',
      examplebroken: 'http://example.org/broken'
    });
  });
});
