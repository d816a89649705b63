/** The shared ValueSet expander: displays, exclusions, prebuilt expansions, and what it cannot do. */
import { describe, expect, it } from 'vitest';
import { expandValueSet } from '../../scripts/fhir/valueset-expansion.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';

const CS = 'http://example.org/cs/fruit';
const fruit: FhirResource = {
  resourceType: 'CodeSystem',
  url: CS,
  content: 'complete',
  concept: [
    {
      code: 'citrus',
      display: 'Citrus',
      concept: [
        { code: 'lemon', display: 'Lemon' },
        { code: 'lime', display: 'Lime' }
      ]
    },
    { code: 'apple', display: 'Apple' }
  ]
};
const lookup = (url: string) => (url === CS ? fruit : undefined);
const vs = (compose: unknown, extra: Record<string, unknown> = {}): FhirResource => ({
  resourceType: 'ValueSet',
  url: 'http://example.org/vs/x',
  compose,
  ...extra
});

describe('shared ValueSet expansion', () => {
  it('lists codes with their displays from the code system', () => {
    const e = expandValueSet(lookup, vs({ include: [{ system: CS, concept: [{ code: 'lime' }, { code: 'apple', display: 'Eating apple' }] }] }));
    expect(e.codes).toEqual([
      { system: CS, code: 'lime', display: 'Lime' },
      { system: CS, code: 'apple', display: 'Eating apple' }
    ]);
    expect(e.problems).toEqual([]);
  });

  it('removes excluded codes, whether listed or selected by a filter', () => {
    const e = expandValueSet(
      lookup,
      vs({ include: [{ system: CS }], exclude: [{ system: CS, filter: [{ property: 'concept', op: 'descendent-of', value: 'citrus' }] }] })
    );
    expect(e.codes.map(c => c.code)).toEqual(['citrus', 'apple']);
  });

  it('uses a prebuilt expansion when there is no compose', () => {
    const e = expandValueSet(lookup, { resourceType: 'ValueSet', expansion: { contains: [{ system: CS, code: 'lemon', display: 'Lemon' }] } });
    expect(e.codes).toEqual([{ system: CS, code: 'lemon', display: 'Lemon' }]);
  });

  it('says what it cannot expand and marks the system open', () => {
    const e = expandValueSet(
      lookup,
      vs({
        include: [
          { system: 'http://loinc.org' },
          { system: CS, filter: [{ property: 'x', op: 'regex', value: '.*' }] },
          { valueSet: ['http://example.org/vs/missing'] }
        ]
      })
    );
    expect(e.codes).toEqual([]);
    expect([...e.open].sort()).toEqual([CS, 'http://loinc.org']);
    expect(e.problems).toEqual([
      'Code system http://loinc.org is not available here in full, so its codes are not listed.',
      `A filter on ${CS} cannot be expanded here, so its codes are not listed.`,
      'Value set http://example.org/vs/missing is not available here, so its codes are not listed.'
    ]);
  });

  it('does not loop on a value set that includes itself', () => {
    const self = vs({ include: [{ system: CS, concept: [{ code: 'apple' }] }, { valueSet: ['http://example.org/vs/x'] }] });
    const e = expandValueSet(url => (url === 'http://example.org/vs/x' ? self : lookup(url)), self);
    expect(e.codes.map(c => c.code)).toEqual(['apple']);
    expect(e.problems).toEqual(['Value set http://example.org/vs/x includes itself (directly or through others); the loop is not followed.']);
  });
});
