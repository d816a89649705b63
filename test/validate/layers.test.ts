/** Each validation layer on small inline instances against the base spec. */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { DIV, errors, issues, observation, patient, validator } from './helpers.ts';
import { nhsCheckDigit, isValidNhsNumber } from '../../scripts/fhir/nhs-number.ts';
import { narrativeProblems } from '../../scripts/lib/validator/narrative.ts';
import { checkPrimitive } from '../../scripts/lib/validator/primitives.ts';
import { NOT_EVALUATED, namesOf } from '../../scripts/lib/validator/invariants.ts';

describe('structure', () => {
  it('accepts the _element form for primitives, including arrays with nulls', () => {
    const p = patient({
      name: [
        { given: ['A', null], _given: [null, { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier', valueCode: 'BR' }] }] }
      ],
      _birthDate: { id: 'b1' }
    });
    expect(errors(p)).toEqual([]);
  });

  it('rejects misaligned _element arrays and a null with nothing beside it', () => {
    expect(errors(patient({ name: [{ given: ['A', 'B'], _given: [null] }] }))).toContain('error type Patient.name[0]._given');
    expect(errors(patient({ name: [{ given: ['A', null] }] }))).toContain('error type Patient.name[0].given[1]');
  });

  it('checks JSON types of primitives and of complex values', () => {
    expect(errors(patient({ active: 1 }))).toEqual(['error type Patient.active']);
    expect(errors(patient({ maritalStatus: 'M' }))).toEqual(['error type Patient.maritalStatus']);
    expect(errors(patient({ deceasedBoolean: false, deceasedDateTime: '2020' }))).toContain('error type Patient.deceasedDateTime');
  });

  it('validates contained resources and Bundle entries as resources of their own type', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl: 'urn:uuid:6b0b8b5e-8a44-4f3b-9b5c-3c1f9e0c8a11', resource: { resourceType: 'Patient', gender: 'x' } }]
    };
    expect(errors(bundle)).toEqual(['error binding-required Bundle.entry[0].resource.gender']);
    expect(errors({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Nope' } }] })).toContain(
      'error resource-type Bundle.entry[0].resource'
    );
  });
});

describe('primitive formats', () => {
  it.each([
    ['date', '2024-02-29', undefined],
    ['date', '2023-02-29', 'days'],
    ['date', '2023-04-31', 'days'],
    ['date', '2023', undefined],
    ['dateTime', '2023-01-01T10:00:00Z', undefined],
    ['dateTime', '2023-01-01T10:00:00', 'not a valid'],
    ['instant', '2023-01-01T10:00:00.123+01:00', undefined],
    ['id', 'a'.repeat(65), 'not a valid'],
    ['oid', 'urn:oid:1.2.3', undefined],
    ['oid', 'urn:oid:1.02', 'not a valid'],
    ['uuid', 'urn:uuid:6b0b8b5e-8a44-4f3b-9b5c-3c1f9e0c8a11', undefined],
    ['uuid', 'urn:uuid:XYZ', 'not a valid'],
    ['base64Binary', 'aGVsbG8=', undefined],
    ['base64Binary', 'not base64!', 'not a valid'],
    ['decimal', 1.5, undefined],
    ['integer', 2 ** 31, 'range'],
    ['positiveInt', 0, 'positiveInt'],
    ['unsignedInt', -1, 'unsignedInt'],
    ['time', '24:00:00', 'not a valid'],
    ['string', '', 'empty'],
    ['string', '   ', 'non-whitespace'],
    ['decimal', '1.5', 'JSON number']
  ])('%s %j', (code, value, problem) => {
    const found = checkPrimitive(code as string, value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found?.message).toContain(problem);
  });
});

describe('invariants', () => {
  it('evaluates base invariants with fhirpath at each matching node, with their severity', () => {
    expect(errors(observation({ valueString: 'x', dataAbsentReason: { text: 'n/a' } }))).toEqual(['error obs-6 Observation']);
    const contact = patient({ contact: [{ gender: 'male' }, { name: { family: 'X' } }] });
    expect(errors(contact)).toEqual(['error pat-1 Patient.contact[0]']);
    expect(issues(observation({ text: undefined }))).toEqual(['warning dom-6 Observation']);
  });

  it('records why a constraint is not evaluated by fhirpath', () => {
    for (const reason of Object.values(NOT_EVALUATED)) expect(reason.length).toBeGreaterThan(20);
    expect(errors(patient({ extension: [{ url: 'http://example.org/e' }] }))).toContain('error ext-1 Patient.extension[0]');
  });
});

describe('terminology', () => {
  it('gives information, not an error, for systems it cannot expand', () => {
    const all = validator().validateResource(
      observation({
        valueQuantity: { value: 1, system: 'http://unitsofmeasure.org', code: 'mg' },
        interpretation: [{ coding: [{ system: 'http://snomed.info/sct', code: '281302008' }] }]
      })
    );
    expect(all.filter(i => i.severity === 'error')).toEqual([]);
    const lang = validator().validateResource(patient({ photo: [{ contentType: 'image/png', url: 'https://example.org/p.png' }] }));
    expect(lang.map(i => `${i.severity} ${i.rule}`)).toContain('information binding-unknown-system');
  });

  it('warns for extensible bindings and allows text-only CodeableConcepts there', () => {
    expect(issues(patient({ maritalStatus: { text: 'it is complicated' } }))).toEqual([]);
    expect(issues(patient({ maritalStatus: { coding: [{ system: 'http://example.org/m', code: 'x' }] } }))).toEqual([
      'warning binding-extensible Patient.maritalStatus'
    ]);
  });
});

describe('references', () => {
  it('resolves references between the guide examples and warns when they do not', () => {
    const known = new Map([['Patient/p', patient() as FhirResource]]);
    expect(issues(observation({ subject: { reference: 'Patient/p' } }), { knownResources: known })).toEqual([]);
    expect(issues(observation({ subject: { reference: 'Patient/q' } }), { knownResources: known })).toEqual([
      'warning reference-unresolved Observation.subject.reference'
    ]);
  });

  it('resolves relative references inside a Bundle by Type/id', () => {
    const entries = [
      { fullUrl: 'http://example.org/fhir/Patient/p', resource: patient() },
      { fullUrl: 'http://example.org/fhir/Observation/o', resource: observation({ subject: { reference: 'Patient/p' } }) }
    ];
    expect(errors({ resourceType: 'Bundle', type: 'collection', entry: entries })).toEqual([]);
    entries[1]!.resource = observation({ subject: { reference: 'Organization/p' } });
    expect(issues({ resourceType: 'Bundle', type: 'collection', entry: entries })).toContain('error type Bundle.entry[1].resource.subject.reference');
  });
});

describe('narrative', () => {
  it('allows FHIR XHTML and refuses the unsafe', () => {
    expect(narrativeProblems(DIV('<b>bold</b> <a href="https://example.org">x</a> <img src="x.png" alt="x"/>'))).toEqual([]);
    const bad = (inner: string) => narrativeProblems(`<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`).map(p => p.rule);
    expect(bad('<iframe src="x"></iframe>')).toContain('narrative-unsafe');
    expect(bad('<img src="x" onerror="alert(1)"/>')).toContain('narrative-unsafe');
    expect(bad('<a href=" JaVaScRiPt:alert(1)">x</a>')).toContain('narrative-unsafe');
    expect(bad('<p>unclosed')).toContain('narrative-unsafe');
    expect(bad('<form><input/></form>')).toContain('narrative-unsafe');
  });
});

describe('NHS rules', () => {
  it('computes the modulus 11 check digit', () => {
    expect(nhsCheckDigit('999000001')).toBe(8);
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });

  it("checks the check digit anywhere, and the 999 range in this guide's own examples", () => {
    const nhs = (value: string) => patient({ identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value }] });
    expect(errors(nhs('9434765919'))).toEqual([]);
    expect(errors(nhs('9434765919'), { ownExample: true })).toEqual(['error nhs-number-test-range Patient.identifier[0].value']);
    expect(errors(nhs('9990000018'), { ownExample: true })).toEqual([]);
    const ref = observation({ subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000017' } } });
    expect(errors(ref)).toEqual(['error nhs-number-check-digit Observation.subject.identifier.value']);
  });
});

describe('XML input', () => {
  it('converts FHIR XML and validates it like JSON', () => {
    const xml = '<Patient xmlns="http://hl7.org/fhir"><id value="x"/><gender value="mle"/></Patient>';
    const report = validator().validateText(xml, 'p.xml');
    expect(report.diagnostics.filter(d => d.severity === 'error').map(d => `${d.rule} ${d.location?.expression}`)).toEqual(['binding-required Patient.gender']);
  });
});

describe('invariant shortcut', () => {
  it('only shortcuts expressions that navigate from named children of the node', () => {
    expect(namesOf('contained.contained.empty()')).toEqual(['contained']);
    expect(namesOf('start.hasValue().not() or end.hasValue().not() or (start <= end)')).toEqual(['start', 'end']);
    expect(namesOf('hasValue() or (children().count() > id.count())')).toBeUndefined();
    expect(namesOf("reference.startsWith('#').not() or (reference.substring(1) in %rootResource.contained.id)")).toBeUndefined();
  });

  it('gives the same verdict as full evaluation on nodes without those children', () => {
    expect(errors(observation({ text: undefined, dataAbsentReason: { text: 'x' } }))).toEqual([]);
    expect(issues(observation({ text: undefined }))).toEqual(['warning dom-6 Observation']);
    expect(errors(observation({ effectivePeriod: { start: '2020-02-01', end: '2020-01-01' } }))).toEqual(['error per-1 Observation.effectivePeriod']);
  });
});
