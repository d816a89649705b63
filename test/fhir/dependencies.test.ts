/**
 * SUSHI's dependency list (order, priorities, substitutions, aliases), versions resolved from a
 * registry's package document as fhir-package-loader resolves them, and the integrity check.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dependencyPlan } from '../../scripts/stages/compile/definitions.ts';
import { describeFailure, integrityProblem, resolveFromDocument, type PackageDocument } from '../../scripts/fhir/download.ts';
import { networkOptions } from '../../scripts/fhir/network.ts';

const ids = (list: { packageId: string; version: string }[]) => list.map(d => `${d.packageId}#${d.version}`);

describe("SUSHI's dependency plan", () => {
  it('tools and terminology before the configured packages, the extensions pack after them (and core)', () => {
    const plan = dependencyPlan([{ packageId: 'hl7.fhir.us.core', version: '3.1.1' }]);
    expect(ids(plan.low)).toEqual(['hl7.fhir.uv.tools.r4#latest', 'hl7.terminology.r4#latest']);
    expect(ids(plan.configured)).toEqual(['hl7.fhir.us.core#3.1.1']);
    expect(ids(plan.high)).toEqual(['hl7.fhir.uv.extensions.r4#latest']);
    expect(plan.low.every(d => d.automatic) && plan.high.every(d => d.automatic) && !plan.configured[0]!.automatic).toBe(true);
  });

  it('a configured automatic package (or its .r4-less id) takes its place and is no longer automatic', () => {
    const plan = dependencyPlan([
      { packageId: 'hl7.terminology', version: '5.0.0' },
      { packageId: 'hl7.fhir.uv.extensions.r4', version: '5.3.0' },
      { packageId: 'hl7.fhir.us.core', version: '6.1.0' }
    ]);
    expect(ids(plan.low)).toEqual(['hl7.fhir.uv.tools.r4#latest', 'hl7.terminology#5.0.0']);
    expect(plan.low[1]!.automatic).toBe(false);
    expect(ids(plan.configured)).toEqual(['hl7.fhir.us.core#6.1.0']);
    expect(ids(plan.high)).toEqual(['hl7.fhir.uv.extensions.r4#5.3.0']);
  });

  it('npm aliases name the real package; versions of one package in ascending order; ids in lower case', () => {
    const plan = dependencyPlan([
      { packageId: 'uscore7@npm:hl7.fhir.us.core', version: '7.0.0' },
      { packageId: 'example.other', version: '1.0.0' },
      { packageId: 'HL7.FHIR.US.CORE', version: '3.1.1' }
    ]);
    expect(ids(plan.configured)).toEqual(['hl7.fhir.us.core#3.1.1', 'hl7.fhir.us.core#7.0.0', 'example.other#1.0.0']);
  });
});

describe('versions from a registry document', () => {
  const doc: PackageDocument = {
    distTags: { latest: '8.0.0' },
    versions: Object.fromEntries(['3.1.0', '3.1.1', '6.1.0', '6.1.1-ballot', '8.0.0'].map(v => [v, {}]))
  };

  it('latest, x.y.x (releases only) and exact versions', () => {
    expect(resolveFromDocument(doc, 'latest')).toBe('8.0.0');
    expect(resolveFromDocument(doc, '3.1.x')).toBe('3.1.1');
    expect(resolveFromDocument(doc, '6.1.x')).toBe('6.1.0');
    expect(resolveFromDocument(doc, '7.0.x')).toBeUndefined();
    expect(resolveFromDocument(doc, '6.1.0')).toBe('6.1.0');
    expect(resolveFromDocument({ distTags: {}, versions: {} }, 'latest')).toBeUndefined();
  });
});

describe('integrity', () => {
  const bytes = Buffer.from('a tarball');
  const hashes = () => ({ sha1: createHash('sha1').update(bytes), sha256: createHash('sha256').update(bytes), sha512: createHash('sha512').update(bytes) });
  const sha1 = createHash('sha1').update(bytes).digest('hex');
  const sha512 = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

  it('accepts matching shasum and integrity, or neither given', () => {
    expect(integrityProblem({ shasum: sha1, integrity: sha512 }, hashes())).toBeUndefined();
    expect(integrityProblem({ shasum: sha1.toUpperCase() }, hashes())).toBeUndefined();
    expect(integrityProblem(undefined, hashes())).toBeUndefined();
  });

  it('refuses either one wrong', () => {
    expect(integrityProblem({ shasum: 'f'.repeat(40), integrity: sha512 }, hashes())).toMatch(/shasum does not match/);
    expect(integrityProblem({ shasum: sha1, integrity: `sha512-${Buffer.alloc(64).toString('base64')}` }, hashes())).toMatch(/integrity does not match/);
  });
});

describe('failures and the offline switch', () => {
  it('names HTTP statuses and network errors; retries only what may pass', () => {
    expect(describeFailure({ response: { status: 500, statusText: 'Internal Server Error' } })).toEqual({
      text: 'HTTP 500 Internal Server Error',
      retryable: true,
      notFound: false
    });
    expect(describeFailure({ response: { status: 404, statusText: 'Not Found' } })).toMatchObject({ retryable: false, notFound: true });
    expect(describeFailure({ response: { status: 401 } }).text).toMatch(/HTTP 401 \(check FPL_REGISTRY_TOKEN\)/);
    expect(describeFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }))).toMatchObject({ retryable: false });
    expect(describeFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({ retryable: true });
    expect(describeFailure(Object.assign(new Error('timeout of 1000ms exceeded'), { code: 'ECONNABORTED' }), 1000).text).toBe('no answer within 1 s');
  });

  it('VM_IG_OFFLINE=1 is --offline', () => {
    expect(networkOptions({ VM_IG_OFFLINE: '1' }).offline).toBe(true);
    expect(networkOptions({ VM_IG_OFFLINE: '0' }).offline).toBe(false);
    expect(networkOptions({}).offline).toBe(false);
  });
});
