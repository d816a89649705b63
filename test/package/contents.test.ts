import { describe, expect, it } from 'vitest';
import { packGuide } from '../../scripts/stages/package/write.ts';
import { contentsByType } from '../../scripts/stages/package/stage.ts';
import { readTarball } from './read-tarball.ts';
import { expectIndexMatchesFiles, parseAll, resourceFiles } from './package-checks.ts';
import { fixtureInput, VALIDATION } from './fixture.ts';

describe('the package of a small guide', async () => {
  const packed = packGuide(fixtureInput());
  const entries = await readTarball(packed.bytes);
  const parsed = parseAll(entries);

  it('holds package.json, definitions, the IG, examples and the validation report', () => {
    expect([...entries.keys()]).toEqual([
      'package/.index.json',
      'package/CapabilityStatement-server.json',
      'package/CodeSystem-status.json',
      'package/ImplementationGuide-example.guide.json',
      'package/StructureDefinition-status-observation.json',
      'package/example/.index.json',
      'package/example/Observation-status-example.json',
      'package/example/Patient-patient-example.json',
      'package/other/validation-oo.json',
      'package/package.json'
    ]);
  });

  it('lists every resource in the index of its folder, and nothing else', () => {
    expectIndexMatchesFiles(parsed, 'package');
    expectIndexMatchesFiles(parsed, 'package/example');
    expect(resourceFiles(parsed.keys(), 'package/example')).toEqual(['Observation-status-example.json', 'Patient-patient-example.json']);
  });

  it('writes index entries with the index-version 2 fields', () => {
    const index = parsed.get('package/.index.json') as { files: unknown[] };
    expect(index.files).toContainEqual({
      filename: 'StructureDefinition-status-observation.json',
      resourceType: 'StructureDefinition',
      id: 'status-observation',
      url: 'http://example.org/guide/StructureDefinition/status-observation',
      version: '1.2.3',
      kind: 'resource',
      type: 'Observation'
    });
    expect(index.files).toContainEqual({
      filename: 'CodeSystem-status.json',
      resourceType: 'CodeSystem',
      id: 'status',
      url: 'http://example.org/guide/CodeSystem/status',
      version: '1.2.3',
      content: 'complete'
    });
  });

  it('writes package.json with the manifest', () => {
    const pkg = parsed.get('package/package.json')!;
    expect(pkg).toMatchObject({ name: 'example.guide', version: '1.2.3', type: 'IG', date: '20260304000000', fhirVersions: ['4.0.1'] });
    expect(pkg.dependencies).toEqual({ 'hl7.fhir.r4.core': '4.0.1', 'hl7.fhir.uv.extensions.r4': '5.2.0' });
  });

  it('stamps every entry with the declared date, mode 0644 and owner 0', () => {
    for (const entry of entries.values()) {
      expect(entry.mtime?.toISOString()).toBe('2026-03-04T00:00:00.000Z');
      expect(entry.mode).toBe(0o644);
      expect(entry.uid).toBe(0);
    }
  });

  it('writes the validation report as a Bundle of OperationOutcomes, one per file, sorted', () => {
    const bundle = parsed.get('package/other/validation-oo.json') as { resourceType: string; type: string; entry: { resource: Record<string, any> }[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    const outcomes = bundle.entry.map(e => e.resource);
    expect(outcomes.map(o => o.extension[0].valueString)).toEqual(VALIDATION.files.map(f => f.file).sort());
    const issue = outcomes[0]!.issue[0];
    expect(issue).toMatchObject({ severity: 'error', details: { text: 'Observation.code: minimum 1' }, expression: ['Observation.code'] });
    expect(issue.extension).toContainEqual({ url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line', valueInteger: 3 });
    expect(outcomes[1]!.issue).toEqual([{ severity: 'information', code: 'informational', details: { text: 'All OK' } }]);
  });

  it('says so when validation did not run', async () => {
    const other = parseAll(await readTarball(packGuide(fixtureInput({ validation: undefined })).bytes));
    const oo = other.get('package/other/validation-oo.json') as { resourceType: string; issue: { details: { text: string } }[] };
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue[0]!.details.text).toMatch(/did not run/);
  });

  it('is byte-identical when packed twice, whatever the input order', () => {
    const again = packGuide(fixtureInput({ resources: [...fixtureInput().resources].reverse() }));
    expect(Buffer.from(again.bytes).equals(Buffer.from(packed.bytes))).toBe(true);
  });

  it('summarises the contents by type', () => {
    expect(contentsByType(packed.files)).toBe('1 CapabilityStatement, 1 CodeSystem, 1 ImplementationGuide, 1 StructureDefinition; 2 examples');
  });
});
