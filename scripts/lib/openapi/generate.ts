/**
 * The OpenAPI 3 description of the Spine Visitors and Migrants API, generated from the guide: the
 * capability statement gives the paths, search parameters and text; the Spine headers and the
 * bearer-token scheme come with their interaction ids; response schemas are generated from the
 * profiles; and every test scenario and every Spine error code is an example, made by the same
 * code that makes the sandbox's responses. Deterministic: no clock, no random ids.
 */
import { resourceOf, type CapabilityStatementRestResource } from '../../fhir/r4.ts';
import type { FhirResource } from '../../model/resources.ts';
import type { SandboxGuide } from '../spine/guide.ts';
import { searchset, spineError } from '../spine/responses.ts';
import { SUBJECT_PARAM } from '../spine/query.ts';
import { tokenChecksMarkdown } from '../spine/checks.ts';
import { JWT_CLAIMS, SANDBOX_DEFAULT_BASE } from '../spine/spine.ts';
import { NHS_NUMBER_SYSTEM } from '../../fhir/nhs-number.ts';
import { profileSchema, type Schema } from './schema.ts';

export const OPENAPI_VERSION = '3.0.3';
const FHIR_JSON = 'application/fhir+json';
const FHIR_XML = 'application/fhir+xml';

/** File name of the description, as the IG Publisher names it: `{CapabilityStatement id}.openapi.json`. */
export function openApiFileName(guide: SandboxGuide): string {
  return `${guide.capability.id}.openapi.json`;
}

export function openApiDocument(guide: SandboxGuide): Record<string, unknown> {
  const cs = guide.capability;
  const profiles = profileSchemas(guide);
  const rest = resourceOf(cs, 'CapabilityStatement')?.rest?.[0];
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: String(cs.title ?? cs.name),
      version: String(cs.version ?? '0.0.0'),
      description: [cs.description, rest?.documentation].filter(Boolean).join('\n\n')
    },
    servers: servers(guide),
    security: [{ bearerJwt: [] }],
    paths: { '/Observation': { get: searchOperation(guide) }, '/metadata': { get: metadataOperation(guide) } },
    components: {
      securitySchemes: {
        bearerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: [rest?.security?.description ?? 'An unsigned JWT carrying the audit claims.', tokenChecksMarkdown()].join('\n\n'),
          'x-jwt-claims': Object.fromEntries(JWT_CLAIMS.map(c => [c.claim, c.holds]))
        }
      },
      parameters: headerParameters(guide),
      schemas: { ...profiles.schemas, CapabilityStatement: resourceStub('CapabilityStatement'), OperationOutcome: resourceStub('OperationOutcome') }
    }
  };
}

/**
 * The base URL of each environment, named in `x-environment`: the sandbox first (what a tool can
 * try), then Spine's through the Spine Secure Proxy, whose host and endpoint URL come from SDS
 * (server variables, with the guide's placeholders as defaults).
 */
function servers(guide: SandboxGuide): Record<string, unknown>[] {
  const variables = (where: string) => ({
    sspHost: { default: 'proxy.spine.example', description: `The Spine Secure Proxy host of ${where}.` },
    endpoint: {
      default: exampleBase(guide),
      description: `The endpoint URL of the service in ${where}, looked up in SDS by the interaction id together with the Spine ASID for Ssp-To.`
    }
  });
  return [
    {
      url: SANDBOX_DEFAULT_BASE,
      description: 'The vm-ig sandbox (npm run sandbox): the test scenarios, synthetic NHS Numbers, no TLS.',
      'x-environment': 'Sandbox'
    },
    {
      url: 'https://{sspHost}/{endpoint}',
      description:
        'NHS test environments (Path to Live), for integration testing and assurance with test patients: the proxy address followed by the endpoint URL.',
      variables: variables('the test environment'),
      'x-environment': 'Path to Live'
    },
    {
      url: 'https://{sspHost}/{endpoint}',
      description: 'Live, for accredited systems at authorised organisations: the proxy address followed by the endpoint URL, given at accreditation.',
      variables: variables('live'),
      'x-environment': 'Live'
    }
  ];
}

