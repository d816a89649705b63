/**
 * The real guide compiled once per test file (into a temp folder, never the repository's
 * fsh-generated), a sandbox on an ephemeral loopback port, and a plain HTTP client that builds
 * the Spine headers and an unsigned JWT from the guide's own audit examples.
 */
import { compileFsh } from '../../scripts/stages/compile/compile.ts';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { narrativeStage } from '../../scripts/stages/narrative/stage.ts';
import { loadContext } from '../../scripts/pipeline/sequencer.ts';
import { sandboxHandler, startSandbox, type RunningSandbox } from '../../scripts/apps/sandbox/start.ts';
import { guideValidator } from '../../scripts/lib/validator/guide.ts';
import type { ValidatorContext } from '../../scripts/lib/validator/validator.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';

let compiled: Promise<CompiledResource[]> | undefined;

export function compiledGuide(): Promise<CompiledResource[]> {
  compiled ??= (async () => {
    const { ctx } = loadContext(REPO_ROOT, { packageCache: SHARED_PACKAGE_CACHE });
    if (!ctx) throw new Error('cannot read the guide config');
    const { result, diagnostics } = await compileFsh(ctx.paths, ctx.config, { stagingDir: tempDir('vm-ig-sandbox-') });
    const errors = diagnostics.filter(d => d.severity === 'error');
    if (errors.length) throw new Error(errors.map(e => e.message).join('\n'));
    ctx.compiled = result;
    await narrativeStage(ctx);
    return ctx.compiled.resources;
  })();
  return compiled;
}

export async function startGuideSandbox(): Promise<{ sandbox: RunningSandbox; resources: CompiledResource[]; validator: ValidatorContext }> {
  const resources = await compiledGuide();
  const handler = sandboxHandler(resources, SHARED_PACKAGE_CACHE);
  const sandbox = await startSandbox(handler, { port: 0, host: '127.0.0.1' });
  return {
    sandbox,
    resources,
    validator: guideValidator(
      SHARED_PACKAGE_CACHE,
      resources.map(r => r.resource)
    )
  };
}

export function example(resources: CompiledResource[], type: string, id: string): FhirResource {
  const r = resources.find(c => c.resource.resourceType === type && c.resource.id === id)?.resource;
  if (!r) throw new Error(`no ${type}/${id}`);
  return r;
}

export const SEARCH_INTERACTION = 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:observation';
export const METADATA_INTERACTION = 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:read:metadata';
export const CLIENT_ASID = '200000000359';

/** A JWT payload for `nhs`, built from the guide's audit examples; `changes` override claims. */
export function claims(resources: CompiledResource[], nhs: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const bare = (r: FhirResource) => {
    const { text: _t, meta: _m, ...rest } = r;
    void [_t, _m];
    return rest;
  };
  return {
    iss: 'https://pas.example-hospitals.example',
    sub: 'vm-audit-practitioner-smartcard',
    aud: 'https://authorize.fhir.nhs.net/token',
    iat: 1763629946,
    exp: 1763630246,
    reason_for_request: 'directcare',
    requested_scopes: 'patient/Observation.read',
    requested_record: { resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }] },
    requesting_device: bare(example(resources, 'Device', 'vm-audit-device-example')),
    requesting_organization: bare(example(resources, 'Organization', 'vm-audit-organization-example')),
    requesting_practitioner: bare(example(resources, 'Practitioner', 'vm-audit-practitioner-smartcard')),
    ...changes
  };
}

export function jwt(payload: unknown, header: unknown = { alg: 'none', typ: 'JWT' }): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.`;
}

export function headers(token: string, interaction = SEARCH_INTERACTION, changes: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    'Ssp-TraceID': '09a01679-2564-0fb4-5129-aecc81ea2706',
    'Ssp-From': CLIENT_ASID,
    'Ssp-To': '999999999999',
    'Ssp-InteractionID': interaction,
    'Ssp-Version': '1',
    Authorization: `Bearer ${token}`,
    ...changes
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

export function searchQuery(nhs: string, code = 'https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001', encode = true): string {
  const subject = `https://fhir.nhs.uk/Id/nhs-number|${nhs}`;
  return encode
    ? `subject%3APatient.identifier=${encodeURIComponent(subject)}&code=${encodeURIComponent(code)}`
    : `subject:Patient.identifier=${subject}&code=${code}`;
}

export interface Answer {
  status: number;
  type: string;
  text: string;
  json?: FhirResource;
}

export async function get(url: string, hdrs: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const r = await fetch(url, { method, headers: hdrs, signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, type, text, json: type.startsWith('application/fhir+json') ? (JSON.parse(text) as FhirResource) : undefined };
}

/** The Spine error code of an OperationOutcome body. */
export function spineCode(body: FhirResource | undefined): string | undefined {
  return (body?.issue as { details?: { coding?: { code?: string }[] } }[] | undefined)?.[0]?.details?.coding?.[0]?.code;
}
