/**
 * Errors the Java validator reports that this validator used to miss (issue #26, section 3):
 * uri/url syntax (urn:uuid, urn:oid, oid: / uuid: schemes, absolute canonical resource urls),
 * ele-1 on an element with only an id, HTML entities in narrative, and profile limits on
 * Quantity (minValueQuantity / maxValueQuantity with UCUM conversion, Duration) and minLength.
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { DIV, errors, issues, observation, patient } from './helpers.ts';

describe('uri syntax (TYPE_SPECIFIC_CHECKS_DT_URI_OID / _URI_UUID / _UUID_VALID / _OID_VALID / _URL_ABSOLUTE)', () => {
  const withSystem = (system: string) => patient({ identifier: [{ system, value: '1' }] });
  it('accepts well-formed URNs and URLs', () => {
    expect(errors(withSystem('urn:oid:2.16.840.1.113883.2.1.4.1'))).toEqual([]);
    expect(errors(withSystem('urn:uuid:9d1e7f3a-0c1b-4b7e-9a55-3f0e1c2d4b6a'))).toEqual([]);
    expect(errors(withSystem('https://fhir.example.uk/Id/visitor'))).toEqual([]);
  });
  it('rejects malformed URNs and the oid: / uuid: schemes', () => {
    expect(errors(withSystem('urn:oid:2.16.840.x'))).toEqual(['error uri-syntax Patient.identifier[0].system']);
    expect(errors(withSystem('urn:oid:1.2.3.0'))).toEqual(['error uri-syntax Patient.identifier[0].system']);
    expect(errors(withSystem('urn:uuid:9d1e7f3a-0c1b'))).toEqual(['error uri-syntax Patient.identifier[0].system']);
    expect(errors(withSystem('oid:1.2.3'))).toEqual(['error uri-syntax Patient.identifier[0].system']);
    expect(errors(withSystem('uuid:9d1e7f3a-0c1b-4b7e-9a55-3f0e1c2d4b6a'))).toEqual(['error uri-syntax Patient.identifier[0].system']);
  });
  it("a canonical resource's url is absolute", () => {
    const vs = (url: string) => ({ resourceType: 'ValueSet', id: 'v', url, name: 'V', status: 'draft', text: { status: 'generated', div: DIV('v') } });
    expect(errors(vs('https://fhir.example.uk/ValueSet/v'))).toEqual([]);
    expect(errors(vs('urn:uuid:9d1e7f3a-0c1b-4b7e-9a55-3f0e1c2d4b6a'))).toEqual([]);
    expect(errors(vs('ValueSet/v'))).toEqual(['error uri-syntax ValueSet.url']);
  });
});

describe('ele-1: an element with only an id', () => {
  it('is an error on a complex element, not on a primitive with a value', () => {
    expect(errors(patient({ name: [{ id: 'n1' }] }))).toEqual(['error ele-1 Patient.name[0]']);
    expect(errors(patient({ birthDate: '2000-01-01', _birthDate: { id: 'b1' } }))).toEqual([]);
    expect(errors(patient({ name: [{ id: 'n1', family: 'Smith' }] }))).toEqual([]);
  });
});

describe('narrative entities', () => {
  it('an HTML entity other than the five XML ones is an error; numeric references are fine', () => {
    const withDiv = (div: string) => patient({ text: { status: 'generated', div } });
    expect(errors(withDiv(DIV('a&nbsp;b')))).toEqual(['error narrative-unsafe Patient.text.div']);
    expect(errors(withDiv(DIV('a&#160;b &amp; &lt;c&gt; &quot;d&quot; &apos;')))).toEqual([]);
  });
});

describe('profile limits on Quantity, Duration and string length', () => {
  const profile = (id: string, type: string, elements: Record<string, unknown>[]) =>
    ({
      resourceType: 'StructureDefinition',
      id,
      url: `https://fhir.example.uk/StructureDefinition/${id}`,
      name: id.replace(/-/g, ''),
      status: 'draft',
      kind: 'resource',
      abstract: false,
      type,
      baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}`,
      derivation: 'constraint',
      differential: { element: elements }
    }) as unknown as FhirResource;
  const weight = profile('weight-limit', 'Observation', [
    {
      id: 'Observation.value[x]',
      path: 'Observation.value[x]',
      type: [{ code: 'Quantity' }],
      minValueQuantity: { value: 0.5, system: 'http://unitsofmeasure.org', code: 'kg' },
      maxValueQuantity: { value: 250, system: 'http://unitsofmeasure.org', code: 'kg' }
    }
  ]);
  const check = (q: Record<string, unknown>) => issues(observation({ valueQuantity: q }), { profiles: [String(weight.url)] }, [weight]);
  const ucum = (value: number, code: string) => ({ value, unit: code, system: 'http://unitsofmeasure.org', code });

  it('compares the same unit, and UCUM units after conversion (TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_WRONG(_UCUM), _MAX_...)', () => {
    expect(check(ucum(70, 'kg'))).toEqual([]);
    expect(check(ucum(250, 'kg'))).toEqual([]);
    expect(check(ucum(251, 'kg'))).toEqual(['error max-value Observation.valueQuantity']);
    expect(check(ucum(400, 'g'))).toEqual(['error min-value Observation.valueQuantity']);
    expect(check(ucum(600, 'g'))).toEqual([]);
    expect(check(ucum(600, '[lb_av]'))).toEqual(['error max-value Observation.valueQuantity']);
  });

  it('units that do not convert are an error; another system only a warning (_MIN_MIN_NO_CONVERT, _MIN_SYSTEM_MISMATCH)', () => {
    expect(check(ucum(70, 'cm'))).toEqual(['error min-value Observation.valueQuantity', 'error max-value Observation.valueQuantity']);
    expect(check({ value: 70, system: 'https://fhir.example.uk/units', code: 'kilo' })).toEqual([
      'warning min-value Observation.valueQuantity',
      'warning max-value Observation.valueQuantity'
    ]);
  });

  it('a Duration bound applies to a Duration element', () => {
    const stay = profile('short-stay', 'MedicationRequest', [
      {
        id: 'MedicationRequest.dispenseRequest.expectedSupplyDuration',
        path: 'MedicationRequest.dispenseRequest.expectedSupplyDuration',
        maxValueQuantity: { value: 30, system: 'http://unitsofmeasure.org', code: 'd' }
      }
    ]);
    const request = (value: number, code: string) => ({
      resourceType: 'MedicationRequest',
      id: 'm',
      text: { status: 'generated', div: DIV('m') },
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: 'x' },
      subject: { display: 'p' },
      dispenseRequest: { expectedSupplyDuration: { value, unit: code, system: 'http://unitsofmeasure.org', code } }
    });
    expect(errors(request(28, 'd'), { profiles: [String(stay.url)] }, [stay])).toEqual([]);
    expect(errors(request(5, 'wk'), { profiles: [String(stay.url)] }, [stay])).toEqual([
      'error max-value MedicationRequest.dispenseRequest.expectedSupplyDuration'
    ]);
  });

  it('the minLength extension on an element sets a shortest string (TYPE_SPECIFIC_CHECKS_DT_STRING_LENGTH)', () => {
    const named = profile('long-family', 'Patient', [
      { id: 'Patient.name.family', path: 'Patient.name.family', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/minLength', valueInteger: 2 }] }
    ]);
    expect(errors(patient({ name: [{ family: 'Li' }] }), { profiles: [String(named.url)] }, [named])).toEqual([]);
    expect(errors(patient({ name: [{ family: 'X' }] }), { profiles: [String(named.url)] }, [named])).toEqual(['error min-length Patient.name[0].family']);
  });
});
