/**
 * Element ids are unique within a resource (the HL7 Java validator's DUPLICATE_ID, an error on the
 * second element), nested resources counting on their own. Small resources
 * written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { patient, validator } from './helpers.ts';

function duplicates(resource: Record<string, unknown>): string[] {
  return validator()
    .validateResource(resource)
    .filter(i => i.rule === 'duplicate-id')
    .map(i => `${i.severity} ${i.location?.expression ?? ''}: ${i.message}`);
}

const identifier = (id: string, value: string) => ({ id, system: 'https://example.org/mrn', value });

describe('DUPLICATE_ID', () => {
  it('distinct ids are fine', () => {
    expect(duplicates(patient({ identifier: [identifier('a', '1'), identifier('b', '2')] }))).toEqual([]);
  });

  it('the same id on two elements is an error on the second', () => {
    expect(duplicates(patient({ identifier: [identifier('a', '1'), identifier('a', '2')] }))).toEqual(["error Patient.identifier[1]: Duplicate id value 'a'"]);
  });

  it("a primitive's _element id counts; the resource's own id does not (core definitions repeat it on their root element)", () => {
    expect(duplicates(patient({ identifier: [identifier('p', '1')] }))).toEqual([]);
    expect(duplicates(patient({ name: [{ id: 'n', family: 'X', _given: [{ id: 'n' }] }] }))).toEqual([
      "error Patient.name[0].given[0]: Duplicate id value 'n'"
    ]);
  });

  it('a contained resource keeps its own ids', () => {
    const org = { resourceType: 'Organization', id: 'o', name: 'O', identifier: [identifier('a', '1')] };
    const p = patient({ contained: [org], managingOrganization: { reference: '#o' }, identifier: [identifier('a', '2')] });
    expect(duplicates(p)).toEqual([]);
  });
});
