/**
 * Slice matching as the HL7 Java validator does it (InstanceValidator.sliceMatches): per
 * discriminator, a slice element with max 0 matches when the path is empty; a `value`/`pattern`
 * discriminator uses the fixed value, else the pattern, else a required binding (memberOf); a
 * discriminator the slice says nothing about is left out, and a slice that says nothing about any
 * is reported as SLICING_CANNOT_BE_EVALUATED. `type` discriminators match the instance's type:
 * a choice element's chosen type, a resolved reference's resource type (contained `#id` too).
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { DIV, issues, observation, validator } from './helpers.ts';

const SD = 'http://example.org/fhir/StructureDefinition/';
const CS = 'http://example.org/fhir/CodeSystem/slice-test';
const VS = 'http://example.org/fhir/ValueSet/';

type Json = Record<string, unknown>;

function profile(id: string, type: string, elements: Json[]): FhirResource {
  return {
    resourceType: 'StructureDefinition',
    id,
    url: SD + id,
    name: id.replace(/[^A-Za-z0-9]/g, ''),
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type,
    baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}`,
    derivation: 'constraint',
    differential: { element: elements }
  } as FhirResource;
}

const codeSystem: FhirResource = {
  resourceType: 'CodeSystem',
  id: 'slice-test',
  url: CS,
  status: 'draft',
  content: 'complete',
  concept: [
    { code: 'read', display: 'Read' },
    { code: 'vread', display: 'Version read' },
    { code: 'search', display: 'Search' },
    { code: 'other', display: 'Other' }
  ]
} as FhirResource;

const valueSet = (id: string, codes: string[]): FhirResource =>
  ({
    resourceType: 'ValueSet',
    id,
    url: VS + id,
    status: 'draft',
    compose: { include: [{ system: CS, concept: codes.map(code => ({ code })) }] }
  }) as FhirResource;

const codings = (...codes: string[]) => codes.map(code => ({ system: CS, code }));

describe('value discriminators on required bindings (memberOf)', () => {
  const sd = profile('bound-subtype', 'AuditEvent', [
    { id: 'AuditEvent', path: 'AuditEvent' },
    { id: 'AuditEvent.subtype', path: 'AuditEvent.subtype', slicing: { discriminator: [{ type: 'value', path: '$this' }], rules: 'open' }, min: 1 },
    {
      id: 'AuditEvent.subtype:anyRead',
      path: 'AuditEvent.subtype',
      sliceName: 'anyRead',
      min: 1,
      max: '1',
      binding: { strength: 'required', valueSet: VS + 'reads' }
    },
    {
      id: 'AuditEvent.subtype:anySearch',
      path: 'AuditEvent.subtype',
      sliceName: 'anySearch',
      min: 0,
      max: '1',
      binding: { strength: 'required', valueSet: VS + 'searches' }
    }
  ]);
  const defs = [sd, codeSystem, valueSet('reads', ['read', 'vread']), valueSet('searches', ['search'])];
  const audit = (subtype: Json[]) => ({
    resourceType: 'AuditEvent',
    id: 'a',
    text: { status: 'generated', div: DIV('a') },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
    subtype,
    recorded: '2024-01-01T00:00:00Z',
    agent: [{ who: { display: 'x' }, requestor: true }],
    source: { observer: { display: 'y' } }
  });
  const check = (subtype: Json[]) => issues(audit(subtype), { profiles: [SD + 'bound-subtype'] }, defs).filter(i => !i.includes('display'));

  it('an item in the slice value set matches the slice', () => {
    expect(check(codings('vread'))).toEqual([]);
    expect(check(codings('search', 'read'))).toEqual([]);
  });

  it('a missing required slice is still reported', () => {
    expect(check(codings('search'))).toEqual(['error cardinality-min AuditEvent']);
    expect(check(codings('read', 'vread'))).toEqual(['error cardinality-max AuditEvent']);
  });
});

describe('value discriminators the slice leaves open', () => {
  const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
  const sd = profile('open-identifiers', 'Patient', [
    { id: 'Patient', path: 'Patient' },
    {
      id: 'Patient.identifier',
      path: 'Patient.identifier',
      slicing: {
        discriminator: [
          { type: 'value', path: 'system' },
          { type: 'value', path: 'value' }
        ],
        rules: 'closed'
      }
    },
    { id: 'Patient.identifier:nhs', path: 'Patient.identifier', sliceName: 'nhs', min: 1, max: '1' },
    { id: 'Patient.identifier:nhs.system', path: 'Patient.identifier.system', fixedUri: NHS },
    { id: 'Patient.identifier:local', path: 'Patient.identifier', sliceName: 'local', min: 0, max: '1' },
    { id: 'Patient.identifier:local.system', path: 'Patient.identifier.system', max: '0' }
  ]);
  const check = (identifier: Json[]) =>
    issues({ resourceType: 'Patient', id: 'p', text: { status: 'generated', div: DIV('p') }, identifier }, { profiles: [SD + 'open-identifiers'] }, [sd]);

  it('an unfixed discriminator is left out: the slice matches by the others (Java)', () => {
    expect(check([{ system: NHS, value: '9990000018' }])).toEqual([]);
  });

  it('max 0 on the discriminating path matches items without it', () => {
    expect(check([{ system: NHS, value: '9990000018' }, { value: 'L1' }])).toEqual([]);
    expect(check([{ system: NHS, value: '9990000018' }, { value: 'L1' }, { value: 'L2' }])).toEqual(['error cardinality-max Patient']);
    expect(
      check([
        { system: NHS, value: '9990000018' },
        { system: 'http://example.org/other', value: 'x' }
      ])
    ).toEqual(['error slice-closed Patient.identifier[1]']);
  });

  it('a slice that fixes nothing any discriminator looks at cannot be evaluated (SLICING_CANNOT_BE_EVALUATED)', () => {
    const vague = profile('vague-identifiers', 'Patient', [
      { id: 'Patient', path: 'Patient' },
      { id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
      { id: 'Patient.identifier:any', path: 'Patient.identifier', sliceName: 'any', min: 1, max: '1' }
    ]);
    const p = { resourceType: 'Patient', id: 'p', text: { status: 'generated', div: DIV('p') }, identifier: [{ value: '1' }] };
    // The item is reported; the slice's minimum is not (Java skips the counts it cannot make).
    expect(issues(p, { profiles: [SD + 'vague-identifiers'] }, [vague])).toEqual(['error slicing-cannot-be-evaluated Patient.identifier[0]']);
  });
});

describe('type discriminators', () => {
  it('on a choice element: the chosen type ($this) and a choice inside the slice (component.value)', () => {
    const sd = profile('typed-values', 'Observation', [
      { id: 'Observation', path: 'Observation' },
      { id: 'Observation.component', path: 'Observation.component', slicing: { discriminator: [{ type: 'type', path: 'value' }], rules: 'closed' } },
      { id: 'Observation.component:q', path: 'Observation.component', sliceName: 'q', min: 1, max: '1' },
      { id: 'Observation.component:q.value[x]', path: 'Observation.component.value[x]', type: [{ code: 'Quantity' }] },
      { id: 'Observation.component:s', path: 'Observation.component', sliceName: 's', min: 0, max: '1' },
      { id: 'Observation.component:s.value[x]', path: 'Observation.component.value[x]', type: [{ code: 'string' }] },
      { id: 'Observation.value[x]', path: 'Observation.value[x]', slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'closed' } },
      { id: 'Observation.value[x]:valueQuantity', path: 'Observation.value[x]', sliceName: 'valueQuantity', type: [{ code: 'Quantity' }] }
    ]);
    const check = (extra: Json) => issues(observation(extra), { profiles: [SD + 'typed-values'] }, [sd]);
    const q = { code: { text: 'q' }, valueQuantity: { value: 1 } };
    const s = { code: { text: 's' }, valueString: 'x' };
    expect(check({ valueQuantity: { value: 2 }, component: [s, q] })).toEqual([]);
    expect(check({ component: [s] })).toEqual(['error cardinality-min Observation']);
    expect(check({ valueString: 'x', component: [q] })).toEqual(expect.arrayContaining(['error slice-closed Observation.valueString']));
    expect(check({ component: [q, { code: { text: 'b' }, valueBoolean: true }] })).toEqual(['error slice-closed Observation.component[1]']);
  });

  it("through resolve() to a contained resource: the target's type against targetProfile", () => {
    const sd = profile('typed-performers', 'Observation', [
      { id: 'Observation', path: 'Observation' },
      { id: 'Observation.performer', path: 'Observation.performer', slicing: { discriminator: [{ type: 'type', path: 'resolve()' }], rules: 'open' } },
      {
        id: 'Observation.performer:org',
        path: 'Observation.performer',
        sliceName: 'org',
        min: 1,
        max: '1',
        type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Organization'] }]
      },
      {
        id: 'Observation.performer:who',
        path: 'Observation.performer',
        sliceName: 'who',
        min: 0,
        max: '1',
        type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Practitioner'] }]
      }
    ]);
    const contained = [
      { resourceType: 'Organization', id: 'o1', name: 'Leeds GP' },
      { resourceType: 'Practitioner', id: 'p1', name: [{ family: 'Smith' }] }
    ];
    const check = (performer: Json[]) => issues(observation({ contained, performer }), { profiles: [SD + 'typed-performers'] }, [sd]);
    expect(check([{ reference: '#p1' }, { reference: '#o1' }])).toEqual([]);
    expect(check([{ reference: '#p1' }])).toEqual(expect.arrayContaining(['error cardinality-min Observation']));
  });
});

describe('slicing the Java validator infers or reads through the type', () => {
  it('type slices of a choice element with no slicing stated: type on $this is implied', () => {
    const sd = profile('implied-choice', 'Observation', [
      { id: 'Observation', path: 'Observation' },
      { id: 'Observation.value[x]:valueQuantity', path: 'Observation.valueQuantity', sliceName: 'valueQuantity', min: 1, type: [{ code: 'Quantity' }] }
    ]);
    const check = (extra: Json) => issues(observation(extra), { profiles: [SD + 'implied-choice'] }, [sd]).filter(i => i.startsWith('error'));
    expect(check({ valueQuantity: { value: 1 } })).toEqual([]);
    expect(check({ valueString: 'x' })).toContain('error cardinality-min Observation');
  });

  it('closed slicing with no slices rejects nothing (Java only flags items it tried a slice on)', () => {
    const sd = profile('closed-no-slices', 'Observation', [
      { id: 'Observation', path: 'Observation' },
      {
        id: 'Observation.value[x]',
        path: 'Observation.value[x]',
        slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'closed' },
        type: [{ code: 'CodeableConcept' }, { code: 'string' }]
      }
    ]);
    const check = (extra: Json) => issues(observation(extra), { profiles: [SD + 'closed-no-slices'] }, [sd]).filter(i => i.startsWith('error'));
    expect(check({ valueCodeableConcept: { text: 'x' } })).toEqual([]);
    expect(check({ valueBoolean: true })).toEqual(['error type Observation.valueBoolean']);
  });

  it('a discriminator path inside a slice that is not unfolded is read from its type (reference on a Reference slice)', () => {
    const sd = profile('about-task', 'Communication', [
      { id: 'Communication', path: 'Communication' },
      { id: 'Communication.about', path: 'Communication.about', slicing: { discriminator: [{ type: 'type', path: 'reference' }], rules: 'open' } },
      {
        id: 'Communication.about:task',
        path: 'Communication.about',
        sliceName: 'task',
        min: 0,
        max: '1',
        type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Task'] }]
      }
    ]);
    const comm = {
      resourceType: 'Communication',
      id: 'c',
      text: { status: 'generated', div: DIV('c') },
      status: 'completed',
      about: [{ reference: 'Task/t1' }]
    };
    // Java: `reference is string`, so the item is in the slice; nothing to report.
    expect(issues(comm, { profiles: [SD + 'about-task'] }, [sd]).filter(i => i.startsWith('error'))).toEqual([]);
  });
});

describe('membership that cannot be checked offline', () => {
  it('a slice bound to a value set we do not hold: no slice counts, an information message', () => {
    const sd = profile('unknown-bound', 'Observation', [
      { id: 'Observation', path: 'Observation' },
      { id: 'Observation.category', path: 'Observation.category', slicing: { discriminator: [{ type: 'value', path: '$this' }], rules: 'open' } },
      {
        id: 'Observation.category:x',
        path: 'Observation.category',
        sliceName: 'x',
        min: 1,
        max: '1',
        binding: { strength: 'required', valueSet: 'http://example.org/fhir/ValueSet/not-here' }
      }
    ]);
    const out = validatorIssues(observation({ category: [{ coding: codings('read') }] }), SD + 'unknown-bound', [sd, codeSystem]);
    expect(out.filter(i => i.severity === 'error')).toEqual([]);
    expect(out.map(i => i.rule)).toContain('slicing-unknown');
  });
});

function validatorIssues(resource: Json, url: string, extra: FhirResource[]) {
  return validator(extra).validateResource(resource, { profiles: [url] });
}

describe('value discriminators below a patterned element (R4 core bp profile)', () => {
  const bp = (components: { code: string; value: number }[]) => ({
    resourceType: 'Observation',
    id: 'bp',
    meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bp'] },
    text: { status: 'generated', div: DIV('Blood pressure') },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    subject: { reference: 'Patient/p' },
    effectiveDateTime: '2026-01-01',
    component: components.map(c => ({
      code: { coding: [{ system: 'http://loinc.org', code: c.code }] },
      valueQuantity: { value: c.value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' }
    }))
  });

  it('matches the components by code.coding.code and .system read through the pattern on code (Java reads it the same way)', () => {
    const found = issues(
      bp([
        { code: '8480-6', value: 120 },
        { code: '8462-4', value: 80 }
      ])
    );
    expect(found.filter(i => i.startsWith('error'))).toEqual([]);
    expect(found.filter(i => i.includes('slicing'))).toEqual([]);
  });

  it('still finds a missing slice when a component has another code', () => {
    const found = issues(
      bp([
        { code: '8480-6', value: 120 },
        { code: '9999-9', value: 80 }
      ])
    );
    expect(found).toContainEqual(expect.stringMatching(/^error cardinality-min/));
    expect(found.filter(i => i.includes('slicing-cannot-be-evaluated'))).toEqual([]);
  });
});

describe('value discriminators read through a pattern on an enclosing element', () => {
  const sd = profile('patterned-components', 'Observation', [
    { id: 'Observation', path: 'Observation' },
    {
      id: 'Observation.component',
      path: 'Observation.component',
      slicing: { discriminator: [{ type: 'value', path: 'code.coding.code' }], rules: 'open' }
    },
    { id: 'Observation.component:reads', path: 'Observation.component', sliceName: 'reads', min: 1, max: '1' },
    { id: 'Observation.component:reads.code', path: 'Observation.component.code', patternCodeableConcept: { coding: [{ system: CS, code: 'read' }] } }
  ]);
  const obs = (code: string) => observation({ component: [{ code: { coding: [{ system: CS, code }] }, valueString: 'x' }] });
  const check = (code: string) => issues(obs(code), { profiles: [SD + 'patterned-components'] }, [sd, codeSystem]).filter(i => i.startsWith('error'));

  it('matches a component whose coding carries the patterned code', () => {
    expect(check('read')).toEqual([]);
  });

  it('reports the slice as missing for another code, not as a slicing that cannot be evaluated', () => {
    expect(check('search')).toEqual(['error cardinality-min Observation']);
  });
});
