import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corePackagePath, ensureCorePackage, EXPECTED_RESOURCE_COUNT, verifyCorePackage } from '../../scripts/fhir/core-package.ts';
import { tempDir } from '../helpers/project.ts';

describe('core package writer', () => {
  const cache = tempDir('vm-ig-core-');

  it('writes hl7.fhir.r4.core#4.0.1 as a FHIR package with one file per resource and an index', () => {
    const status = ensureCorePackage(cache);
    expect(status.action).toBe('written');
    expect(status.resourceCount).toBe(EXPECTED_RESOURCE_COUNT);
    const pkg = join(corePackagePath(cache), 'package');
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'hl7.fhir.r4.core', version: '4.0.1', fhirVersions: ['4.0.1'] });
    const index = JSON.parse(readFileSync(join(pkg, '.index.json'), 'utf8'));
    expect(index['index-version']).toBe(2);
    expect(index.files).toHaveLength(EXPECTED_RESOURCE_COUNT);
    const files = readdirSync(pkg).filter(f => f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.'));
    expect(files).toHaveLength(EXPECTED_RESOURCE_COUNT);
    const patient = JSON.parse(readFileSync(join(pkg, 'StructureDefinition-Patient.json'), 'utf8'));
    expect(patient.url).toBe('http://hl7.org/fhir/StructureDefinition/Patient');
    expect(index.files.find((f: { id: string; resourceType: string }) => f.id === 'Patient' && f.resourceType === 'StructureDefinition')).toMatchObject({
      filename: 'StructureDefinition-Patient.json',
      kind: 'resource',
      type: 'Patient'
    });
    for (const type of ['CodeSystem', 'ValueSet', 'SearchParameter', 'ConceptMap', 'OperationDefinition']) {
      expect(files.some(f => f.startsWith(`${type}-`))).toBe(true);
    }
  });

  it('is a no-op when the package is already complete', () => {
    const marker = join(corePackagePath(cache), 'package', 'StructureDefinition-Patient.json');
    const before = readFileSync(marker, 'utf8');
    writeFileSync(marker, before); // same content, new mtime: we only check that nothing is rewritten
    const status = ensureCorePackage(cache);
    expect(status.action).toBe('present');
    expect(verifyCorePackage(corePackagePath(cache))).toBeUndefined();
  });

  it('detects a truncated cache (files missing) and rebuilds it', () => {
    const pkg = join(corePackagePath(cache), 'package');
    for (const f of readdirSync(pkg)
      .filter(f => f.startsWith('ValueSet-'))
      .slice(0, 50))
      unlinkSync(join(pkg, f));
    expect(verifyCorePackage(corePackagePath(cache))).toMatch(/do not match the index/);
    const status = ensureCorePackage(cache);
    expect(status).toMatchObject({ action: 'written', resourceCount: EXPECTED_RESOURCE_COUNT });
    expect(verifyCorePackage(corePackagePath(cache))).toBeUndefined();
  });

  it('detects an interrupted write (no index yet) and rebuilds it', () => {
    const target = corePackagePath(cache);
    rmSync(join(target, 'package', '.index.json'));
    expect(ensureCorePackage(cache).action).toBe('written');
    expect(existsSync(join(target, 'package', '.index.json'))).toBe(true);
  });

  it('detects a half-written folder left where the package belongs', () => {
    const other = tempDir('vm-ig-core-half-');
    mkdirSync(join(corePackagePath(other), 'package'), { recursive: true });
    writeFileSync(join(corePackagePath(other), 'package', 'package.json'), '{"name": "hl7.fhir.r4.co');
    expect(verifyCorePackage(corePackagePath(other))).toMatch(/unreadable/);
    expect(ensureCorePackage(other).action).toBe('written');
    expect(readdirSync(other)).toEqual(['hl7.fhir.r4.core#4.0.1']);
  });
});
