/**
 * Contract: the sandbox over real HTTP on an ephemeral loopback port. Every scenario and every
 * Spine error code, each body validated against the guide's profiles with the project's
 * validator and matched against the OpenAPI description's response schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { openApiDocument } from '../../scripts/lib/openapi/generate.ts';
import type { SandboxGuide } from '../../scripts/lib/spine/guide.ts';
import type { RunningSandbox } from '../../scripts/apps/sandbox/start.ts';
import type { ValidatorContext } from '../../scripts/lib/validator/validator.ts';
import { ResponseSchemas } from '../openapi/schemas.ts';
import { claims, get, headers, jwt, METADATA_INTERACTION, searchQuery, spineCode, startGuideSandbox, type Answer } from './fixture.ts';

const PROFILE = 'https://fhir.nhs.uk/vm/StructureDefinition/';
let sandbox: RunningSandbox;
let resources: CompiledResource[];
let validator: ValidatorContext;
let guide: SandboxGuide;
let schemas: ResponseSchemas;

beforeAll(async () => {
  ({ sandbox, resources, validator } = await startGuideSandbox());
  guide = sandbox.handler.guide;
  schemas = new ResponseSchemas(openApiDocument(guide));
});

afterAll(() => sandbox?.close());

const search = (nhs: string, tokenNhs = nhs, extra = '') =>
  get(`${sandbox.url}/Observation?${searchQuery(nhs)}${extra}`, headers(jwt(claims(resources, tokenNhs))));

/** Profile errors of a JSON body (the Bundle, or a Spine OperationOutcome). */
function profileErrors(body: FhirResource, profile: string): string[] {
  return validator
    .validateResource(body, { profiles: [profile] })
    .filter(i => i.severity === 'error')
    .map(i => `${i.location?.expression}: ${i.message}`);
}

function expectSpineError(a: Answer, code: string, path = '/Observation'): void {
  expect(spineCode(a.json), a.text).toBe(code);
  expect(a.status).toBe(guide.errors.get(code)!.httpStatus);
  expect(a.type).toBe('application/fhir+json; charset=utf-8');
  expect(profileErrors(a.json!, `${PROFILE}vm-spine-operationoutcome`)).toEqual([]);
  expect(schemas.problems(path, a.status, a.json)).toEqual([]);
  expect(a.text).not.toMatch(/\bat .*\.ts:\d+/);
}

describe('every scenario of the guide', () => {
  it('has one', () => {
    expect(guide.scenarios.length).toBeGreaterThanOrEqual(14);
  });

  it('answers each NHS Number scenario with its example, valid against the profiles and the OpenAPI schema', async () => {
    for (const s of guide.scenarios.filter(s => s.keyType === 'nhs-number')) {
      // The invalid-number scenario's token names a valid patient: requested_record is itself checked.
      const a = await search(s.key, s.resource.id === 'vm-error-invalid-nhs-number' ? '9990554331' : s.key);
      expect(a.status, `${s.key} ${a.text}`).toBe(s.httpStatus);
      if (s.httpStatus === 200) {
        expect(profileErrors(a.json!, `${PROFILE}vm-searchset-bundle`), s.key).toEqual([]);
        const entry = (a.json!.entry as { resource: FhirResource; fullUrl: string }[])[0]!;
        expect(entry.resource).toEqual(s.resource);
        expect(entry.fullUrl).toBe(`${sandbox.url}/${s.response}`);
      } else {
        expect(profileErrors(a.json!, `${PROFILE}vm-spine-operationoutcome`)).toEqual([]);
        expect(spineCode(a.json)).toBe(spineCode(s.resource));
      }
      expect(schemas.problems('/Observation', a.status, a.json), s.key).toEqual([]);
    }
  });

  it('answers each ASID scenario with its error, whatever is searched for', async () => {
    for (const s of guide.scenarios.filter(s => s.keyType === 'asid')) {
      const a = await get(
        `${sandbox.url}/Observation?${searchQuery('9990554331')}`,
        headers(jwt(claims(resources, '9990554331')), undefined, { 'Ssp-From': s.key })
      );
      expectSpineError(a, spineCode(s.resource)!);
      expect(a.json).toEqual(s.resource);
    }
  });

  it('accepts the search unencoded as well as encoded', async () => {
    const a = await get(`${sandbox.url}/Observation?${searchQuery('9990079196', undefined, false)}`, headers(jwt(claims(resources, '9990079196'))));
    expect(a.status).toBe(200);
    expect((a.json!.entry as { resource: FhirResource }[])[0]!.resource.id).toBe('vm-status-category-a');
  });

  it('answers any other valid NHS Number with PATIENT_NOT_FOUND', async () => {
    expectSpineError(await search('9990000018'), 'PATIENT_NOT_FOUND');
  });
});

