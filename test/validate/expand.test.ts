/** Offline ValueSet expansion: compose rules as the spec defines them. */
import { describe, expect, it } from 'vitest';
import { coreDefinitions } from '../../scripts/lib/validator/core-source.ts';
import { valueSetCodeSets } from '../../scripts/lib/validator/expand.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const CS = 'http://example.org/cs/colours';
const colours = {
  resourceType: 'CodeSystem',
  url: CS,
  content: 'complete',
  status: 'draft',
  concept: [
    { code: 'warm', concept: [{ code: 'red' }, { code: 'orange' }] },
    { code: 'cool', concept: [{ code: 'blue' }] }
  ]
};
const vs = (id: string, compose: unknown) => ({ resourceType: 'ValueSet', url: `http://example.org/vs/${id}`, status: 'draft', compose });
const codes = (defs: ReturnType<typeof coreDefinitions>, id: string) =>
  [...(valueSetCodeSets(defs, `http://example.org/vs/${id}`)?.codes.get(CS) ?? [])].sort();

describe('valueSetCodeSets', () => {
  const defs = coreDefinitions(SHARED_PACKAGE_CACHE).overlay([
    colours,
    vs('warm', { include: [{ system: CS, filter: [{ property: 'concept', op: 'is-a', value: 'warm' }] }] }),
    vs('no-orange', { include: [{ system: CS }], exclude: [{ system: CS, concept: [{ code: 'orange' }] }] }),
    vs('warm-and-listed', { include: [{ system: CS, concept: [{ code: 'red' }, { code: 'blue' }], valueSet: ['http://example.org/vs/warm'] }] }),
    vs('two-sets', { include: [{ valueSet: ['http://example.org/vs/warm', 'http://example.org/vs/no-orange'] }] }),
    vs('union', { include: [{ valueSet: ['http://example.org/vs/warm'] }, { system: CS, concept: [{ code: 'blue' }] }] }),
    vs('snomed-and-warm', { include: [{ system: 'http://snomed.info/sct', valueSet: ['http://example.org/vs/warm'] }] }),
    vs('snomed', { include: [{ system: 'http://snomed.info/sct' }] }),
    vs('snomed-in-snomed', { include: [{ system: 'http://snomed.info/sct', valueSet: ['http://example.org/vs/snomed'] }] })
  ]);

  it('applies is-a filters and concept exclusions on local code systems', () => {
    expect(codes(defs, 'warm')).toEqual(['orange', 'red', 'warm']);
    expect(codes(defs, 'no-orange')).toEqual(['blue', 'cool', 'red', 'warm']);
  });

  it('intersects a system selection with the value sets the same include names', () => {
    expect(codes(defs, 'warm-and-listed')).toEqual(['red']);
    expect(codes(defs, 'two-sets')).toEqual(['red', 'warm']);
  });

  it('unions separate includes', () => {
    expect(codes(defs, 'union')).toEqual(['blue', 'orange', 'red', 'warm']);
  });

  it('an intersection of different systems is empty, even when one of them cannot be enumerated', () => {
    const expansion = valueSetCodeSets(defs, 'http://example.org/vs/snomed-and-warm')!;
    expect([...expansion.codes.keys()]).toEqual([]);
    expect([...expansion.open]).toEqual([]);
  });

  it('a system it cannot enumerate on both sides stays open (membership not refused)', () => {
    expect([...valueSetCodeSets(defs, 'http://example.org/vs/snomed-in-snomed')!.open]).toEqual(['http://snomed.info/sct']);
  });
});
