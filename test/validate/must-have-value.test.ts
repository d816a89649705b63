/**
 * mustHaveValue and valueAlternatives on a profile's element (the R5 ElementDefinition elements,
 * carried in R4 by extensions): a primitive present with only extensions breaks them, as Java's
 * checkPrimitive reports (PRIMITIVE_MUSTHAVEVALUE_MESSAGE, PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE).
 * A small profile of Patient written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { patient, validator } from './helpers.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { resourceOf } from '../../scripts/fhir/r4.ts';

const URL = 'http://example.org/StructureDefinition/patient-birthdate';
const DAR = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const MHV = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-mustHaveValue';
const VA = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-valueAlternatives';

function profileWith(extension: Record<string, unknown>[]): FhirResource {
  const core = resourceOf(validator().defs.get('http://hl7.org/fhir/StructureDefinition/Patient'), 'StructureDefinition');
  if (!core?.snapshot) throw new Error('the core Patient definition has no snapshot');
  const element = core.snapshot.element.map(e => (e.id === 'Patient.birthDate' ? { ...e, extension } : e));
  return {
    resourceType: 'StructureDefinition',
    id: 'patient-birthdate',
    url: URL,
    version: '1.0.0',
    name: 'PatientBirthDate',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    snapshot: { element }
  };
}

const absent = patient({ _birthDate: { extension: [{ url: DAR, valueCode: 'unknown' }] } });

function found(resource: Record<string, unknown>, profile: FhirResource): string[] {
  return validator([profile])
    .validateResource(resource, { profiles: [URL] })
    .filter(i => i.rule === 'must-have-value' || i.rule === 'value-alternatives')
    .map(i => `${i.severity} ${i.location?.expression ?? ''}: ${i.message}`);
}

describe('mustHaveValue', () => {
  const profile = profileWith([{ url: MHV, valueBoolean: true }]);

  it('a primitive with only extensions is an error where the profile says it must have a value', () => {
    expect(found(absent, profile)).toEqual([
      `error Patient.birthDate: The element definition \`\`Patient.birthDate\`\` in the profile '${URL}|1.0.0' requires that a value be present in this element`
    ]);
  });

  it('a value, or no element at all, is fine; so is the base profile', () => {
    expect(found(patient({ birthDate: '1970-01-01' }), profile)).toEqual([]);
    expect(found(patient(), profile)).toEqual([]);
    expect(
      validator()
        .validateResource(absent)
        .filter(i => i.severity === 'error')
    ).toEqual([]);
  });
});

describe('valueAlternatives', () => {
  it('without a value, one of the named extensions must be there', () => {
    const one = profileWith([{ url: VA, valueCanonical: DAR }]);
    expect(found(absent, one)).toEqual([]);
    const other = patient({ _birthDate: { extension: [{ url: 'http://example.org/other', valueString: 'x' }] } });
    expect(found(other, one)).toEqual([
      `error Patient.birthDate: The element definition \`\`Patient.birthDate\`\` in the profile '${URL}|1.0.0' requires that if a value is not present, the extension '${DAR}' must be present`
    ]);
    const two = profileWith([
      { url: VA, valueCanonical: DAR },
      { url: VA, valueCanonical: 'http://example.org/alt' }
    ]);
    expect(found(other, two)[0]).toContain(`one of the extensions '${DAR}, http://example.org/alt' must be present`);
  });
});
