/**
 * Bad input over real HTTP: missing and malformed headers, tokens that are not JWTs or carry
 * wrong claims, huge headers, a 1 MB query string, unknown and repeated parameters, other paths
 * and methods. Each gets the right OperationOutcome, never a stack trace or a hang.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import type { RunningSandbox } from '../../scripts/apps/sandbox/start.ts';
import { claims, get, headers, jwt, searchQuery, spineCode, startGuideSandbox, type Answer } from './fixture.ts';

let sandbox: RunningSandbox;
let resources: CompiledResource[];

beforeAll(async () => {
  ({ sandbox, resources } = await startGuideSandbox());
});

afterAll(() => sandbox?.close());

const NHS = '9990554331';
const url = (q = searchQuery(NHS)) => `${sandbox.url}/Observation?${q}`;
const good = () => jwt(claims(resources, NHS));

function expectCode(a: Answer, status: number, code: string, diagnostics?: RegExp): void {
  expect(a.status, a.text).toBe(status);
  expect(spineCode(a.json)).toBe(code);
  expect(a.text).not.toMatch(/\bat .*\.(ts|js):\d+|Error:/);
  if (diagnostics) expect(String((a.json!.issue as { diagnostics?: string }[])[0]!.diagnostics)).toMatch(diagnostics);
}

describe('headers', () => {
  it('refuses each missing header with MISSING_OR_INVALID_HEADER naming it', async () => {
    for (const name of ['Ssp-TraceID', 'Ssp-From', 'Ssp-To', 'Ssp-InteractionID', 'Authorization']) {
      expectCode(
        await get(url(), headers(good(), undefined, { [name]: undefined })),
        400,
        'MISSING_OR_INVALID_HEADER',
        new RegExp(`${name} header is missing`)
      );
    }
  });

  it('refuses malformed values', async () => {
    const bad: Record<string, string> = {
      'Ssp-TraceID': 'not-a-uuid',
      'Ssp-From': 'ASID-1',
      'Ssp-To': '12ab',
      'Ssp-InteractionID': 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:patient',
      'Ssp-Version': '2',
      Authorization: `Basic ${good()}`
    };
    for (const [name, value] of Object.entries(bad)) {
      expectCode(await get(url(), headers(good(), undefined, { [name]: value })), 400, 'MISSING_OR_INVALID_HEADER', new RegExp(name));
    }
  });

  it('accepts a request without Ssp-Version (1 is the default)', async () => {
    expect((await get(url(), headers(good(), undefined, { 'Ssp-Version': undefined }))).status).toBe(200);
  });

  it('refuses a header longer than the limit but within what the server reads', async () => {
    expectCode(await get(url(), headers(good(), undefined, { 'Ssp-TraceID': 'a'.repeat(20_000) })), 400, 'MISSING_OR_INVALID_HEADER', /longer than/);
  });

  it('answers a request head larger than the server reads with MESSAGE_NOT_WELL_FORMED', async () => {
    expectCode(await get(url(), { ...headers(good()), 'X-Padding': 'x'.repeat(100_000) }), 400, 'MESSAGE_NOT_WELL_FORMED', /larger than/);
  });

  it('answers a 1 MB query string with MESSAGE_NOT_WELL_FORMED', async () => {
    expectCode(await get(url(`${searchQuery(NHS)}&pad=${'x'.repeat(1024 * 1024)}`), headers(good())), 400, 'MESSAGE_NOT_WELL_FORMED');
  });
});

describe('the token (every fault an invalid Authorization header)', () => {
  it('refuses a token that is not three base64url parts', async () => {
    for (const token of ['abc', 'a.b', 'a.b.c.d', 'a+b.c/d.', '.payload.', `${good()}x.y`]) {
      expectCode(await get(url(), headers(token)), 400, 'MISSING_OR_INVALID_HEADER', /three base64url parts/);
    }
  });

  it('refuses parts that are not JSON objects', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    expectCode(await get(url(), headers(`${b64('{"alg":"none"}')}.${b64('not json')}.`)), 400, 'MISSING_OR_INVALID_HEADER', /payload/);
    expectCode(await get(url(), headers(`${b64('[1]')}.${b64('{}')}.`)), 400, 'MISSING_OR_INVALID_HEADER', /header/);
  });

  it('refuses each wrong claim, naming it', async () => {
    const wrong: [Record<string, unknown>, RegExp][] = [
      [{ iss: undefined }, /iss/],
      [{ iss: 'not a url' }, /iss/],
      [{ sub: '' }, /sub/],
      [{ sub: 'someone-else' }, /sub must be the id of requesting_practitioner/],
      [{ aud: 'https://example.org' }, /aud/],
      [{ iat: 'yesterday' }, /iat and exp/],
      [{ exp: 1763629946 + 301 }, /at most 5 minutes/],
      [{ exp: 1763629946 }, /after iat/],
      [{ reason_for_request: 'research' }, /reason_for_request/],
      [{ requested_scopes: 'patient/*.read' }, /requested_scopes/],
      [
        {
          requested_record: { resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS }], name: [{ family: 'Smith' }] }
        },
        /requested_record does not conform/
      ],
      [
        { requesting_device: { resourceType: 'Device', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhsSpineASID', value: '1' }] } },
        /requesting_device does not conform/
      ],
      [{ requesting_organization: { resourceType: 'Organization', name: 'No ODS code' } }, /requesting_organization does not conform/],
      [{ requesting_practitioner: { resourceType: 'Patient' } }, /requesting_practitioner must be a Practitioner/]
    ];
    for (const [changes, message] of wrong) {
      expectCode(await get(url(), headers(jwt(claims(resources, NHS, changes)))), 400, 'MISSING_OR_INVALID_HEADER', message);
    }
  });

  it('refuses a token for another patient with REQUEST_UNMATCHED', async () => {
    expectCode(await get(url(), headers(jwt(claims(resources, '9990079196')))), 400, 'REQUEST_UNMATCHED');
  });
});

describe('parameters', () => {
  it('refuses unknown and repeated parameters with INVALID_PARAMETER', async () => {
    expectCode(await get(url(`${searchQuery(NHS)}&_count=10`), headers(good())), 400, 'INVALID_PARAMETER', /'_count' is not supported/);
    expectCode(
      await get(url(`${searchQuery(NHS)}&code=https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001`), headers(good())),
      400,
      'INVALID_PARAMETER',
      /more than once/
    );
    expectCode(await get(url(`subject=Patient/1&code=x`), headers(good())), 400, 'INVALID_PARAMETER', /'subject' is not supported/);
    expectCode(await get(url(`code=https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001`), headers(good())), 400, 'INVALID_PARAMETER', /required/);
  });

  it('refuses a bad percent-encoding with MESSAGE_NOT_WELL_FORMED', async () => {
    expectCode(await get(url(`${searchQuery(NHS)}&x=%E0%A4%A`), headers(good())), 400, 'MESSAGE_NOT_WELL_FORMED', /percent-encoding/);
  });

  it('refuses an empty code with INVALID_ELEMENT', async () => {
    expectCode(await get(url(`subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS}&code=`), headers(good())), 400, 'INVALID_ELEMENT');
  });
});

describe('outside the API', () => {
  it('answers unknown paths with 404 and other methods with 405, as FHIR OperationOutcomes', async () => {
    const notFound = await get(`${sandbox.url}/Patient/1`, headers(good()));
    expect(notFound.status).toBe(404);
    expect((notFound.json!.issue as { code: string }[])[0]!.code).toBe('not-found');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const a = await get(url(), headers(good()), method);
      expect(a.status, method).toBe(405);
      expect((a.json!.issue as { code: string }[])[0]!.code).toBe('not-supported');
    }
  });

  it('answers a request with a large body without reading it, and closes', async () => {
    const a = await rawRequest('POST', '/Observation', 'x'.repeat(2_000_000));
    expect(a.status).toBe(405);
    expect((JSON.parse(a.body) as FhirResource).resourceType).toBe('OperationOutcome');
  });

  it('answers malformed HTTP with an OperationOutcome', async () => {
    const { Socket } = await import('node:net');
    const text = await new Promise<string>((resolve, reject) => {
      const socket = new Socket();
      let out = '';
      socket.setTimeout(5000, () => reject(new Error('no answer')));
      socket.on('data', d => (out += d.toString()));
      socket.on('end', () => resolve(out));
      socket.on('error', reject);
      socket.connect(Number(new URL(sandbox.url).port), '127.0.0.1', () => socket.write('GARBAGE \x00\x01 nonsense\r\n\r\n'));
    });
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toContain('MESSAGE_NOT_WELL_FORMED');
  });
});

function rawRequest(method: string, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(sandbox.url);
    const req = request({ host: u.hostname, port: u.port, path, method, headers: { 'Content-Length': Buffer.byteLength(body) }, timeout: 5000 }, res => {
      let out = '';
      res.on('data', d => (out += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
    });
    req.on('error', e => ((e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.on('timeout', () => reject(new Error('timeout')));
    req.end(body);
  });
}
