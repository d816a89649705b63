/**
 * A StructureDefinition checked for itself beyond its types, as the HL7 Java validator's
 * StructureDefinitionValidator and snapshot generator do: canonical targetProfiles name canonical
 * resources (SD_ED_TYPE_PROFILE_WRONG_TARGET), paths start with the type (SD_PATH_TYPE_MISMATCH),
 * no slicing on the root (SD_NO_SLICING_ON_ROOT), element ids are unique (DUPLICATE_ID), a slice
 * does not redefine its slicer's slicing (ATTEMPT_TO_CHANGE_SLICING), an extension fixes its own
 * URL (SD_EXTENSION_URL_MISSING / _MISMATCH) and only extensions have contexts
 * (SD_NO_CONTEXT_WHEN_NOT_EXTENSION). Small definitions written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { patientProfile, validator } from './helpers.ts';

const BASE = 'http://hl7.org/fhir/StructureDefinition/';

function found(sd: Record<string, unknown>): string[] {
  return validator()
    .validateResource(sd)
    .filter(i => i.rule.startsWith('sd-'))
    .map(i => `${i.severity} ${i.location?.expression ?? ''}: ${i.message}`);
}

describe('canonical targetProfile (SD_ED_TYPE_PROFILE_WRONG_TARGET, Canonical Resource)', () => {
  const q = (target: string) => ({
    ...patientProfile([
      { id: 'QuestionnaireResponse.questionnaire', path: 'QuestionnaireResponse.questionnaire', type: [{ code: 'canonical', targetProfile: [target] }] }
    ]),
    type: 'QuestionnaireResponse',
    baseDefinition: `${BASE}QuestionnaireResponse`,
    differential: {
      element: [
        { id: 'QuestionnaireResponse', path: 'QuestionnaireResponse' },
        { id: 'QuestionnaireResponse.questionnaire', path: 'QuestionnaireResponse.questionnaire', type: [{ code: 'canonical', targetProfile: [target] }] }
      ]
    }
  });
  const at = 'StructureDefinition.differential.element[1].type[0].targetProfile[0]';

  it('a canonical resource (or a profile of one) is fine', () => {
    expect(found(q(`${BASE}Questionnaire`))).toEqual([]);
    expect(found(q(`${BASE}cqf-questionnaire`))).toEqual([]);
  });

  it('a resource that is not canonical is an error; an unknown one a warning', () => {
    expect(found(q(`${BASE}Patient`))).toEqual([
      `error ${at}: Profile ${BASE}Patient is for type Patient, which is not a Canonical Resource (which is required because the QuestionnaireResponse.questionnaire element has type canonical)`
    ]);
    expect(found(q('http://example.org/none'))).toEqual([`warning ${at}: Unable to resolve profile http://example.org/none`]);
  });
});

describe('element lists', () => {
  it('a path that does not start with the type is an error (SD_PATH_TYPE_MISMATCH)', () => {
    expect(found(patientProfile([{ id: 'Person.name', path: 'Person.name', max: '1' }]))).toContain(
      'error StructureDefinition.differential.element[1]: The path Person.name must start with the type of the structure Patient'
    );
  });

  it('slicing on the root of a differential is an error (SD_NO_SLICING_ON_ROOT)', () => {
    const sd = patientProfile([]);
    sd.differential = { element: [{ id: 'Patient', path: 'Patient', slicing: { rules: 'open' } }] };
    expect(found(sd)).toEqual(['error StructureDefinition.differential.element[0]: Slicing is not allowed at the root of a profile']);
  });

  it('an element id used twice in the differential is an error (DUPLICATE_ID); the snapshot counts afresh', () => {
    const name = { id: 'Patient.name', path: 'Patient.name', min: 1 };
    const duplicates = (sd: Record<string, unknown>) =>
      validator()
        .validateResource(sd)
        .filter(i => i.rule === 'duplicate-id')
        .map(i => `${i.location?.expression ?? ''}: ${i.message}`);
    expect(duplicates(patientProfile([name, { ...name, max: '1' }]))).toEqual([
      "StructureDefinition.differential.element[2]: Duplicate id value 'Patient.name'"
    ]);
    const withSnapshot = patientProfile([name], { snapshot: { element: [{ id: 'Patient', path: 'Patient' }, name] } });
    expect(duplicates(withSnapshot)).toEqual([]);
  });
});

describe('a slice that redefines the slicing (ATTEMPT_TO_CHANGE_SLICING)', () => {
  const slicing = (path: string, rules = 'open') => ({ discriminator: [{ type: 'value', path }], rules });
  const sliced = (second: Record<string, unknown> | undefined) =>
    patientProfile([
      { id: 'Patient.identifier', path: 'Patient.identifier', slicing: slicing('system') },
      { id: 'Patient.identifier:nhs', path: 'Patient.identifier', sliceName: 'nhs', ...(second ? { slicing: second } : {}) },
      { id: 'Patient.identifier:nhs.system', path: 'Patient.identifier.system', fixedUri: 'https://fhir.nhs.uk/Id/nhs-number' }
    ]);

  it('a slice that states the same slicing, or none, is fine', () => {
    expect(found(sliced(undefined))).toEqual([]);
    expect(found(sliced(slicing('system')))).toEqual([]);
  });

  it('a slice stating other discriminators or rules is an error on the definition', () => {
    expect(found(sliced(slicing('value')))).toEqual([
      'error StructureDefinition: The element at Patient.identifier defines the slicing [value:system] open but then an element in the slicing Patient.identifier:nhs tries to redefine the slicing to [value:value] open'
    ]);
    expect(found(sliced(slicing('system', 'closed')))).toHaveLength(1);
  });

  it('a slice that is re-sliced sets up its own slicing', () => {
    const sd = sliced(slicing('value'));
    const diff = sd.differential as { element: Record<string, unknown>[] };
    diff.element.push({ id: 'Patient.identifier:nhs/old', path: 'Patient.identifier', sliceName: 'nhs/old' });
    expect(found(sd)).toEqual([]);
  });
});

describe('extension definitions and contexts', () => {
  const extension = (fixed: string | undefined) => ({
    ...patientProfile([]),
    url: 'http://example.org/StructureDefinition/ext',
    type: 'Extension',
    kind: 'complex-type',
    baseDefinition: `${BASE}Extension`,
    context: [{ type: 'element', expression: 'Patient' }],
    differential: {
      element: [
        { id: 'Extension', path: 'Extension' },
        ...(fixed ? [{ id: 'Extension.url', path: 'Extension.url', fixedUri: fixed }] : []),
        { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'string' }] }
      ]
    }
  });

  it('an extension fixes Extension.url to its own URL (SD_EXTENSION_URL_MISSING / _MISMATCH)', () => {
    expect(found(extension('http://example.org/StructureDefinition/ext'))).toEqual([]);
    expect(found(extension(undefined))).toEqual([
      'error StructureDefinition: The value of Extension.url is not fixed to the extension URL http://example.org/StructureDefinition/ext'
    ]);
    expect(found(extension('http://example.org/other'))).toEqual([
      "error StructureDefinition: The fixed value for the extension URL is http://example.org/other which doesn't match the canonical URL http://example.org/StructureDefinition/ext"
    ]);
  });

  it('a context on something that is not an extension is an error (SD_NO_CONTEXT_WHEN_NOT_EXTENSION)', () => {
    expect(found(patientProfile([], { context: [{ type: 'element', expression: 'Patient' }] }))).toEqual([
      'error StructureDefinition.context[0]: The type is Patient so an extension context should not be specified'
    ]);
  });
});

describe('the definition against its base (validateStructureDefinition)', () => {
  it('a constraint with another type or kind, or no derivation, is an error; an unknown base a warning', () => {
    expect(found(patientProfile([], { type: 'Person' }))).toContain(
      'error StructureDefinition: The type Person must be the same as the type in the base structure Patient that is being constrained'
    );
    expect(found(patientProfile([], { kind: 'complex-type' }))).toEqual([
      `error StructureDefinition: The kind complex-type must be the same as the kind resource in the base structure ${BASE}Patient (base type = Patient)`,
      'error StructureDefinition: The structure definition constrains a kind of resource, but has a different kind (complex-type)'
    ]);
    expect(found(patientProfile([], { derivation: undefined }))).toEqual([
      'error StructureDefinition: StructureDefinition http://example.org/StructureDefinition/p must have a derivation, since it has a baseDefinition'
    ]);
    expect(found(patientProfile([], { baseDefinition: 'http://example.org/none' }))).toEqual([
      "warning StructureDefinition: Unable to find base http://example.org/none for StructureDefinition, so can't check the differential"
    ]);
  });

  it('a specialisation keeping its base type is an error (SD_SPECIALIZED_TYPE_MATCHES)', () => {
    expect(found(patientProfile([], { derivation: 'specialization' }))).toEqual([
      'error StructureDefinition: The type Patient must not be the same as the type in the base structure Patient that is being specialised'
    ]);
  });

  it('meaningWhenMissing in a profile is an error, except on an extension (SD_ELEMENT_NOT_IN_CONSTRAINT)', () => {
    expect(found(patientProfile([{ id: 'Patient.active', path: 'Patient.active', meaningWhenMissing: 'x' }]))).toEqual([
      'error StructureDefinition.differential.element[1]: The element definition for Patient.active has a property meaningWhenMissing which is not allowed in a profile'
    ]);
    expect(found(patientProfile([{ id: 'Patient.extension', path: 'Patient.extension', meaningWhenMissing: 'x' }]))).toEqual([]);
  });
});
