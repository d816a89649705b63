import { describe, expect, it } from 'vitest';
import { fhirPackageDate, packageDateSeconds, packageManifest } from '../../scripts/stages/package/manifest.ts';
import { CONFIG_YAML, fixtureConfig, IG } from './fixture.ts';

describe('fhirPackageDate', () => {
  it.each([
    ['2026-11-21', '20261121000000'],
    ['2026-11', '20261101000000'],
    ['2026', '20260101000000'],
    ['2026-11-21T09:30:15+01:00', '20261121093015'],
    ['2026-11-21T09:30Z', '20261121093000']
  ])('%s -> %s', (declared, expected) => {
    expect(fhirPackageDate(declared)).toBe(expected);
  });

  it('refuses what is not a date', () => {
    expect(() => fhirPackageDate('soon')).toThrow(/not a FHIR date/);
  });

  it('turns a package date into epoch seconds, read as UTC', () => {
    expect(packageDateSeconds('20261121093015')).toBe(Date.UTC(2026, 10, 21, 9, 30, 15) / 1000);
  });
});

describe('packageManifest', () => {
  it('fills the FHIR package.json fields from sushi-config.yaml and the IG', () => {
    const m = packageManifest(fixtureConfig(), IG.resource);
    expect(m).toEqual({
      name: 'example.guide',
      version: '1.2.3',
      type: 'IG',
      date: '20260304000000',
      license: 'CC0-1.0',
      canonical: 'http://example.org/guide',
      url: 'http://example.org/guide',
      title: 'Example guide',
      description: 'A guide for tests.',
      fhirVersions: ['4.0.1'],
      dependencies: { 'hl7.fhir.r4.core': '4.0.1', 'hl7.fhir.uv.extensions.r4': '5.2.0' },
      author: 'Test Publisher',
      maintainers: [{ name: 'Test Publisher', email: 'test@example.org' }],
      directories: { lib: 'package', example: 'example' },
      jurisdiction: 'urn:iso:std:iso:3166#GB'
    });
  });

  it('reads the jurisdiction from the config when there is no IG resource', () => {
    expect(packageManifest(fixtureConfig()).jurisdiction).toBe('urn:iso:std:iso:3166#GB');
  });

  it('uses packageId over id, and leaves out a date the guide does not declare', () => {
    const yaml = CONFIG_YAML.replace('date: 2026-03-04\n', '').replace('id: example.guide', 'id: example.guide\npackageId: example.guide.pkg');
    const m = packageManifest(fixtureConfig(yaml));
    expect(m.name).toBe('example.guide.pkg');
    expect('date' in m).toBe(false);
  });
});
