/**
 * Extension contexts of type `fhirpath`: the expression is evaluated on the resource holding the
 * extension, and the extension may sit on any element it selects (as the Java validator does).
 * The definitions are the core patient-birthTime extension (a real snapshot) with its URL and
 * context replaced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { issues, patient, validator } from './helpers.ts';

const CORE = join(SHARED_PACKAGE_CACHE, 'hl7.fhir.r4.core#4.0.1', 'package');
const birthTime = JSON.parse(readFileSync(join(CORE, 'StructureDefinition-patient-birthTime.json'), 'utf8')) as FhirResource;

function definition(id: string, context: { type: string; expression: string }[]): FhirResource {
  const url = `https://fhir.example.uk/StructureDefinition/${id}`;
  const sd = JSON.parse(JSON.stringify(birthTime).replaceAll(String(birthTime.url), url)) as FhirResource;
  return { ...sd, id, url, name: id.replace(/-/g, ''), context };
}

const official = definition('official-name-time', [{ type: 'fhirpath', expression: "Patient.name.where(use = 'official')" }]);
const birthDate = definition('birth-date-time', [{ type: 'fhirpath', expression: 'Patient.birthDate' }]);
const mixed = definition('mixed-context', [
  { type: 'fhirpath', expression: 'Patient.telecom' },
  { type: 'element', expression: 'Patient.address' }
]);
const broken = definition('broken-context', [{ type: 'fhirpath', expression: 'Patient.name.where(' }]);
const defs = [official, birthDate, mixed, broken];

const ext = (def: FhirResource) => ({ url: def.url, valueDateTime: '1990-01-01T10:00:00Z' });
const check = (resource: unknown) => issues(resource, {}, defs).filter(i => i.includes('extension-'));

describe('fhirpath extension contexts', () => {
  it('allows the extension on an element the expression selects, and only there', () => {
    const names = (e: unknown) => [
      { use: 'official', family: 'Smith' },
      { use: 'nickname', given: ['Al'], extension: [e] }
    ];
    expect(check(patient({ name: [{ use: 'official', family: 'Smith', extension: [ext(official)] }] }))).toEqual([]);
    expect(check(patient({ name: names(ext(official)) }))).toEqual(['error extension-context Patient.name[1].extension[0]']);
    expect(check(patient({ extension: [ext(official)] }))).toEqual(['error extension-context Patient.extension[0]']);
  });

  it('selects primitives too (their extensions are in the _element object)', () => {
    expect(check(patient({ birthDate: '1990-01-01', _birthDate: { extension: [ext(birthDate)] } }))).toEqual([]);
    expect(check(patient({ gender: 'male', _gender: { extension: [ext(birthDate)] } }))).toEqual(['error extension-context Patient.gender.extension[0]']);
  });

  it('is one of several contexts: any of them allows the extension', () => {
    expect(check(patient({ telecom: [{ system: 'phone', value: '0113 496 0000', extension: [ext(mixed)] }] }))).toEqual([]);
    expect(check(patient({ address: [{ city: 'Leeds', extension: [ext(mixed)] }] }))).toEqual([]);
    expect(check(patient({ contact: [{ name: { family: 'X' }, extension: [ext(mixed)] }] }))).toEqual([
      'error extension-context Patient.contact[0].extension[0]'
    ]);
  });

  it('evaluates on the resource holding the extension: a Bundle entry, not the Bundle', () => {
    const bundle = (name: Record<string, unknown>) => ({
      resourceType: 'Bundle',
      id: 'b',
      type: 'collection',
      entry: [{ fullUrl: 'https://example.org/fhir/Patient/p', resource: patient({ name: [name] }) }]
    });
    expect(check(bundle({ use: 'official', family: 'Smith', extension: [ext(official)] }))).toEqual([]);
    expect(check(bundle({ use: 'usual', family: 'Smith', extension: [ext(official)] }))).toEqual([
      'error extension-context Bundle.entry[0].resource.name[0].extension[0]'
    ]);
  });

  it('an expression that cannot be evaluated is reported as not checked, never as an error', () => {
    const found = validator(defs).validateResource(patient({ extension: [ext(broken)] }));
    const context = found.filter(i => i.rule === 'extension-context');
    expect(context.map(i => i.severity)).toEqual(['information']);
    expect(context[0]!.message).toContain("The context of use 'Patient.name.where(' (");
    expect(context[0]!.message).toContain('could not be evaluated, so where the extension may appear was not checked');
  });
});

describe('ext-1 with a primitive value that has only extensions', () => {
  const file = join(CORE, 'CodeSystem-v2-0207.json');
  const codeSystem = () => JSON.parse(readFileSync(file, 'utf8')) as { concept: { extension: Record<string, unknown>[] }[] };

  it("the core package's v2-0207 (a translated comment as _valueString) has a value, so passes", () => {
    expect(codeSystem().concept[2]!.extension[0]!._valueString).toBeDefined();
    expect(issues(codeSystem()).filter(i => i.startsWith('error'))).toEqual([]);
  });

  it('an extension with neither a value nor extensions, or with both, still fails', () => {
    const empty = codeSystem();
    delete empty.concept[2]!.extension[0]!._valueString;
    expect(issues(empty)).toContain('error ext-1 CodeSystem.concept[2].extension[0]');
    const both = codeSystem();
    both.concept[2]!.extension[0]!.extension = [{ url: 'http://example.org/x', valueString: 'x' }];
    expect(issues(both)).toContain('error ext-1 CodeSystem.concept[2].extension[0]');
  });
});

describe('element and extension contexts as the Java validator reads them (checkExtensionContext)', () => {
  const on = (expression: string, type = 'element', extra: Record<string, unknown> = {}) => ({
    ...definition(`ctx-${expression.replace(/[^A-Za-z]/g, '').toLowerCase()}`, [{ type, expression }]),
    ...extra
  });
  const deceased = on('Patient.deceased');
  const deceasedX = on('Patient.deceased[x]');
  const value = on('Observation.value[x]');
  const componentValue = on('Observation.component.value');
  const nationality = 'http://hl7.org/fhir/StructureDefinition/patient-nationality';
  const inNationality = on(nationality, 'extension');
  const canonical = on('CanonicalResource');
  const canonicalUrl = on('CanonicalResource.url');
  const female = on('Patient', 'element', { contextInvariant: ["gender = 'female'"] });
  const all = [deceased, deceasedX, value, componentValue, inNationality, canonical, canonicalUrl, female];
  const errorsOf = (resource: unknown) => issues(resource, {}, all).filter(i => i.startsWith('error'));
  const obs = (extra: Record<string, unknown>) => ({
    resourceType: 'Observation',
    id: 'o',
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>o</p></div>' },
    status: 'final',
    code: { text: 'x' },
    ...extra
  });

  it('a choice element, with or without [x], covers each of its typed forms', () => {
    for (const def of [deceased, deceasedX]) {
      expect(errorsOf(patient({ deceasedDateTime: '2020-01-01', _deceasedDateTime: { extension: [ext(def)] } }))).toEqual([]);
      expect(errorsOf(patient({ deceasedBoolean: true, _deceasedBoolean: { extension: [ext(def)] } }))).toEqual([]);
      expect(errorsOf(patient({ birthDate: '1990-01-01', _birthDate: { extension: [ext(def)] } }))).toEqual([
        'error extension-context Patient.birthDate.extension[0]'
      ]);
    }
    expect(errorsOf(obs({ valueQuantity: { value: 1, extension: [ext(value)] } }))).toEqual([]);
    expect(errorsOf(obs({ valueString: 'x', _valueString: { extension: [ext(value)] } }))).toEqual([]);
    expect(errorsOf(obs({ component: [{ code: { text: 'c' }, valueQuantity: { value: 1, extension: [ext(componentValue)] } }] }))).toEqual([]);
    expect(errorsOf(obs({ valueQuantity: { value: 1, extension: [ext(componentValue)] } }))).toEqual([
      'error extension-context Observation.valueQuantity.extension[0]'
    ]);
  });

  it('an extension context allows the extension anywhere inside that extension', () => {
    const code = (inner: unknown[]) => ({ url: 'code', valueCodeableConcept: { text: 'UK', ...(inner.length ? { extension: inner } : {}) } });
    expect(errorsOf(patient({ extension: [{ url: nationality, extension: [code([]), ext(inNationality)] }] }))).toEqual([]);
    expect(errorsOf(patient({ extension: [{ url: nationality, extension: [code([ext(inNationality)])] }] }))).toEqual([]);
    expect(errorsOf(patient({ extension: [ext(inNationality)] }))).toEqual(['error extension-context Patient.extension[0]']);
  });

  it('CanonicalResource stands for each canonical resource type (Library, ValueSet), at its root and for its elements', () => {
    const library = { resourceType: 'Library', id: 'l', url: 'http://example.org/fhir/Library/l', status: 'draft', type: { text: 'logic' } };
    expect(errorsOf({ ...library, extension: [ext(canonical)] })).toEqual([]);
    expect(errorsOf({ ...library, _url: { extension: [ext(canonicalUrl)] } })).toEqual([]);
    const vs = { resourceType: 'ValueSet', id: 'v', url: 'http://example.org/fhir/ValueSet/v', status: 'draft', extension: [ext(canonical)] };
    expect(errorsOf(vs)).toEqual([]);
    expect(errorsOf(patient({ extension: [ext(canonical)] }))).toEqual(['error extension-context Patient.extension[0]']);
  });

  it('contextInvariant is evaluated on the element holding the extension (PROFILE_EXT_NOT_HERE)', () => {
    expect(errorsOf(patient({ gender: 'female', extension: [ext(female)] }))).toEqual([]);
    const found = validator(all).validateResource(patient({ gender: 'male', extension: [ext(female)] }));
    const wrong = found.filter(i => i.rule === 'extension-context');
    expect(wrong.map(i => `${i.severity} ${i.location?.expression}`)).toEqual(['error Patient.extension[0]']);
    expect(wrong[0]!.message).toBe(`The extension ${female.url} is not allowed to be used at this point (based on context invariant 'gender = 'female'')`);
  });
});

describe('definitions the Java validator loads implicitly', () => {
  it('an hl7.org extension R4 core lacks (the HL7 extensions pack) is a warning, not an error', () => {
    const url = 'http://hl7.org/fhir/StructureDefinition/not-in-r4-core';
    expect(issues(patient({ extension: [{ url, valueString: 'x' }] }))).toEqual(['warning extension-pack-missing Patient.extension[0].url']);
    expect(issues(patient({ extension: [{ url: 'https://fhir.example.uk/StructureDefinition/nowhere', valueString: 'x' }] }))).toEqual([
      'error extension-unknown Patient.extension[0].url'
    ]);
  });
});