function searchOperation(guide: SandboxGuide): Record<string, unknown> {
  const resource = resourceOf(guide.capability, 'CapabilityStatement')?.rest?.[0]?.resource?.find(r => r.type === 'Observation');
  const interaction = resource?.interaction?.find(i => i.code === 'search-type');
  return {
    operationId: 'searchChargeableStatus',
    summary: 'Search for the chargeable-status Observation of one patient',
    description: [interaction?.documentation, resource?.documentation].filter(Boolean).join('\n\n'),
    parameters: [...headerRefs(), ...searchParameters(guide, resource)],
    responses: searchResponses(guide)
  };
}

function metadataOperation(guide: SandboxGuide): Record<string, unknown> {
  return {
    operationId: 'readCapabilityStatement',
    summary: 'Read the capability statement',
    parameters: [...headerRefs('metadata'), formatParameter()],
    responses: {
      '200': {
        description: 'The CapabilityStatement',
        content: fhirContent('#/components/schemas/CapabilityStatement', { capability: { summary: String(guide.capability.title), value: guide.capability } })
      },
      ...errorResponses(
        guide,
        new Set(['MISSING_OR_INVALID_HEADER', 'MESSAGE_NOT_WELL_FORMED', 'INVALID_PARAMETER', 'ACCESS_DENIED_SSL', 'ASID_CHECK_FAILED']),
        []
      )
    }
  };
}

function headerRefs(interaction: 'search' | 'metadata' = 'search'): { $ref: string }[] {
  const id = interaction === 'search' ? 'SspInteractionIdSearch' : 'SspInteractionIdMetadata';
  return ['SspTraceId', 'SspFrom', 'SspTo', id, 'SspVersion'].map(n => ({ $ref: `#/components/parameters/${n}` }));
}

function headerParameters(guide: SandboxGuide): Record<string, unknown> {
  const header = (name: string, required: boolean, schema: Schema, description: string) => ({ name, in: 'header', required, schema, description });
  const interactionId = (urn: string) => header('Ssp-InteractionID', true, { type: 'string', enum: [urn] }, `The interaction id: ${urn}.`);
  return {
    SspTraceId: header('Ssp-TraceID', true, { type: 'string', format: 'uuid' }, 'A new UUID for every request.'),
    SspFrom: header('Ssp-From', true, { type: 'string', pattern: '^[0-9]{1,15}$' }, 'The ASID of the calling system.'),
    SspTo: header('Ssp-To', true, { type: 'string', pattern: '^[0-9]{1,15}$' }, 'The ASID of the Spine endpoint.'),
    SspInteractionIdSearch: interactionId(guide.interactions.search),
    SspInteractionIdMetadata: interactionId(guide.interactions.metadata),
    SspVersion: header('Ssp-Version', false, { type: 'string', enum: ['1'], default: '1' }, 'The version of the interaction; 1, the default.')
  };
}

function searchParameters(guide: SandboxGuide, resource: CapabilityStatementRestResource | undefined): Record<string, unknown>[] {
  const declared = resource?.searchParam ?? [];
  const doc = (name: string) => declared.find(p => p.name === name)?.documentation;
  const nhs = guide.scenarios.find(s => s.resource.resourceType === 'Observation')?.key ?? '';
  return [
    {
      name: SUBJECT_PARAM,
      in: 'query',
      required: true,
      description: doc('subject'),
      schema: { type: 'string', pattern: `^${escapeRegex(NHS_NUMBER_SYSTEM)}\\|[0-9]{10}$` },
      example: `${NHS_NUMBER_SYSTEM}|${nhs}`
    },
    {
      name: 'code',
      in: 'query',
      required: true,
      description: doc('code'),
      schema: { type: 'string', enum: [`${guide.observationCodeSystem}|${guide.observationCode}`] }
    },
    formatParameter(doc('_format'))
  ];
}

function formatParameter(description = 'Optional: json (the default) or xml. The Accept header can be used instead.'): Record<string, unknown> {
  return { name: '_format', in: 'query', required: false, description, schema: { type: 'string', enum: ['json', 'xml', FHIR_JSON, FHIR_XML] } };
}

