/**
 * A guide whose input/resources holds differential-only profiles (JSON and XML): the compile
 * stage gives them snapshots, the guide's predefined examples are validated against them, and a
 * broken differential is an error located at its file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import type { Diagnostic } from '../../scripts/model/diagnostics.ts';
import { makeProject, MINIMAL_CONFIG, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const PROFILES = join(REPO_ROOT, 'test', 'fixtures', 'snapshot', 'profiles');
const PROFILE = 'https://example.org/fhir/StructureDefinition/dl-patient';
const DIV = '<div xmlns="http://www.w3.org/1999/xhtml"><p>A patient</p></div>';

function example(id: string, extra: Record<string, unknown>): string {
  return JSON.stringify({
    resourceType: 'Patient',
    id,
    meta: { profile: [PROFILE] },
    text: { status: 'generated', div: DIV },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
    gender: 'male',
    address: [{ postalCode: 'LS1 4HR' }],
    ...extra
  });
}

function project(extra: Record<string, string> = {}): string {
  const files: Record<string, string> = {
    'sushi-config.yaml': MINIMAL_CONFIG,
    'input/pagecontent/index.md': '# Home\n',
    'input/fsh/aliases.fsh': 'Alias: $sct = http://snomed.info/sct\n',
    ...extra
  };
  for (const name of readdirSync(PROFILES)) files[`input/resources/${name}`] = readFileSync(join(PROFILES, name), 'utf8');
  files['input/examples/Patient-good.json'] = example('good', {});
  files['input/examples/Patient-bad.json'] = example('bad', { gender: 'other', address: [{ city: 'Leeds' }] });
  return makeProject(files);
}

const shown = (d: Diagnostic) => `${d.severity} ${d.rule} ${d.location?.file ?? ''} ${d.location?.expression ?? ''}`.trim();

describe('predefined differential-only profiles', () => {
  let run: Awaited<ReturnType<typeof runPipeline>>;
  beforeAll(async () => {
    run = await runPipeline(project(), ['validate'], { packageCache: SHARED_PACKAGE_CACHE });
  }, 120_000);

  it('get snapshots in the compiled guide', () => {
    const sds = run.ctx!.compiled!.resources.filter(r => r.resource.resourceType === 'StructureDefinition');
    expect(sds.map(r => r.resource.id).sort()).toEqual(['dl-address', 'dl-ethnicity', 'dl-patient', 'dl-patient-strict']);
    for (const r of sds) expect((r.resource.snapshot as { element: unknown[] } | undefined)?.element.length, String(r.resource.id)).toBeGreaterThan(5);
    const address = sds.find(r => r.resource.id === 'dl-address')!.resource.snapshot as { element: { id: string; min: number }[] };
    expect(address.element.find(e => e.id === 'Address.postalCode')?.min).toBe(1);
  });

  it("validates the guide's examples against them", () => {
    const files = run.ctx!.validation!.files;
    const good = files.find(f => f.id === 'good')!;
    const bad = files.find(f => f.id === 'bad')!;
    expect(good.diagnostics.filter(d => d.severity !== 'information').map(shown)).toEqual([]);
    expect(bad.diagnostics.filter(d => d.severity === 'error').map(d => `${d.rule} ${d.location?.expression}`)).toEqual([
      'binding-required Patient.gender',
      'cardinality-min Patient.address[0]'
    ]);
  });

  it('reports a differential that names no element of its base at its file, and still builds the rest', async () => {
    const broken = JSON.stringify({
      resourceType: 'StructureDefinition',
      id: 'broken',
      url: 'https://example.org/fhir/StructureDefinition/broken',
      name: 'Broken',
      status: 'draft',
      kind: 'resource',
      abstract: false,
      type: 'Patient',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
      derivation: 'constraint',
      differential: { element: [{ id: 'Patient.nickname', path: 'Patient.nickname', min: 1 }] }
    });
    const result = await runPipeline(project({ 'input/profiles/StructureDefinition-broken.json': broken }), ['compile'], {
      packageCache: SHARED_PACKAGE_CACHE
    });
    const problem = result.diagnostics.find(d => d.rule === 'snapshot');
    expect(problem).toMatchObject({ severity: 'error', location: { file: 'input/profiles/StructureDefinition-broken.json' } });
    expect(problem?.message).toBe(
      'No snapshot could be generated for StructureDefinition/broken from its differential (at Patient.nickname): Patient.nickname: there is no element nickname in Patient'
    );
  }, 120_000);
});
