/**
 * One fixture per rule of the classification table (scripts/lib/diff/model.ts): two releases that
 * differ in that one respect, and the exact rule and class for producers and consumers, including
 * the tricky cases (slices added or closed, choice types narrowed, profiles on references, a
 * change seen only in the snapshot because a parent profile changed).
 */
import { describe, expect, it } from 'vitest';
import { compareReleases } from '../../scripts/lib/diff/compare.ts';
import type { Release } from '../../scripts/lib/diff/load.ts';
import type { Change } from '../../scripts/lib/diff/model.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';

const BASE = 'http://example.org/fhir';
type El = Record<string, unknown> & { id: string };

function sd(id: string, elements: El[], extra: Record<string, unknown> = {}): FhirResource {
  const els = elements.map(e => ({ path: e.id.replace(/:[^.]+/g, ''), min: 0, max: '*', ...e }));
  return {
    resourceType: 'StructureDefinition',
    id,
    url: `${BASE}/StructureDefinition/${id}`,
    name: id,
    status: 'active',
    kind: 'resource',
    abstract: false,
    type: 'Observation',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation',
    derivation: 'constraint',
    snapshot: { element: els },
    differential: { element: els.filter(e => e.id !== 'Observation') },
    ...extra
  };
}

const ROOT: El = { id: 'Observation', min: 0, max: '*' };

function release(resources: FhirResource[], examples: FhirResource[] = []): Release {
  return {
    label: { source: 'test', packageId: 'test.pkg', version: '1.0.0' },
    resources: [...resources.map(resource => ({ resource, example: false })), ...examples.map(resource => ({ resource, example: true }))]
  };
}

function changes(before: FhirResource[], after: FhirResource[], examples: [FhirResource[], FhirResource[]] = [[], []]): Change[] {
  return compareReleases(release(before, examples[0]), release(after, examples[1])).artifacts.flatMap(a => a.changes);
}

/** The one change of a profile whose single element `el` goes from `a` to `b`. */
function elementChange(a: Partial<El>, b: Partial<El>, id = 'Observation.status'): Change[] {
  return changes([sd('p', [ROOT, { id, ...a }])], [sd('p', [ROOT, { id, ...b }])]);
}

function expectOne(list: Change[], rule: string, producer: string, consumer: string, path?: string): Change {
  expect(list.map(c => c.rule)).toEqual([rule]);
  const c = list[0]!;
  expect([c.producer, c.consumer, c.class]).toEqual([producer, consumer, producer === 'breaking' || consumer === 'breaking' ? 'breaking' : 'compatible']);
  if (path) expect(c.path).toBe(path);
  return c;
}

describe('profiles: cardinality', () => {
  it('min raised breaks producers', () => {
    const c = expectOne(elementChange({ min: 0 }, { min: 1 }), 'min-raised', 'breaking', 'compatible', 'Observation.status');
    expect([c.old, c.new]).toEqual(['0', '1']);
  });
  it('min lowered breaks consumers', () => expectOne(elementChange({ min: 1 }, { min: 0 }), 'min-lowered', 'compatible', 'breaking'));
  it('max lowered breaks producers', () => expectOne(elementChange({ max: '*' }, { max: '1' }), 'max-lowered', 'breaking', 'compatible'));
  it('max raised breaks consumers', () => expectOne(elementChange({ max: '1' }, { max: '*' }), 'max-raised', 'compatible', 'breaking'));
  it('max 0 prohibits the element: breaking for both', () =>
    expectOne(elementChange({ max: '1' }, { max: '0' }), 'element-prohibited', 'breaking', 'breaking'));
});

