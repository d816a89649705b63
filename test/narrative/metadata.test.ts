import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { guideMetadata, withGuideMetadata } from '../../scripts/stages/narrative/metadata.ts';

const ig = {
  resourceType: 'ImplementationGuide',
  id: 'g',
  version: '2.0.0',
  publisher: 'HL7',
  date: '2026-01-01',
  definition: {
    parameter: [
      { code: 'apply-version', value: 'true' },
      { code: 'apply-publisher', value: 'true' }
    ]
  }
} as unknown as FhirResource;

describe("the guide's metadata on its artifacts (apply-*)", () => {
  it('fills version, publisher and date where an artifact has none, in FHIR order', () => {
    const vs = { resourceType: 'ValueSet', id: 'v', url: 'http://x/v', name: 'V', status: 'draft' } as unknown as FhirResource;
    expect(Object.keys(withGuideMetadata(vs, guideMetadata(ig), false)!)).toEqual([
      'resourceType',
      'id',
      'url',
      'version',
      'name',
      'status',
      'date',
      'publisher'
    ]);
  });

  it('never gives an R4 NamingSystem a version, which R4 NamingSystem does not have', () => {
    const ns = { resourceType: 'NamingSystem', id: 'n', name: 'N', status: 'draft', kind: 'identifier', uniqueId: [] } as unknown as FhirResource;
    const out = withGuideMetadata(ns, guideMetadata(ig), false)!;
    expect(out.version).toBeUndefined();
    expect(out.publisher).toBe('HL7');
  });
});