/** 200 with an example per found/no-record scenario; 4xx with an example per scenario and error code. */
function searchResponses(guide: SandboxGuide): Record<string, unknown> {
  const base = exampleBase(guide);
  const examples: Record<string, unknown> = {};
  for (const s of guide.scenarios.filter(s => s.httpStatus === 200)) {
    const lastUpdated = String(resourceOf(guide.bundleTemplates.match, 'Bundle')?.meta?.lastUpdated ?? '');
    examples[`scenario-${s.key}`] = {
      summary: `${s.title} (NHS Number ${s.key})`,
      value: searchset(guide, s.resource, base, `${base}/Observation?${SUBJECT_PARAM}=${NHS_NUMBER_SYSTEM}|${s.key}`, { id: `scenario-${s.key}`, lastUpdated })
    };
  }
  const okSchema = '#/components/schemas/VmSearchsetBundle';
  return {
    '200': {
      description: 'A searchset Bundle: the chargeable-status Observation, or the NO_RECORD_FOUND OperationOutcome',
      content: fhirContent(okSchema, examples)
    },
    ...errorResponses(
      guide,
      new Set(guide.errors.keys()),
      guide.scenarios.filter(s => s.httpStatus !== 200)
    )
  };
}

function errorResponses(guide: SandboxGuide, codes: Set<string>, scenarios: SandboxGuide['scenarios']): Record<string, unknown> {
  const byStatus = new Map<number, Record<string, unknown>>();
  const add = (status: number, name: string, summary: string, value: FhirResource) =>
    byStatus.set(status, { ...(byStatus.get(status) ?? {}), [name]: { summary, value } });
  for (const e of guide.errors.values())
    if (codes.has(e.code) && e.httpStatus !== 200) add(e.httpStatus, `error-${e.code}`, `${e.code}: ${e.display}`, spineError(guide, e.code).body);
  for (const s of scenarios) add(s.httpStatus, `scenario-${s.key}`, `${s.title} (${s.keyType === 'asid' ? 'Ssp-From' : 'NHS Number'} ${s.key})`, s.resource);
  const out: Record<string, unknown> = {};
  for (const [status, examples] of [...byStatus].sort(([a], [b]) => a - b)) {
    const names = [...guide.errors.values()].filter(e => e.httpStatus === status && codes.has(e.code)).map(e => e.code);
    out[String(status)] = {
      description: `A Spine OperationOutcome: ${names.join(', ')}`,
      content: fhirContent('#/components/schemas/VmSpineOperationOutcome', examples)
    };
  }
  return out;
}

function fhirContent(ref: string, examples: Record<string, unknown>): Record<string, unknown> {
  return {
    [FHIR_JSON]: { schema: { $ref: ref }, examples },
    [FHIR_XML]: { schema: { type: 'string', description: 'The same resource in FHIR XML' } }
  };
}

/** One schema per profile of the guide used in responses, named by the profile's name. */
function profileSchemas(guide: SandboxGuide): { schemas: Record<string, Schema> } {
  const sds = guide.resources.flatMap(r => resourceOf(r, 'StructureDefinition') ?? []).filter(sd => sd.kind === 'resource' && sd.derivation === 'constraint');
  const nameOf = new Map(sds.map(sd => [String(sd.url), String(sd.name)]));
  const refFor = (url: string) => (nameOf.has(url) ? `#/components/schemas/${nameOf.get(url)}` : undefined);
  const wanted = ['vm-searchset-bundle', 'vm-chargeable-status-observation', 'vm-spine-operationoutcome'];
  const schemas: Record<string, Schema> = {};
  for (const sd of sds.filter(s => wanted.includes(String(s.id)))) schemas[String(sd.name)] = profileSchema(sd, { refFor });
  return { schemas };
}

function resourceStub(type: string): Schema {
  return { type: 'object', required: ['resourceType'], properties: { resourceType: { type: 'string', enum: [type] } }, description: `A FHIR R4 ${type}` };
}

/** The illustrative Spine base URL of the guide's example search responses. */
export function exampleBase(guide: SandboxGuide): string {
  const fullUrl = resourceOf(guide.bundleTemplates.match, 'Bundle')?.entry?.[0]?.fullUrl ?? '';
  return fullUrl.replace(/\/Observation\/[^/]+$/, '') || 'https://spine.example/vm/fhir';
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