describe('profiles: elements and slices', () => {
  const sliced = (rules: string): El => ({ id: 'Observation.component', slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules } });
  it('a slice removed is breaking for both, reported once with its children', () => {
    const before = sd('p', [ROOT, sliced('open'), { id: 'Observation.component:a' }, { id: 'Observation.component:a.code' }]);
    const after = sd('p', [ROOT, sliced('open')]);
    expectOne(changes([before], [after]), 'element-removed', 'breaking', 'breaking', 'Observation.component:a');
  });
  it('an optional slice added to an open slicing is compatible', () => {
    const before = sd('p', [ROOT, sliced('open')]);
    const after = sd('p', [ROOT, sliced('open'), { id: 'Observation.component:a' }, { id: 'Observation.component:a.code', min: 1, max: '1' }]);
    expectOne(changes([before], [after]), 'element-added', 'compatible', 'compatible', 'Observation.component:a');
  });
  it('a required slice added breaks producers', () => {
    const before = sd('p', [ROOT, sliced('open')]);
    const after = sd('p', [ROOT, sliced('open'), { id: 'Observation.component:a', min: 1 }]);
    expectOne(changes([before], [after]), 'required-element-added', 'breaking', 'compatible');
  });
  it('an optional slice added to a closed slicing breaks consumers', () => {
    const before = sd('p', [ROOT, sliced('closed')]);
    const after = sd('p', [ROOT, sliced('closed'), { id: 'Observation.component:a' }]);
    expectOne(changes([before], [after]), 'slice-added-to-closed', 'compatible', 'breaking');
  });
  it('slicing closed breaks producers; opened breaks consumers', () => {
    expectOne(changes([sd('p', [ROOT, sliced('open')])], [sd('p', [ROOT, sliced('closed')])]), 'slicing-closed', 'breaking', 'compatible');
    expectOne(changes([sd('p', [ROOT, sliced('closed')])], [sd('p', [ROOT, sliced('open')])]), 'slicing-opened', 'compatible', 'breaking');
  });
  it('slicing ordered, and a discriminator changed', () => {
    const s = (extra: Record<string, unknown>): El => ({ ...sliced('open'), slicing: { ...(sliced('open').slicing as object), ...extra } });
    expectOne(changes([sd('p', [ROOT, s({})])], [sd('p', [ROOT, s({ ordered: true })])]), 'slicing-ordered', 'breaking', 'compatible');
    expectOne(
      changes([sd('p', [ROOT, s({})])], [sd('p', [ROOT, s({ discriminator: [{ type: 'value', path: 'code.coding.code' }] })])]),
      'slicing-discriminator-changed',
      'breaking',
      'breaking'
    );
  });
  it('an element newly unfolded and constrained by the differential: its new constraints are reported; unconstrained siblings are not', () => {
    const before = sd('p', [ROOT, { id: 'Observation.code' }]);
    const after = sd('p', [ROOT, { id: 'Observation.code' }, { id: 'Observation.code.text', mustSupport: true }, { id: 'Observation.code.coding' }], {
      differential: { element: [{ id: 'Observation.code.text', path: 'Observation.code.text', mustSupport: true }] }
    });
    expectOne(changes([before], [after]), 'must-support-added', 'breaking', 'breaking', 'Observation.code.text');
  });
});

