/**
 * StructureDefinitions checked for themselves, as the HL7 Java validator's
 * StructureDefinitionValidator.validateElementType: type.profile resolves and fits the element's
 * type (SD_ED_TYPE_PROFILE_UNKNOWN / _NOTYPE / _WRONG), extension profiles and modifierExtension
 * agree (SD_ED_TYPE_PROFILE_NOT_MODIFIER / _IS_MODIFIER), targetProfile only where it means
 * something (SD_ED_TYPE_NO_TARGET_PROFILE, SD_ED_TYPE_PROFILE_WRONG_TARGET). Small profiles
 * written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { patientProfile, validator } from './helpers.ts';

const BASE = 'http://hl7.org/fhir/StructureDefinition/';

function found(sd: Record<string, unknown>): string[] {
  return validator()
    .validateResource(sd)
    .filter(i => i.rule === 'sd-type-profile')
    .map(i => `${i.severity} ${i.location?.expression ?? ''}: ${i.message}`);
}

const at = 'StructureDefinition.differential.element[1].type[0]';

describe('type.profile and targetProfile of a StructureDefinition (StructureDefinitionValidator)', () => {
  it('profiles of the right type are fine: SimpleQuantity on Quantity, an extension on extension, a Patient target', () => {
    expect(
      found(
        patientProfile([
          { id: 'Patient.extension', path: 'Patient.extension', type: [{ code: 'Extension', profile: [`${BASE}patient-birthPlace`] }] },
          { id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner', type: [{ code: 'Reference', targetProfile: [`${BASE}Practitioner`] }] }
        ])
      )
    ).toEqual([]);
    const obs = {
      ...patientProfile([{ id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity', profile: [`${BASE}SimpleQuantity`] }] }]),
      type: 'Observation',
      baseDefinition: `${BASE}Observation`
    };
    expect(found(obs)).toEqual([]);
  });

  it('a profile for another type is an error (SD_ED_TYPE_PROFILE_WRONG)', () => {
    expect(found(patientProfile([{ id: 'Patient.name', path: 'Patient.name', type: [{ code: 'HumanName', profile: [`${BASE}SimpleQuantity`] }] }]))).toEqual([
      `error ${at}.profile[0]: Profile ${BASE}SimpleQuantity is for type Quantity, but the Patient.name element has type HumanName`
    ]);
  });

  it('an unknown profile is a warning (SD_ED_TYPE_PROFILE_UNKNOWN)', () => {
    expect(found(patientProfile([{ id: 'Patient.name', path: 'Patient.name', type: [{ code: 'HumanName', profile: ['http://example.org/none'] }] }]))).toEqual([
      `warning ${at}.profile[0]: Unable to resolve profile http://example.org/none`
    ]);
  });

  it('a modifier extension on extension, or a plain one on modifierExtension, is an error', () => {
    const plainOnModifier = patientProfile([
      { id: 'Patient.modifierExtension', path: 'Patient.modifierExtension', type: [{ code: 'Extension', profile: [`${BASE}patient-birthPlace`] }] }
    ]);
    expect(found(plainOnModifier)).toEqual([
      `error ${at}.profile[0]: Profile ${BASE}patient-birthPlace is for not for a modifier extension, but the Patient.modifierExtension element is a modifier`
    ]);
  });

  it('targetProfile on a type that is not Reference or canonical is an error (SD_ED_TYPE_NO_TARGET_PROFILE)', () => {
    expect(found(patientProfile([{ id: 'Patient.name', path: 'Patient.name', type: [{ code: 'HumanName', targetProfile: [`${BASE}Patient`] }] }]))).toEqual([
      `error ${at}.targetProfile[0]: Type HumanName does not allow for target Profiles`
    ]);
  });

  it('a Reference target that is not a resource is an error (SD_ED_TYPE_PROFILE_WRONG_TARGET)', () => {
    expect(
      found(
        patientProfile([
          { id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner', type: [{ code: 'Reference', targetProfile: [`${BASE}HumanName`] }] }
        ])
      )
    ).toEqual([
      `error ${at}.targetProfile[0]: Profile ${BASE}HumanName is for type HumanName, which is not a Resource (which is required because the Patient.generalPractitioner element has type Reference)`
    ]);
  });

  it('a profile on Resource accepts any resource profile (abstract bases are walked)', () => {
    const bundle = {
      ...patientProfile([{ id: 'Bundle.entry.resource', path: 'Bundle.entry.resource', type: [{ code: 'Resource', profile: [`${BASE}vitalsigns`] }] }]),
      type: 'Bundle',
      baseDefinition: `${BASE}Bundle`
    };
    expect(found(bundle)).toEqual([]);
  });

  it('an unresolvable profile a snapshot inherits is reported on the definition that introduced it, not again', () => {
    const name = { id: 'Patient.name', path: 'Patient.name', type: [{ code: 'HumanName', profile: ['http://example.org/none'] }] };
    const base = { ...patientProfile([name]), snapshot: { element: [{ id: 'Patient', path: 'Patient' }, name] } };
    const derived = {
      ...patientProfile([]),
      url: 'http://example.org/StructureDefinition/derived',
      baseDefinition: 'http://example.org/StructureDefinition/p',
      snapshot: { element: [{ id: 'Patient', path: 'Patient' }, name] }
    };
    const issues = validator([base as never])
      .validateResource(derived)
      .filter(i => i.rule === 'sd-type-profile');
    expect(issues).toEqual([]);
    expect(found(base)).toHaveLength(2); // differential and snapshot of the definition that names it
  });
});
