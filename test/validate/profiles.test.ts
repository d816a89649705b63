/**
 * Profile conformance on real SUSHI snapshots (test/fixtures/validate/profiled): cardinality,
 * fixed and pattern values, bindings to local value sets (is-a filters), extensions by URL,
 * reference target profiles, slicing with pattern/type/profile/exists discriminators, closed
 * and ordered slicing.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { makeProject, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { DIV, issues } from './helpers.ts';

const BASE = 'http://example.org/fhir/StructureDefinition/';
const COLOURS = 'http://example.org/fhir/CodeSystem/test-colours';
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
let defs: FhirResource[] = [];

beforeAll(async () => {
  const root = makeProject({}, join(REPO_ROOT, 'test', 'fixtures', 'validate', 'profiled'));
  const result = await runPipeline(root, ['compile'], { packageCache: SHARED_PACKAGE_CACHE });
  expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  defs = result.ctx!.compiled!.resources.map(r => r.resource);
});

const check = (resource: unknown, profile: string) => issues(resource, { profiles: [BASE + profile] }, defs);

function testPatient(extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Patient',
    id: 'tp',
    text: { status: 'generated', div: DIV('tp') },
    identifier: [{ system: NHS, value: '9990000018' }],
    gender: 'male',
    ...extra
  };
}

function testObservation(extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Observation',
    id: 'to',
    text: { status: 'generated', div: DIV('to') },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'exam' }] }],
    code: { coding: [{ system: COLOURS, code: 'crimson', display: 'Crimson' }] },
    subject: { reference: 'Patient/tp' },
    component: [{ code: { coding: [{ system: COLOURS, code: 'red' }] }, valueString: 'x' }],
    ...extra
  };
}

describe('profiles', () => {
  it('accepts instances that conform', () => {
    expect(check(testPatient(), 'test-patient')).toEqual([]);
    expect(check(testObservation(), 'test-observation')).toEqual([]);
  });

  it('checks cardinality narrowed by the profile', () => {
    expect(check(testPatient({ gender: undefined }), 'test-patient')).toContain('error cardinality-min Patient');
    expect(check(testObservation({ identifier: [{ value: '1' }] }), 'test-observation')).toContain('error cardinality-max Observation.identifier[0]');
    expect(check(testObservation({ note: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] }), 'test-observation')).toContain('error cardinality-max Observation');
  });

  it('checks fixed and pattern values', () => {
    expect(check(testObservation({ status: 'preliminary' }), 'test-observation')).toContain('error fixed-value Observation.status');
    const wrongCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }];
    expect(check(testObservation({ category: wrongCategory }), 'test-observation')).toContain('error pattern-value Observation.category[0]');
    expect(check(testPatient({ identifier: [{ system: 'http://example.org/other', value: '1' }] }), 'test-patient')).toContain(
      'error fixed-value Patient.identifier[0].system'
    );
  });

  it('expands local value sets with is-a filters for required bindings', () => {
    const cool = { coding: [{ system: COLOURS, code: 'blue', display: 'Blue' }] };
    expect(check(testObservation({ code: cool }), 'test-observation')).toContain('error binding-required Observation.code');
    const wrongDisplay = { coding: [{ system: COLOURS, code: 'orange', display: 'Tangerine' }] };
    expect(check(testObservation({ code: wrongDisplay }), 'test-observation')).toEqual(['warning display Observation.code.coding[0]']);
  });

  it('checks extensions against their definitions, found by URL', () => {
    const ext = (valueCoding: unknown) => [{ url: `${BASE}favourite-colour`, valueCoding }];
    expect(check(testObservation({ extension: ext({ system: COLOURS, code: 'blue' }) }), 'test-observation')).toEqual([]);
    expect(check(testObservation({ extension: ext({ system: COLOURS, code: 'green' }) }), 'test-observation')).toContain(
      'error binding-required Observation.extension[0].valueCoding'
    );
    const onPatient = issues(testPatient({ extension: [{ url: `${BASE}favourite-colour`, valueString: 'red' }] }), {}, defs);
    expect(onPatient).toContain('error type Patient.extension[0].valueString');
  });

  it('checks reference targets against target profiles', () => {
    expect(check(testObservation({ subject: { reference: 'Group/g1' } }), 'test-observation')).toContain('error type Observation.subject.reference');
  });

  it('slices by pattern: closed, ordered, with slice cardinality', () => {
    const red = { code: { coding: [{ system: COLOURS, code: 'red' }] }, valueString: 'x' };
    const blue = { code: { coding: [{ system: COLOURS, code: 'blue' }] }, valueInteger: 1 };
    const orange = { code: { coding: [{ system: COLOURS, code: 'orange' }] }, valueString: 'y' };
    expect(check(testObservation({ component: [red, blue] }), 'test-observation')).toEqual([]);
    expect(check(testObservation({ component: [blue, red] }), 'test-observation')).toContain('error slice-order Observation.component[1]');
    expect(check(testObservation({ component: [red, orange] }), 'test-observation')).toContain('error slice-closed Observation.component[1]');
    expect(check(testObservation({ component: [blue] }), 'test-observation')).toContain('error cardinality-min Observation');
    expect(check(testObservation({ component: [{ ...red, valueString: undefined, valueInteger: 2 }] }), 'test-observation')).toContain(
      'error type Observation.component[0].valueInteger'
    );
  });

  it('slices by exists', () => {
    const dated = { system: 'phone', value: '1', period: { start: '2020-01-01' } };
    const undated = { system: 'phone', value: '2' };
    expect(check(testPatient({ telecom: [dated, undated] }), 'test-patient')).toEqual([]);
    expect(check(testPatient({ telecom: [dated, dated] }), 'test-patient')).toContain('error cardinality-max Patient');
  });

  it('slices Bundle entries by type and by profile', () => {
    const entry = (resource: unknown, n: number) => ({ fullUrl: `urn:uuid:00000000-0000-4000-8000-00000000000${n}`, resource });
    const bundle = (...resources: unknown[]) => ({ resourceType: 'Bundle', id: 'b', type: 'collection', entry: resources.map(entry) });
    const org = { resourceType: 'Organization', id: 'o', text: { status: 'generated', div: DIV('o') }, name: 'x' };
    expect(check(bundle(testPatient()), 'test-bundle')).toEqual([]);
    expect(check(bundle(org), 'test-bundle')).toContain('error cardinality-min Bundle');
    expect(check(bundle({ ...testPatient(), meta: { profile: [`${BASE}test-patient`] } }), 'test-profile-bundle')).toEqual([]);
    expect(check(bundle(testPatient()), 'test-profile-bundle')).toEqual([]);
    expect(check(bundle(testPatient({ gender: undefined })), 'test-profile-bundle')).toContain('error slice-closed Bundle.entry[0]');
  });

  it('reports an unknown profile, and a profile for another type', () => {
    expect(check(testPatient(), 'no-such-profile')).toContain('error profile-unknown Patient');
    expect(check(testPatient(), 'test-observation')).toContain('error resource-type Patient');
  });
});