describe('profiles: types, choices and references', () => {
  const value = (codes: string[]): Partial<El> => ({ type: codes.map(code => ({ code })) });
  it('a choice type narrowed breaks producers', () => {
    const c = expectOne(
      elementChange(value(['Quantity', 'CodeableConcept']), value(['CodeableConcept']), 'Observation.value[x]'),
      'type-removed',
      'breaking',
      'compatible'
    );
    expect([c.old, c.new]).toEqual(['Quantity | CodeableConcept', 'CodeableConcept']);
  });
  it('a choice type widened breaks consumers', () =>
    expectOne(elementChange(value(['CodeableConcept']), value(['CodeableConcept', 'string']), 'Observation.value[x]'), 'type-added', 'compatible', 'breaking'));
  const ref = (targets?: string[]): Partial<El> => ({ type: [{ code: 'Reference', ...(targets ? { targetProfile: targets } : {}) }] });
  const PATIENT = 'http://hl7.org/fhir/StructureDefinition/Patient';
  it('a profile required on a reference that allowed any Patient narrows (producers)', () =>
    expectOne(elementChange(ref(), ref([`${BASE}/StructureDefinition/my-patient`]), 'Observation.subject'), 'profile-narrowed', 'breaking', 'compatible'));
  it('a reference target replaced by a profile derived from it narrows, once', () => {
    const myPatient = sd('my-patient', [{ id: 'Patient' }], { type: 'Patient', baseDefinition: PATIENT });
    const before = sd('p', [ROOT, { id: 'Observation.subject', ...ref([PATIENT]) }]);
    const after = sd('p', [ROOT, { id: 'Observation.subject', ...ref([`${BASE}/StructureDefinition/my-patient`]) }]);
    const list = changes([before, myPatient], [after, myPatient]);
    const c = expectOne(list, 'profile-narrowed', 'breaking', 'compatible');
    expect(c.message).toContain('narrowed to');
  });
  it('a reference target type removed narrows; one added widens (consumers)', () => {
    const GROUP = 'http://hl7.org/fhir/StructureDefinition/Group';
    expectOne(elementChange(ref([PATIENT, GROUP]), ref([PATIENT]), 'Observation.subject'), 'profile-narrowed', 'breaking', 'compatible');
    expectOne(elementChange(ref([PATIENT]), ref([PATIENT, GROUP]), 'Observation.subject'), 'profile-widened', 'compatible', 'breaking');
  });
  it('a profile removed from a reference (any target now) widens', () =>
    expectOne(elementChange(ref([PATIENT]), ref(), 'Observation.subject'), 'profile-widened', 'compatible', 'breaking'));
});

describe('profiles: bindings, invariants, values, flags', () => {
  const bound = (strength: string, vs = `${BASE}/ValueSet/a`): Partial<El> => ({ binding: { strength, valueSet: vs } });
  it('binding strength raised breaks producers; lowered breaks consumers', () => {
    expectOne(elementChange(bound('extensible'), bound('required')), 'binding-strength-raised', 'breaking', 'compatible');
    expectOne(elementChange(bound('required'), bound('preferred')), 'binding-strength-lowered', 'compatible', 'breaking');
  });
  const cs = (codes: string[]): FhirResource => ({
    resourceType: 'CodeSystem',
    id: 'cs',
    url: `${BASE}/CodeSystem/cs`,
    status: 'active',
    content: 'complete',
    concept: codes.map(code => ({ code, display: code.toUpperCase() }))
  });
  const vs = (id: string, codes?: string[]): FhirResource => ({
    resourceType: 'ValueSet',
    id,
    url: `${BASE}/ValueSet/${id}`,
    status: 'active',
    compose: { include: [{ system: `${BASE}/CodeSystem/cs`, ...(codes ? { concept: codes.map(code => ({ code })) } : {}) }] }
  });
  it('a required binding moved to a value set with fewer codes narrows (producers)', () => {
    const list = changes(
      [sd('p', [ROOT, { id: 'Observation.status', ...bound('required', `${BASE}/ValueSet/all`) }]), cs(['a', 'b']), vs('all'), vs('some', ['a'])],
      [sd('p', [ROOT, { id: 'Observation.status', ...bound('required', `${BASE}/ValueSet/some`) }]), cs(['a', 'b']), vs('all'), vs('some', ['a'])]
    );
    const c = expectOne(list, 'binding-valueset-narrowed', 'breaking', 'compatible');
    expect(c.message).toContain('#b');
  });
  it('a value set narrowed breaks producers; widened is compatible', () => {
    expectOne(changes([cs(['a', 'b']), vs('v', ['a', 'b'])], [cs(['a', 'b']), vs('v', ['a'])]), 'valueset-narrowed', 'breaking', 'compatible');
    expectOne(changes([cs(['a', 'b']), vs('v', ['a'])], [cs(['a', 'b']), vs('v', ['a', 'b'])]), 'valueset-widened', 'compatible', 'compatible');
  });
  it('a code removed from a code system breaks producers; a code added is compatible; a display changed is compatible', () => {
    const removed = changes([cs(['a', 'b'])], [cs(['a'])]);
    expectOne(removed, 'code-removed', 'breaking', 'compatible', "CodeSystem.concept.where(code='b')");
    expectOne(changes([cs(['a'])], [cs(['a', 'b'])]), 'code-added', 'compatible', 'compatible');
    const renamed = cs(['a']);
    (renamed.concept as { display: string }[])[0]!.display = 'Alpha';
    expectOne(changes([cs(['a'])], [renamed]), 'display-changed', 'compatible', 'compatible');
  });
  it('a new invariant breaks producers; a changed expression breaks both; a removed one breaks consumers', () => {
    const inv = (expression: string) => ({ constraint: [{ key: 'x-1', severity: 'error', human: 'rule', expression }] });
    expectOne(elementChange({}, inv('a.exists()')), 'invariant-added', 'breaking', 'compatible');
    expectOne(elementChange(inv('a.exists()'), inv('b.exists()')), 'invariant-changed', 'breaking', 'breaking');
    expectOne(elementChange(inv('a.exists()'), {}), 'invariant-removed', 'compatible', 'breaking');
  });
  it('fixed and pattern values added or changed break producers', () => {
    expectOne(elementChange({}, { fixedCode: 'final' }), 'fixed-added', 'breaking', 'compatible');
    expectOne(elementChange({ fixedCode: 'final' }, { fixedCode: 'amended' }), 'fixed-changed', 'breaking', 'breaking');
    expectOne(elementChange({}, { patternCodeableConcept: { text: 'x' } }), 'pattern-added', 'breaking', 'compatible');
    expectOne(elementChange({ patternCodeableConcept: { text: 'x' } }, { patternCodeableConcept: { text: 'y' } }), 'pattern-changed', 'breaking', 'breaking');
    expectOne(elementChange({ fixedCode: 'final' }, {}), 'fixed-removed', 'compatible', 'breaking');
  });
  it('must-support added breaks both; removed is compatible', () => {
    expectOne(elementChange({}, { mustSupport: true }), 'must-support-added', 'breaking', 'breaking');
    expectOne(elementChange({ mustSupport: true }, {}), 'must-support-removed', 'compatible', 'compatible');
  });
  it('a description changed is compatible', () => expectOne(elementChange({ short: 'a' }, { short: 'b' }), 'text-changed', 'compatible', 'compatible'));
});