describe('every Spine error code', () => {
  const token = () => jwt(claims(resources, '9990554331'));
  const url = (q: string) => `${sandbox.url}/Observation?${q}`;
  const cases: [string, () => Promise<Answer>][] = [
    ['PATIENT_NOT_FOUND', () => search('9991023453')],
    ['INVALID_NHS_NUMBER', () => search('999055433', '9990554331')],
    ['INVALID_CODE_SYSTEM', () => get(url(searchQuery('9990554331', 'http://loinc.org|0001')), headers(token()))],
    ['INVALID_CODE_VALUE', () => get(url(searchQuery('9990554331', 'https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0002')), headers(token()))],
    [
      'INVALID_IDENTIFIER_SYSTEM',
      () =>
        get(
          url('subject:Patient.identifier=https://fhir.nhs.uk/Id/local|9990554331&code=https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001'),
          headers(token())
        )
    ],
    [
      'INVALID_ELEMENT',
      () =>
        get(
          url('subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|&code=https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001'),
          headers(token())
        )
    ],
    ['INVALID_PARAMETER', () => get(url(`${searchQuery('9990554331')}&date=2025`), headers(token()))],
    ['REQUEST_UNMATCHED', () => search('9990079196', '9990554331')],
    ['MESSAGE_NOT_WELL_FORMED', () => get(url(`${searchQuery('9990554331')}&x=%E0%A4%A`), headers(token()))],
    ['MISSING_OR_INVALID_HEADER', () => get(url(searchQuery('9990554331')), headers(token(), undefined, { 'Ssp-TraceID': undefined }))],
    [
      'ACCESS_DENIED_SSL',
      () =>
        get(
          url(searchQuery('9990554331')),
          headers(token(), undefined, { 'Ssp-From': guide.scenarios.find(s => spineCode(s.resource) === 'ACCESS_DENIED_SSL')!.key })
        )
    ],
    [
      'ASID_CHECK_FAILED',
      () =>
        get(
          url(searchQuery('9990554331')),
          headers(token(), undefined, { 'Ssp-From': guide.scenarios.find(s => spineCode(s.resource) === 'ASID_CHECK_FAILED')!.key })
        )
    ]
  ];

  it('is reachable, with its HTTP status and the guide example', async () => {
    const reached = new Set<string>();
    for (const [code, request] of cases) {
      const a = await request();
      expectSpineError(a, code);
      reached.add(code);
    }
    const noRecord = await search('9990871094');
    expect(spineCode((noRecord.json!.entry as { resource: FhirResource }[])[0]!.resource)).toBe('NO_RECORD_FOUND');
    reached.add('NO_RECORD_FOUND');
    expect([...reached].sort()).toEqual([...guide.errors.keys()].sort());
  });
});

describe('the metadata read and formats', () => {
  it('returns the capability statement for the metadata interaction', async () => {
    const a = await get(`${sandbox.url}/metadata`, headers(jwt(claims(resources, '9990554331')), METADATA_INTERACTION));
    expect(a.status).toBe(200);
    expect(a.json).toEqual(guide.capability);
    expect(schemas.problems('/metadata', 200, a.json)).toEqual([]);
  });

  it('refuses the search interaction id on metadata', async () => {
    expectSpineError(await get(`${sandbox.url}/metadata`, headers(jwt(claims(resources, '9990554331')))), 'MISSING_OR_INVALID_HEADER', '/metadata');
  });

  it('serves XML by _format or Accept, valid against the profiles', async () => {
    const hdrs = headers(jwt(claims(resources, '9990237573')));
    for (const a of [
      await search('9990237573', undefined, '&_format=xml'),
      await get(`${sandbox.url}/Observation?${searchQuery('9990237573')}`, { ...hdrs, Accept: 'application/fhir+xml' })
    ]) {
      expect(a.status).toBe(200);
      expect(a.type).toBe('application/fhir+xml; charset=utf-8');
      const report = validator.validateText(a.text, 'response.xml', { profiles: [`${PROFILE}vm-searchset-bundle`] });
      expect(report.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
      expect(report.resourceType).toBe('Bundle');
    }
  });

  it('prefers JSON when Accept allows both or anything', async () => {
    const hdrs = headers(jwt(claims(resources, '9990237573')));
    for (const accept of ['application/fhir+xml;q=0.5, application/fhir+json', '*/*', 'application/fhir+json, application/fhir+xml']) {
      const a = await get(`${sandbox.url}/Observation?${searchQuery('9990237573')}`, { ...hdrs, Accept: accept });
      expect(a.type, accept).toBe('application/fhir+json; charset=utf-8');
    }
  });

  it('refuses a _format it does not serve', async () => {
    expectSpineError(await search('9990237573', undefined, '&_format=html'), 'INVALID_ELEMENT');
  });
});
