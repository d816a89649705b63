/**
 * Extension contexts of type `fhirpath`: the expression is evaluated on the resource holding the
 * extension, and the extension may sit on any element it selects (as the Java validator does).
 * The definitions are the core patient-birthTime extension (a real snapshot) with its URL and
 * context replaced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model.ts';
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
