/**
 * The OpenAPI description generated from the guide: valid OpenAPI (checked with the kept
 * validator library), every example matching its own response schema and the guide's profiles,
 * an example per scenario and per error code, deterministic, and shipped in the package where
 * the IG Publisher puts it and on the site with its API reference page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { openApiProblems } from '../../scripts/lib/openapi/check.ts';
import { openApiDocument } from '../../scripts/lib/openapi/generate.ts';
import { guideOpenApi } from '../../scripts/lib/openapi/guide.ts';
import { packageContents } from '../../scripts/stages/package/contents.ts';
import { sandboxGuide, type SandboxGuide } from '../../scripts/lib/spine/guide.ts';
import { guideValidator } from '../../scripts/lib/validator/guide.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { fixtureConfig } from '../package/fixture.ts';
import { compiledGuide } from '../sandbox/fixture.ts';
import { ResponseSchemas } from './schemas.ts';

let resources: CompiledResource[];
let guide: SandboxGuide;
let doc: Record<string, unknown>;

beforeAll(async () => {
  resources = await compiledGuide();
  guide = sandboxGuide(resources);
  doc = openApiDocument(guide);
});

describe('the OpenAPI description', () => {
  it('is valid OpenAPI 3', async () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(await openApiProblems(doc)).toEqual([]);
  });

  it('is refused by the validator when broken (the check can fail)', async () => {
    const broken = structuredClone(doc) as {
      info?: unknown;
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
    };
    delete broken.info;
    broken.paths['/Observation']!.get.responses['200']!.content['application/fhir+json']!.schema = { type: 'nonsense' };
    const problems = await openApiProblems(broken);
    expect(problems.join('\n')).toMatch(/info/);
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('has both interactions, the Ssp headers and the bearer scheme', () => {
    const paths = doc.paths as Record<string, { get: { parameters: { $ref?: string; name?: string }[] } }>;
    expect(Object.keys(paths).sort()).toEqual(['/Observation', '/metadata']);
    const params = (doc.components as { parameters: Record<string, { name: string; schema: { enum?: string[] } }> }).parameters;
    expect(Object.values(params).map(p => p.name)).toEqual(expect.arrayContaining(['Ssp-TraceID', 'Ssp-From', 'Ssp-To', 'Ssp-InteractionID', 'Ssp-Version']));
    expect(params.SspInteractionIdSearch!.schema.enum).toEqual([guide.interactions.search]);
    expect(paths['/Observation']!.get.parameters.map(p => p.name).filter(Boolean)).toEqual(['subject:Patient.identifier', 'code', '_format']);
    expect((doc.components as { securitySchemes: Record<string, unknown> }).securitySchemes.bearerJwt).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT'
    });
  });

  it('has an example per scenario and per error code, each matching its schema and the profiles', () => {
    const schemas = new ResponseSchemas(doc);
    const examples = schemas.examples();
    const names = new Set(examples.map(e => e.name));
    for (const s of guide.scenarios) expect(names, s.key).toContain(`scenario-${s.key}`);
    for (const e of guide.errors.values()) if (e.httpStatus !== 200) expect(names, e.code).toContain(`error-${e.code}`);
    const validator = guideValidator(
      SHARED_PACKAGE_CACHE,
      resources.map(r => r.resource)
    );
    for (const e of examples) {
      expect(schemas.problems(e.path, e.status, e.value), e.name).toEqual([]);
      const body = e.value as FhirResource;
      const profile =
        body.resourceType === 'Bundle' ? 'vm-searchset-bundle' : body.resourceType === 'OperationOutcome' ? 'vm-spine-operationoutcome' : undefined;
      if (!profile) continue;
      const errors = validator
        .validateResource(body, { profiles: [`https://fhir.nhs.uk/vm/StructureDefinition/${profile}`] })
        .filter(i => i.severity === 'error');
      expect(errors, e.name).toEqual([]);
    }
  });

  it('response schemas refuse what the profiles prohibit', () => {
    const schemas = new ResponseSchemas(doc);
    const ok = schemas.examples().find(e => e.name === 'scenario-9990554331')!.value as { entry: { resource: Record<string, unknown> }[] };
    const withIdentifier = structuredClone(ok);
    withIdentifier.entry[0]!.resource.identifier = [{ value: 'HO-123' }];
    expect(schemas.problems('/Observation', 200, withIdentifier).join()).toMatch(/additional properties/);
    const twoEntries = structuredClone(ok);
    twoEntries.entry.push(twoEntries.entry[0]!);
    expect(schemas.problems('/Observation', 200, twoEntries).join()).toMatch(/must NOT have more than 1 items/);
  });

  it('is the same on every run', () => {
    expect(JSON.stringify(openApiDocument(sandboxGuide(resources)))).toBe(JSON.stringify(doc));
  });

  it('goes into the package as package/openapi/{id}.openapi.json, as the IG Publisher places it', () => {
    const { openApi } = guideOpenApi(resources);
    const files = packageContents({ config: fixtureConfig(), resources, openApi }).files;
    const file = files.find(f => f.path === 'package/openapi/vm-spine-capability.openapi.json');
    expect(JSON.parse(file!.text)).toEqual(doc);
    expect(openApi!.reference).toContain('**GET /Observation**');
    expect(openApi!.reference).toContain('[vm-spine-capability.openapi.json](vm-spine-capability.openapi.json)');
  });

  it('is not made for a guide without the Spine capability statement, and drift is an error', () => {
    expect(guideOpenApi(resources.filter(r => r.resource.resourceType !== 'CapabilityStatement'))).toEqual({ diagnostics: [] });
    const { diagnostics } = guideOpenApi(resources.filter(r => r.resource.id !== 'vm-status-category-c'));
    expect(diagnostics.map(d => d.severity)).toContain('error');
    expect(diagnostics[0]!.message).toMatch(/vm-status-category-c is not an example/);
  });
});
