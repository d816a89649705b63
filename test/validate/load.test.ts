/** --load: JSON and XML, folders, the resource types validation needs, and a visible note of what was skipped. */
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { objectToXml } from '../../scripts/fhir/fhir-xml.ts';
import { loadConformance } from '../../scripts/lib/validator/load.ts';
import { validateCommand } from '../../scripts/commands/validate.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { errors, observation } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'vm-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vs = {
  resourceType: 'ValueSet',
  id: 'vs',
  url: 'https://fhir.nhs.uk/ValueSet/test',
  status: 'active',
  compose: { include: [{ system: 'http://example.org/cs', concept: [{ code: 'a' }] }] }
};
const q = { resourceType: 'Questionnaire', id: 'q', url: 'https://fhir.nhs.uk/Questionnaire/test', status: 'active' };
const ig = {
  resourceType: 'ImplementationGuide',
  id: 'ig',
  url: 'https://fhir.nhs.uk/ImplementationGuide/test',
  name: 'Test',
  status: 'active',
  packageId: 'x',
  fhirVersion: ['4.0.1'],
  global: [{ type: 'Observation', profile: 'http://hl7.org/fhir/StructureDefinition/bodyweight' }]
};

describe('--load', () => {
  it('reads JSON and XML from a folder, keeps what validation needs and says what it skipped', async () => {
    writeFileSync(join(dir, 'vs.xml'), objectToXml(vs));
    writeFileSync(join(dir, 'q.json'), JSON.stringify(q));
    writeFileSync(join(dir, 'ig.json'), JSON.stringify(ig));
    writeFileSync(join(dir, 'patient.json'), JSON.stringify({ resourceType: 'Patient', id: 'p' }));
    const loaded = await loadConformance([dir]);
    expect(loaded.resources.map(r => r.resourceType).sort()).toEqual(['ImplementationGuide', 'Questionnaire', 'ValueSet']);
    const note = loaded.diagnostics.find(d => d.rule === 'load-skipped');
    expect(note?.message).toContain('kept 3');
    expect(note?.message).toContain('Patient 1');
  });

  it("applies an ImplementationGuide's global profiles", async () => {
    const loaded = await loadConformance([dir]);
    const found = errors(observation(), {}, loaded.resources);
    expect(found).toContain('error cardinality-min Observation');
    expect(errors(observation())).toEqual([]);
  });
});

describe('--load and every run giving a result', () => {
  it('keeps a Measure or a Library named on its own (canonical resources, as Java loads them)', async () => {
    const measure = join(dir, 'measure.json');
    writeFileSync(measure, JSON.stringify({ resourceType: 'Measure', id: 'm', url: 'https://fhir.example.uk/Measure/m', status: 'draft' }));
    const library = join(dir, 'library.xml');
    writeFileSync(
      library,
      objectToXml({ resourceType: 'Library', id: 'l', url: 'https://fhir.example.uk/Library/l', status: 'draft', type: { text: 'logic' } })
    );
    const loaded = await loadConformance([measure, library]);
    expect(loaded.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(loaded.resources.map(r => r.resourceType)).toEqual(['Measure', 'Library']);
  });

  it('a --profile whose snapshot cannot be generated: an OperationOutcome with an error on that profile, and the base type checked', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken, { recursive: true });
    const url = 'https://fhir.example.uk/StructureDefinition/broken-patient';
    writeFileSync(
      join(broken, 'sd.json'),
      JSON.stringify({
        resourceType: 'StructureDefinition',
        id: 'broken-patient',
        url,
        name: 'BrokenPatient',
        status: 'draft',
        kind: 'resource',
        abstract: false,
        type: 'Patient',
        baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
        derivation: 'constraint',
        differential: { element: [{ id: 'Patient.nickname', path: 'Patient.nickname', min: 1 }] }
      })
    );
    const file = join(dir, 'patient.json');
    writeFileSync(file, JSON.stringify({ resourceType: 'Patient', id: 'p', gender: 'neither' }));
    const lines: string[] = [];
    const code = await validateCommand({
      root: dir,
      files: [file],
      format: 'json',
      load: [broken],
      profile: url,
      packageCache: SHARED_PACKAGE_CACHE,
      print: l => lines.push(l)
    });
    expect(code).toBe(1);
    const outcome = JSON.parse(lines.join('\n')) as { resourceType: string; issue: { severity: string; expression?: string[]; details: { text: string } }[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    const snapshot = outcome.issue.find(i => i.details.text.includes('No snapshot could be generated'));
    expect(snapshot).toMatchObject({ severity: 'error', expression: ['Patient'] });
    expect(snapshot?.details.text).toContain(`${url} (at Patient.nickname)`);
    expect(outcome.issue.some(i => i.severity === 'error' && i.expression?.[0] === 'Patient.gender')).toBe(true);
  });
});