describe('a change seen only in the snapshot, because a parent profile changed', () => {
  it('is reported on the child as inherited, with the class of the rule', () => {
    const parent = (min: number) => sd('parent', [ROOT, { id: 'Observation.status', min }]);
    const child = (min: number) =>
      sd('child', [ROOT, { id: 'Observation.status', min }, { id: 'Observation.code', mustSupport: true }], {
        baseDefinition: `${BASE}/StructureDefinition/parent`,
        differential: { element: [{ id: 'Observation.code', path: 'Observation.code', mustSupport: true }] }
      });
    const report = compareReleases(release([parent(0), child(0)]), release([parent(1), child(1)]));
    const childChanges = report.artifacts.find(a => a.id === 'child')!.changes;
    const c = expectOne(childChanges, 'min-raised', 'breaking', 'compatible', 'Observation.status');
    expect(c.inherited).toBe(true);
    expect(report.artifacts.find(a => a.id === 'parent')!.changes[0]!.inherited).toBeUndefined();
  });
});

describe('artifacts: added, removed, renamed', () => {
  it('a profile added is compatible; removed is breaking for both', () => {
    expectOne(changes([], [sd('p', [ROOT])]), 'artifact-added', 'compatible', 'compatible');
    expectOne(changes([sd('p', [ROOT])], []), 'artifact-removed', 'breaking', 'breaking');
  });
  it('a canonical URL changed (same Type/id) and an id changed (same URL) are breaking', () => {
    expectOne(changes([sd('p', [ROOT])], [sd('p', [ROOT], { url: `${BASE}/StructureDefinition/other` })]), 'url-changed', 'breaking', 'breaking');
    expectOne(changes([sd('p', [ROOT])], [sd('q', [ROOT], { url: `${BASE}/StructureDefinition/p`, name: 'p' })]), 'id-changed', 'breaking', 'breaking');
  });
  it('examples added, removed or changed are compatible', () => {
    const ex = (status: string): FhirResource => ({ resourceType: 'Observation', id: 'e', status });
    expectOne(changes([], [], [[], [ex('final')]]), 'example-added', 'compatible', 'compatible');
    expectOne(changes([], [], [[ex('final')], []]), 'example-removed', 'compatible', 'compatible');
    expectOne(changes([], [], [[ex('final')], [ex('amended')]]), 'example-changed', 'compatible', 'compatible');
  });
  it('version, date, text and meta are not changes', () => {
    expect(
      changes([sd('p', [ROOT], { version: '1', date: '2020' })], [sd('p', [ROOT], { version: '2', date: '2021', text: { status: 'generated' } })])
    ).toEqual([]);
  });
});

