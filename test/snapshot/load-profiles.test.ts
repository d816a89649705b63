/**
 * Differential-only profiles loaded with --load (a folder of JSON and XML, a package .tgz) are
 * usable: their snapshots are generated on first use, so --profile and meta.profile check
 * instances against them; a base chain without snapshots works, a cycle is a finding, not a crash.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConformance } from '../../scripts/lib/validator/load.ts';
import { validateCommand } from '../../scripts/commands/validate.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { validator } from '../validate/helpers.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'snapshot');
const PROFILES = join(FIXTURES, 'profiles');
const PROFILE = 'https://example.org/fhir/StructureDefinition/dl-patient';
const STRICT = 'https://example.org/fhir/StructureDefinition/dl-patient-strict';
const DIV = '<div xmlns="http://www.w3.org/1999/xhtml"><p>A patient</p></div>';
const ETHNICITY = 'https://example.org/fhir/StructureDefinition/dl-ethnicity';

function patient(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: 'p',
    text: { status: 'generated', div: DIV },
    extension: [{ url: ETHNICITY, valueCoding: { system: 'https://example.org/fhir/CodeSystem/dl-ethnicity', code: 'A' } }],
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
    gender: 'female',
    birthDate: '1980-04-02',
    address: [{ city: 'Leeds', postalCode: 'LS1 4HR' }],
    ...extra
  };
}

/** Breaks each rule of the profile once: the slice, the binding, the choice type, the type profile, the extension's binding. */
const invalid = patient({
  extension: [{ url: ETHNICITY, valueCoding: { system: 'https://example.org/fhir/CodeSystem/dl-ethnicity', code: 'Z' } }],
  identifier: [{ system: 'https://example.org/mrn', value: '1234' }],
  gender: 'other',
  deceasedDateTime: '2020-01-01',
  address: [{ city: 'Leeds' }]
});

const INVALID_FINDINGS = [
  'error binding-required Patient.extension[0].valueCoding',
  'error cardinality-min Patient Patient.identifier:nhsNumber: minimum required = 1, but only found 0',
  "error binding-required Patient.gender The value provided ('other') is not in the value set https://example.org/fhir/ValueSet/dl-gender, and a code is required from this value set",
  'error type Patient.deceasedDateTime dateTime is not allowed for Patient.deceased[x]; allowed: boolean',
  'error cardinality-min Patient.address[0] Address.postalCode: minimum required = 1, but only found 0'
];

let folder: FhirResource[];
let tgz: string;

function findings(resources: FhirResource[], resource: unknown, profiles: string[] = []): string[] {
  return validator(resources)
    .validateResource(resource, { profiles })
    .filter(i => i.severity !== 'information')
    .map(
      i =>
        `${i.severity} ${i.rule} ${i.location?.expression ?? ''}${i.rule === 'binding-required' && i.location?.expression?.includes('extension') ? '' : ` ${i.message}`}`
    );
}

beforeAll(async () => {
  const loaded = await loadConformance([PROFILES]);
  expect(loaded.diagnostics).toEqual([]);
  folder = loaded.resources;
  const dir = tempDir('vm-snapshot-pkg-');
  cpSync(PROFILES, join(dir, 'package'), { recursive: true });
  writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify({ name: 'example.differential', version: '0.1.0', fhirVersions: ['4.0.1'] }));
  tgz = join(dir, 'example.differential-0.1.0.tgz');
  await tar.c({ gzip: true, file: tgz, cwd: dir }, ['package']);
});

