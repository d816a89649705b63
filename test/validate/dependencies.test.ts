/**
 * A guide's dependencies (sushi-config `dependencies`, unpacked in a package cache) are loaded
 * under its own definitions: a profile from one, in meta.profile or a targetProfile, is known, as
 * in the IG Publisher. A targetProfile that no loaded package defines is not a type error.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { validateGuide } from '../../scripts/lib/validator/guide.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { DIV, issues } from './helpers.ts';

const PROFILE = 'http://example.org/dep/StructureDefinition/dep-patient';

function dependencyFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vm-ig-dep-'));
  mkdirSync(join(dir, 'package'));
  writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify({ name: 'example.dep', version: '1.0.0' }));
  const sd = {
    resourceType: 'StructureDefinition',
    id: 'dep-patient',
    url: PROFILE,
    name: 'DepPatient',
    status: 'active',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: { element: [{ id: 'Patient.birthDate', path: 'Patient.birthDate', min: 1 }] }
  };
  writeFileSync(join(dir, 'package', 'StructureDefinition-dep-patient.json'), JSON.stringify(sd));
  return dir;
}

const compiled = (resource: FhirResource, instanceOf?: string): CompiledResource => ({
  fileName: `${resource.resourceType}-${resource.id}.json`,
  resource,
  instanceOf,
  usage: 'example'
});

describe('dependencies', () => {
  const patient = { resourceType: 'Patient', id: 'p1', text: { status: 'generated', div: DIV('p') }, meta: { profile: [PROFILE] } } as FhirResource;
  const encounter = {
    resourceType: 'Encounter',
    id: 'e1',
    text: { status: 'generated', div: DIV('e') },
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: 'Patient/p1' }
  } as FhirResource;

  it("checks an instance against a dependency's profile named in meta.profile", () => {
    const report = validateGuide(SHARED_PACKAGE_CACHE, [compiled(patient)], { dependencies: [dependencyFolder()] });
    const found = report.files[0]!.diagnostics.map(d => `${d.severity} ${d.rule} ${d.location?.expression}`);
    expect(found).toContain('error cardinality-min Patient');
    expect(found.filter(f => f.includes('profile-unknown'))).toEqual([]);
  });

  it('a targetProfile no loaded package defines is a warning, not an invalid target type', () => {
    const profile = {
      resourceType: 'StructureDefinition',
      id: 'enc',
      url: 'http://example.org/StructureDefinition/enc',
      name: 'Enc',
      status: 'active',
      kind: 'resource',
      abstract: false,
      type: 'Encounter',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Encounter',
      derivation: 'constraint',
      differential: {
        element: [
          {
            id: 'Encounter.subject',
            path: 'Encounter.subject',
            type: [{ code: 'Reference', targetProfile: ['http://example.org/missing/StructureDefinition/pat'] }]
          }
        ]
      }
    } as unknown as FhirResource;
    const found = issues(encounter, { profiles: [profile.url as string], knownResources: new Map([['Patient/p1', patient]]) }, [profile]);
    expect(found).toEqual(['warning reference-target-profile-unknown Encounter.subject.reference']);
  });
});
