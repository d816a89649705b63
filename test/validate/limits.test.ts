/**
 * Value limits: the 1 MB string limit of the spec, and a profile's maxLength, minValue[x] and
 * maxValue[x]. The profiles are the core Patient and Observation definitions (real snapshots)
 * with limits added to one element each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { errors, issues, observation, patient } from './helpers.ts';

const CORE = join(SHARED_PACKAGE_CACHE, 'hl7.fhir.r4.core#4.0.1', 'package');

/** Elements to add after their parent (a datatype child the profile constrains). */
const FAMILY = {
  id: 'Patient.name.family',
  path: 'Patient.name.family',
  min: 0,
  max: '1',
  base: { path: 'HumanName.family', min: 0, max: '1' },
  type: [{ code: 'string' }]
};

function profileOf(type: string, id: string, limits: Record<string, Record<string, unknown>>, added: { path: string }[] = []): FhirResource {
  const sd = JSON.parse(readFileSync(join(CORE, `StructureDefinition-${type}.json`), 'utf8')) as FhirResource & {
    snapshot: { element: { path: string }[] };
  };
  const url = `https://fhir.example.uk/StructureDefinition/${id}`;
  const element = sd.snapshot.element
    .flatMap(e => [e, ...added.filter(a => a.path.slice(0, a.path.lastIndexOf('.')) === e.path)])
    .map(e => ({ ...e, ...(limits[e.path] ?? {}) }));
  return { ...sd, id, url, name: id, derivation: 'constraint', baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}`, snapshot: { element } };
}

const patientProfile = profileOf(
  'Patient',
  'LimitedPatient',
  {
    'Patient.birthDate': { minValueDate: '1900-01-01', maxValueDate: '2030-12-31' },
    'Patient.name.family': { maxLength: 10 }
  },
  [FAMILY]
);
const observationProfile = profileOf('Observation', 'LimitedObservation', {
  'Observation.value[x]': { minValueInteger: 0, maxValueInteger: 300 }
});
const defs = [patientProfile, observationProfile];
const limited = (resource: unknown, profile: FhirResource) => issues(resource, { profiles: [String(profile.url)] }, defs);

describe('value limits', () => {
  it('a string longer than 1 MB is an error, up to 1 MB is fine', () => {
    const text = (n: number) => observation({ valueString: 'x'.repeat(n) });
    expect(errors(text(1024 * 1024))).toEqual([]);
    expect(errors(text(1024 * 1024 + 1))).toEqual(['error string-too-long Observation.valueString']);
  });

  it("a profile's maxLength", () => {
    expect(limited(patient({ name: [{ family: 'Jones' }] }), patientProfile)).toEqual([]);
    expect(limited(patient({ name: [{ family: 'Featherstonehaugh' }] }), patientProfile)).toEqual(['error max-length Patient.name[0].family']);
  });

  it("a profile's minValue and maxValue on numbers", () => {
    expect(limited(observation({ valueInteger: 120 }), observationProfile)).toEqual([]);
    expect(limited(observation({ valueInteger: 0 }), observationProfile)).toEqual([]);
    expect(limited(observation({ valueInteger: -1 }), observationProfile)).toEqual(['error min-value Observation.valueInteger']);
    expect(limited(observation({ valueInteger: 301 }), observationProfile)).toEqual(['error max-value Observation.valueInteger']);
  });

  it("a profile's minValue and maxValue on dates of the same precision", () => {
    expect(limited(patient({ birthDate: '1990-02-28' }), patientProfile)).toEqual([]);
    expect(limited(patient({ birthDate: '1899-12-31' }), patientProfile)).toEqual(['error min-value Patient.birthDate']);
    expect(limited(patient({ birthDate: '2031-01-01' }), patientProfile)).toEqual(['error max-value Patient.birthDate']);
    // Another precision is not compared (1899 could not be told from 1900-01-01 by the text).
    expect(limited(patient({ birthDate: '1990' }), patientProfile)).toEqual([]);
  });

  it('the limits of one profile do not leak into the base type', () => {
    expect(issues(patient({ name: [{ family: 'Featherstonehaugh' }], birthDate: '1899-12-31' }))).toEqual([]);
  });
});
