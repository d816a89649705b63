/**
 * One validator, two hosts: the check page's definitions payload (closure, compacted) read
 * through the browser host's in-memory source gives exactly the issues the Node host (package
 * cache) gives, on the guide's examples and every fixture of the validator's corpora. Also: what
 * the closure holds and leaves out, and that the browser bundle is built through the seam only.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../scripts/model/resources.ts';
import { validatorFor, type CheckPayload } from '../../../scripts/apps/browser/host.ts';
import { buildCheckAssets, type CheckAssets } from '../../../scripts/stages/render/check/assets.ts';
import { bundle } from '../../../scripts/stages/render/check/bundle.ts';
import { guideValidator } from '../../../scripts/lib/validator/guide.ts';
import type { ValidatorContext } from '../../../scripts/lib/validator/validator.ts';
import { outsidePayload } from './omitted.ts';
import { compileFsh } from '../../../scripts/stages/compile/compile.ts';
import { loadContext } from '../../../scripts/pipeline/sequencer.ts';
import type { CompiledResource } from '../../../scripts/model/resources.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../../helpers/project.ts';

const CORPORA = ['test/fixtures/validate/profile-invalid', 'test/fixtures/validate/base-invalid', 'test/fixtures/validate/base-valid'];

let resources: CompiledResource[];
let assets: CheckAssets;
let payload: CheckPayload;
let browser: ValidatorContext;
let node: ValidatorContext;

beforeAll(async () => {
  const { ctx } = loadContext(REPO_ROOT, { packageCache: SHARED_PACKAGE_CACHE });
  resources = (await compileFsh(ctx!.paths, ctx!.config, { stagingDir: tempDir('vm-ig-check-hosts-') })).result.resources;
  assets = await buildCheckAssets({ packageCache: SHARED_PACKAGE_CACHE, resources });
  const js = assets.files.get(assets.definitions)!;
  payload = JSON.parse(JSON.parse(js.slice(js.indexOf('=') + 1, js.lastIndexOf(';')))) as CheckPayload;
  browser = validatorFor(payload);
  node = guideValidator(
    SHARED_PACKAGE_CACHE,
    resources.map(r => r.resource).filter(r => ['StructureDefinition', 'ValueSet', 'CodeSystem'].includes(r.resourceType))
  );
}, 180_000);

describe('the check page payload', () => {
  it('gives the same issues through the in-memory source as the package cache does', () => {
    const files = CORPORA.flatMap(dir =>
      readdirSync(join(REPO_ROOT, dir))
        .filter(f => f !== 'manifest.json')
        .map(f => join(REPO_ROOT, dir, f))
    );
    const texts = [
      ...files.map(f => [f, readFileSync(f)] as const),
      ...resources.filter(r => r.usage !== undefined).map(r => [r.fileName, Buffer.from(JSON.stringify(r.resource, null, 2))] as const)
    ];
    let issues = 0;
    const outside = outsidePayload(payload.omitted);
    for (const [name, text] of texts) {
      if (outside(text)) continue;
      const want = node.validateText(text, name).diagnostics;
      issues += want.length;
      expect(browser.validateText(text.toString('utf8'), name).diagnostics, name).toEqual(want);
    }
    expect(texts.length).toBeGreaterThan(140);
    expect(issues).toBeGreaterThan(100);
  });

  it('carries what the guide and the sent types need, and names what it leaves out', () => {
    const urls = new Set(payload.core.map(r => r.url));
    for (const u of [
      'Observation',
      'Bundle',
      'OperationOutcome',
      'Patient',
      'Device',
      'Organization',
      'Practitioner',
      'Identifier',
      'vitalsigns',
      'bodyweight',
      'data-absent-reason'
    ])
      expect(urls, u).toContain(`http://hl7.org/fhir/StructureDefinition/${u}`);
    expect(urls).toContain('http://hl7.org/fhir/ValueSet/observation-status');
    expect(urls).toContain('http://terminology.hl7.org/CodeSystem/observation-category');
    expect(payload.omitted).toContain('http://hl7.org/fhir/StructureDefinition/Claim');
    expect(urls).not.toContain('http://hl7.org/fhir/StructureDefinition/Claim');
    expect(payload.guide.map(r => r.url)).toContain('https://fhir.nhs.uk/vm/StructureDefinition/vm-chargeable-status-observation');
    const observation = payload.core.find(r => r.url === 'http://hl7.org/fhir/StructureDefinition/Observation') as FhirResource & {
      snapshot: { element: Record<string, unknown>[] };
    };
    expect(observation.text).toBeUndefined();
    expect(observation.differential).toBeUndefined();
    expect(observation.snapshot.element[0]!.definition).toBeUndefined();
    expect(assets.size.gzip).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('is content-hashed and the same on every build', async () => {
    expect(assets.validator).toMatch(/^assets\/check\/validator-[0-9a-f]{12}\.js$/);
    expect(assets.definitions).toMatch(/^assets\/check\/definitions-[0-9a-f]{12}\.js$/);
    expect(assets.script).toMatch(/^assets\/js\/check-[0-9a-f]{12}\.js$/);
    const again = await buildCheckAssets({ packageCache: SHARED_PACKAGE_CACHE, resources });
    expect([...again.files.keys()]).toEqual([...assets.files.keys()]);
  });

  it('follows guide edits: a new binding brings its value set, a new title changes only the guide part', async () => {
    const parse = (a: CheckAssets) => {
      const js = a.files.get(a.definitions)!;
      return JSON.parse(JSON.parse(js.slice(js.indexOf('=') + 1, js.lastIndexOf(';')))) as CheckPayload;
    };
    const wanted = 'http://hl7.org/fhir/ValueSet/allergyintolerance-code';
    expect(payload.omitted).toContain(wanted);
    const edit = (change: (sd: FhirResource & { snapshot: { element: Record<string, unknown>[] } }) => void) =>
      resources.map(r => {
        if (r.resource.url !== 'https://fhir.nhs.uk/vm/StructureDefinition/vm-chargeable-status-observation') return r;
        const copy = structuredClone(r.resource) as FhirResource & { snapshot: { element: Record<string, unknown>[] } };
        change(copy);
        return { ...r, resource: copy };
      });
    const retitled = parse(await buildCheckAssets({ packageCache: SHARED_PACKAGE_CACHE, resources: edit(sd => (sd.title = 'Retitled')) }));
    expect(retitled.core).toEqual(payload.core);
    expect(retitled.guide.find(r => r.title === 'Retitled')).toBeDefined();
    const rebound = parse(
      await buildCheckAssets({
        packageCache: SHARED_PACKAGE_CACHE,
        resources: edit(sd => (sd.snapshot.element.find(e => e.path === 'Observation.code')!.binding = { strength: 'required', valueSet: wanted }))
      })
    );
    expect(rebound.core.map(r => r.url)).toContain(wanted);
    expect(rebound.omitted).not.toContain(wanted);
  });

  it('fails the browser build when a Node-only module reaches it outside the seam', async () => {
    const entry = join(tempDir('vm-ig-check-seam-'), 'entry.ts');
    writeFileSync(entry, "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync);\n");
    await expect(bundle(entry)).rejects.toThrow(/node:fs .*is Node-only/);
  });
});