describe('capability statements, operations, search parameters, concept maps', () => {
  const cap = (interactions: string[], params: string[]): FhirResource => ({
    resourceType: 'CapabilityStatement',
    id: 'cap',
    url: `${BASE}/CapabilityStatement/cap`,
    status: 'active',
    kind: 'requirements',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        resource: [{ type: 'Observation', interaction: interactions.map(code => ({ code })), searchParam: params.map(name => ({ name, type: 'token' })) }]
      }
    ]
  });
  it('an interaction or search parameter removed breaks clients (consumers)', () => {
    expectOne(changes([cap(['read', 'search-type'], ['code'])], [cap(['search-type'], ['code'])]), 'interaction-removed', 'compatible', 'breaking');
    expectOne(changes([cap(['search-type'], ['code', 'subject'])], [cap(['search-type'], ['code'])]), 'search-param-removed', 'compatible', 'breaking');
  });
  it('an interaction added breaks servers that claim the statement (producers)', () =>
    expectOne(changes([cap(['search-type'], [])], [cap(['search-type', 'read'], [])]), 'interaction-added', 'breaking', 'compatible'));
  it('an operation parameter removed is breaking; an optional one added is compatible', () => {
    const op = (params: { name: string; min: number }[]): FhirResource => ({
      resourceType: 'OperationDefinition',
      id: 'op',
      url: `${BASE}/OperationDefinition/op`,
      name: 'op',
      status: 'active',
      kind: 'operation',
      code: 'op',
      system: false,
      type: true,
      instance: false,
      parameter: params.map(p => ({ ...p, use: 'in', max: '1', type: 'string' }))
    });
    expectOne(changes([op([{ name: 'a', min: 0 }])], [op([])]), 'parameter-removed', 'breaking', 'breaking');
    expectOne(changes([op([])], [op([{ name: 'a', min: 0 }])]), 'parameter-added', 'compatible', 'compatible');
  });
  it('a search parameter whose expression changed is breaking', () => {
    const sp = (expression: string): FhirResource => ({
      resourceType: 'SearchParameter',
      id: 'sp',
      url: `${BASE}/SearchParameter/sp`,
      name: 'sp',
      status: 'active',
      code: 'sp',
      base: ['Observation'],
      type: 'token',
      expression
    });
    expectOne(changes([sp('Observation.code')], [sp('Observation.category')]), 'search-definition-changed', 'breaking', 'breaking');
  });
  it('a concept map target removed breaks consumers', () => {
    const cm = (targets: string[]): FhirResource => ({
      resourceType: 'ConceptMap',
      id: 'cm',
      url: `${BASE}/ConceptMap/cm`,
      status: 'active',
      group: [{ source: 's', target: 't', element: [{ code: 'a', target: targets.map(code => ({ code, equivalence: 'equivalent' })) }] }]
    });
    expectOne(changes([cm(['x', 'y'])], [cm(['x'])]), 'mapping-removed', 'compatible', 'breaking');
  });
});
