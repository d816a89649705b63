/** --load: JSON and XML, folders, the resource types validation needs, and a visible note of what was skipped. */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { objectToXml } from '../../scripts/fhir/fhir-xml.ts';
import { loadConformance } from '../../scripts/validate/load.ts';
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