describe('differential-only profiles from --load', () => {
  it('loads the JSON and the XML definitions, none of them with a snapshot', () => {
    const sds = folder.filter(r => r.resourceType === 'StructureDefinition');
    expect(sds.map(r => r.id).sort()).toEqual(['dl-address', 'dl-ethnicity', 'dl-patient', 'dl-patient-strict']);
    expect(sds.every(r => r.snapshot === undefined)).toBe(true);
  });

  it('checks an instance against the profile named by --profile', () => {
    expect(findings(folder, patient(), [PROFILE])).toEqual([]);
    expect(findings(folder, invalid, [PROFILE])).toEqual(INVALID_FINDINGS);
  });

  it('checks an instance against the profile in its meta.profile', () => {
    expect(findings(folder, patient({ meta: { profile: [PROFILE] } }))).toEqual([]);
    expect(findings(folder, { ...invalid, meta: { profile: [PROFILE] } })).toEqual(INVALID_FINDINGS);
    // Without the profile, the same instance only breaks the extension's own binding.
    expect(findings(folder, invalid)).toEqual(['error binding-required Patient.extension[0].valueCoding']);
  });

  it('follows a chain of bases without snapshots (dl-patient-strict -> dl-patient -> Patient)', () => {
    expect(findings(folder, patient(), [STRICT])).toEqual([]);
    const noBirthDate = patient({ birthDate: undefined, identifier: [{ use: 'usual', system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }] });
    expect(findings(folder, noBirthDate, [STRICT])).toEqual([
      'error fixed-value Patient.identifier[0].use Value must be exactly "official" (fixedCode), found "usual"',
      'error cardinality-min Patient Patient.birthDate: minimum required = 1, but only found 0'
    ]);
    // The base profile alone does not fix identifier.use.
    expect(findings(folder, noBirthDate, [PROFILE])).toEqual([]);
  });

  it('reports a cycle of bases as a finding on the instance, also with --profile (the file is still checked against its base type)', async () => {
    const cycle = (await loadConformance([join(FIXTURES, 'cycle')])).resources;
    const [finding] = validator(cycle).validateResource(patient(), { profiles: ['https://example.org/fhir/StructureDefinition/cycle-a'] });
    expect(finding?.rule).toBe('profile-snapshot');
    expect(finding?.message).toContain(
      'cycle: https://example.org/fhir/StructureDefinition/cycle-a -> https://example.org/fhir/StructureDefinition/cycle-b -> https://example.org/fhir/StructureDefinition/cycle-a'
    );
    const { code, out } = await command([join(FIXTURES, 'cycle')], 'https://example.org/fhir/StructureDefinition/cycle-a', patient());
    expect(code).toBe(1);
    expect(out).toMatch(
      /: error Patient: No snapshot could be generated .* in a cycle: .*cycle-b -> .*cycle-a; the resource was not checked against .*cycle-a \[profile-snapshot\]$/m
    );
    // Checked against Patient all the same: a defect of the base type is still found.
    const broken = await command([join(FIXTURES, 'cycle')], 'https://example.org/fhir/StructureDefinition/cycle-a', patient({ gender: 'neither' }));
    expect(broken.out).toContain('error Patient.gender:');
  });

  it('validates files against a differential-only profile loaded from a folder or a package .tgz (vm-ig validate)', async () => {
    for (const load of [PROFILES, tgz]) {
      const good = await command([load], PROFILE, patient());
      expect(good.code, good.out).toBe(0);
      const bad = await command([load], PROFILE, invalid);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain("error Patient.gender: The value provided ('other') is not in the value set https://example.org/fhir/ValueSet/dl-gender");
      expect(bad.out).toContain('error Patient.address[0]: Address.postalCode: minimum required = 1, but only found 0 [cardinality-min]');
      const meta = await command([load], undefined, { ...invalid, meta: { profile: [PROFILE] } });
      expect(meta.code).toBe(1);
      expect(meta.out).toContain('Patient.identifier:nhsNumber: minimum required = 1, but only found 0 [cardinality-min]');
    }
  });
});

async function command(load: string[], profile: string | undefined, resource: unknown): Promise<{ code: number; out: string }> {
  const dir = tempDir('vm-snapshot-cmd-');
  mkdirSync(join(dir, 'in'));
  const file = join(dir, 'in', 'patient.json');
  writeFileSync(file, JSON.stringify(resource));
  const lines: string[] = [];
  const code = await validateCommand({
    root: dir,
    files: [file],
    format: 'text',
    load,
    profile,
    packageCache: SHARED_PACKAGE_CACHE,
    print: l => lines.push(l)
  });
  return { code, out: lines.join('\n') };
}
