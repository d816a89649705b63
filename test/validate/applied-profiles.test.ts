/**
 * Profiles applied without meta.profile: the R4 vital signs profiles by LOINC code (as the Java
 * validator does, VALIDATION_VAL_PROFILE_SIGNPOST_OBS), and a type.profile on an element typed
 * Resource (Bundle.entry.resource) for the resource in it. And a Questionnaire's enableWhen
 * checked for itself (QUESTIONNAIRE_Q_ENABLEWHEN_*).
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { DIV, errors, issues } from './helpers.ts';

const weight = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  id: 'w',
  text: { status: 'generated', div: DIV('w') },
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
  subject: { reference: 'Patient/p' },
  effectiveDateTime: '2024-05-01T10:00:00Z',
  valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  ...extra
});

describe('vital signs profiles by code', () => {
  it('a body weight that fits the profile passes', () => {
    expect(errors(weight())).toEqual([]);
  });
  it('a body weight is checked against the bodyweight profile without meta.profile', () => {
    const found = errors(weight({ category: undefined, effectiveDateTime: undefined }));
    expect(found).toContain('error cardinality-min Observation');
    expect(errors(weight({ valueQuantity: { value: 72.5, unit: 'stone', system: 'http://unitsofmeasure.org', code: 'stone' } })).length).toBeGreaterThan(0);
  });
  it('other codes are not vital signs', () => {
    expect(errors(weight({ category: undefined, code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] } }))).toEqual([]);
  });
});

describe('type.profile on a Resource element', () => {
  const profile = {
    resourceType: 'StructureDefinition',
    id: 'named-patient',
    url: 'https://fhir.example.uk/StructureDefinition/named-patient',
    name: 'NamedPatient',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: { element: [{ id: 'Patient.name', path: 'Patient.name', min: 1 }] }
  } as unknown as FhirResource;
  const bundleProfile = {
    resourceType: 'StructureDefinition',
    id: 'patient-bundle',
    url: 'https://fhir.example.uk/StructureDefinition/patient-bundle',
    name: 'PatientBundle',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Bundle',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Bundle',
    derivation: 'constraint',
    differential: {
      element: [{ id: 'Bundle.entry.resource', path: 'Bundle.entry.resource', type: [{ code: 'Resource', profile: [String(profile.url)] }] }]
    }
  } as unknown as FhirResource;
  const bundle = (name?: unknown) => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'https://fhir.example.uk/Patient/p', resource: { resourceType: 'Patient', id: 'p', text: { status: 'generated', div: DIV('p') }, name } }
    ]
  });
  it('applies to the resource of that type in the entry', () => {
    const run = (b: unknown) => errors(b, { profiles: [String(bundleProfile.url)] }, [profile, bundleProfile]);
    expect(run(bundle([{ family: 'Smith' }]))).toEqual([]);
    expect(run(bundle())).toEqual(['error cardinality-min Bundle.entry[0].resource']);
  });
});

describe('Questionnaire enableWhen checked for itself', () => {
  const q = (items: unknown[]) => ({
    resourceType: 'Questionnaire',
    id: 'q',
    url: 'https://fhir.example.uk/Questionnaire/q',
    status: 'draft',
    text: { status: 'generated', div: DIV('q') },
    item: items
  });
  const when = (question: string) => [{ question, operator: 'exists', answerBoolean: true }];
  it('names an earlier question that exists, outside the item and not itself', () => {
    expect(
      issues(
        q([
          { linkId: 'a', type: 'boolean', text: 'A' },
          { linkId: 'b', type: 'string', text: 'B', enableWhen: when('a') }
        ])
      )
    ).toEqual([]);
    expect(issues(q([{ linkId: 'b', type: 'string', text: 'B', enableWhen: when('nope') }]))).toEqual(['error questionnaire-enablewhen Questionnaire.item[0]']);
    expect(issues(q([{ linkId: 'b', type: 'string', text: 'B', enableWhen: when('b') }]))).toEqual(['error questionnaire-enablewhen Questionnaire.item[0]']);
    expect(issues(q([{ linkId: 'g', type: 'group', text: 'G', enableWhen: when('inner'), item: [{ linkId: 'inner', type: 'boolean', text: 'I' }] }]))).toEqual([
      'error questionnaire-enablewhen Questionnaire.item[0]'
    ]);
    expect(
      issues(
        q([
          { linkId: 'b', type: 'string', text: 'B', enableWhen: when('a') },
          { linkId: 'a', type: 'boolean', text: 'A' }
        ])
      )
    ).toEqual(['warning questionnaire-enablewhen Questionnaire.item[0]']);
  });
});

describe('a reference resolved in a Bundle against its targetProfile', () => {
  const named = {
    resourceType: 'StructureDefinition',
    id: 'named',
    url: 'https://fhir.example.uk/StructureDefinition/named',
    name: 'Named',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: { element: [{ id: 'Patient.name', path: 'Patient.name', min: 1 }] }
  } as unknown as FhirResource;
  const enc = {
    resourceType: 'StructureDefinition',
    id: 'enc-named',
    url: 'https://fhir.example.uk/StructureDefinition/enc-named',
    name: 'EncNamed',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Encounter',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Encounter',
    derivation: 'constraint',
    differential: { element: [{ id: 'Encounter.subject', path: 'Encounter.subject', type: [{ code: 'Reference', targetProfile: [String(named.url)] }] }] }
  } as unknown as FhirResource;
  const bundle = (name?: unknown) => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: 'https://fhir.example.uk/Encounter/e',
        resource: {
          resourceType: 'Encounter',
          id: 'e',
          meta: { profile: [String(enc.url)] },
          text: { status: 'generated', div: DIV('e') },
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
          subject: { reference: 'Patient/p' }
        }
      },
      { fullUrl: 'https://fhir.example.uk/Patient/p', resource: { resourceType: 'Patient', id: 'p', text: { status: 'generated', div: DIV('p') }, name } }
    ]
  });
  it('the target must conform to the profile (REFERENCE_REF_CANTMATCHCHOICE)', () => {
    expect(errors(bundle([{ family: 'Smith' }]), {}, [named, enc])).toEqual([]);
    expect(errors(bundle(), {}, [named, enc])).toEqual(['error reference-target-profile Bundle.entry[0].resource.subject.reference']);
  });
});
