/**
 * The sandbox under attack, round two: tokens whose `alg`, signature or `iat` the guide does not
 * allow; the audit trail read without a token, or by a token for another patient; and an audit
 * flood (many look-ups with large tokens, then concurrent audit searches), which the sandbox must
 * survive with bounded memory and bounded answers. The pages and the OpenAPI description say what
 * the sandbox checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import type { RunningSandbox } from '../../scripts/apps/sandbox/start.ts';
import { AuditLog } from '../../scripts/apps/sandbox/audit.ts';
import { guideOpenApi } from '../../scripts/lib/openapi/guide.ts';
import { AUDIT_PAGE, JWT_CLOCK_SKEW_S } from '../../scripts/lib/spine/spine.ts';
import { REPO_ROOT } from '../helpers/project.ts';
import { requestChecksMarkdown } from '../../scripts/lib/spine/checks.ts';
import { claims, get, headers, jwt, searchQuery, spineCode, startGuideSandbox } from '../sandbox/fixture.ts';

let sandbox: RunningSandbox;
let resources: CompiledResource[];

beforeAll(async () => {
  ({ sandbox, resources } = await startGuideSandbox());
}, 120_000);

afterAll(() => sandbox?.close());

const AUDIT = 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:auditevent';
const NHS = '9990554331';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const search = (token: string, nhs = NHS) => get(`${sandbox.url}/Observation?${searchQuery(nhs)}`, headers(token));
const auditUrl = (nhs: string, query = '') =>
  `${sandbox.url}/AuditEvent?entity:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)}${query}`;

describe('the JWT: what the guide specifies, checked', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts the guide’s unsigned token', async () => {
    expect((await search(jwt(claims(resources, NHS)))).status).toBe(200);
  });

  it.each([
    ['HS256 with a signature', { alg: 'HS256', typ: 'JWT' }, 'AAAA'],
    ['RS256 with a signature', { alg: 'RS256', typ: 'JWT' }, 'AAAA'],
    ['HS256 without one', { alg: 'HS256', typ: 'JWT' }, ''],
    ['no alg', { typ: 'JWT' }, ''],
    ['alg None (case)', { alg: 'None', typ: 'JWT' }, ''],
    ['alg none with a signature', { alg: 'none', typ: 'JWT' }, 'AAAA']
  ])('refuses %s', async (_name, header, signature) => {
    const token = `${b64(header)}.${b64(claims(resources, NHS))}.${signature}`;
    const a = await search(token);
    expect(a.status).toBe(400);
    expect(spineCode(a.json)).toBe('MISSING_OR_INVALID_HEADER');
    expect(a.text).toMatch(/alg|signature/);
  });

  it('refuses an iat ten years ahead, and one just past the stated clock skew; allows one within it', async () => {
    const ahead = (s: number) => jwt(claims(resources, NHS, { iat: now() + s, exp: now() + s + 300 }));
    const far = await search(ahead(10 * 365 * 86400));
    expect(far.status).toBe(400);
    expect(spineCode(far.json)).toBe('MISSING_OR_INVALID_HEADER');
    expect(far.text).toMatch(/iat is in the future/);
    expect((await search(ahead(JWT_CLOCK_SKEW_S + 30))).status).toBe(400);
    expect((await search(ahead(JWT_CLOCK_SKEW_S - 30))).status).toBe(200);
  });

  it('the Using the API page, the capability statement and the OpenAPI description say the same', async () => {
    const page = readFileSync(join(REPO_ROOT, 'input/pagecontent/using-the-api.md'), 'utf8');
    expect(page).toMatch(/What the sandbox checks, and what Spine checks/);
    expect(page).toContain('{% include sandbox-checks.md %}');
    const table = requestChecksMarkdown();
    expect(table).toMatch(/JWT header `alg` \| `none` only/);
    expect(table).toMatch(new RegExp(`not more than ${JWT_CLOCK_SKEW_S} seconds ahead`));
    const document = guideOpenApi(resources).openApi!.document as { components: { securitySchemes: { bearerJwt: { description: string } } } };
    const description = document.components.securitySchemes.bearerJwt.description;
    expect(description).toMatch(/`alg` is `none`/);
    expect(description).toMatch(/signature, is empty/);
    expect(description).toMatch(new RegExp(`${JWT_CLOCK_SKEW_S} seconds`));
  });
});

describe('who may read the audit trail', () => {
  it('needs the headers and a token, as a search does', async () => {
    const bare = await get(auditUrl(NHS));
    expect(bare.status).toBe(400);
    expect(spineCode(bare.json)).toBe('MISSING_OR_INVALID_HEADER');
    const badToken = await get(auditUrl(NHS), headers(`${b64({ alg: 'HS256' })}.${b64(claims(resources, NHS))}.AAAA`, AUDIT));
    expect(badToken.status).toBe(400);
    expect(spineCode(badToken.json)).toBe('MISSING_OR_INVALID_HEADER');
  });

  it('answers only a token for that patient', async () => {
    const other = await get(auditUrl(NHS), headers(jwt(claims(resources, '9990079196')), AUDIT));
    expect(other.status).toBe(400);
    expect(spineCode(other.json)).toBe('REQUEST_UNMATCHED');
    expect((await get(auditUrl(NHS), headers(jwt(claims(resources, NHS)), AUDIT))).status).toBe(200);
  });
});

describe('the audit flood', () => {
  it('bounds the trail in bytes, not only in records', () => {
    const log = new AuditLog('p', 's', 10_000, 1024 * 1024);
    const big = claims(resources, NHS, {}) as { requesting_organization: { name?: string } };
    big.requesting_organization.name = 'x'.repeat(12_000);
    for (let i = 0; i < 2_000; i++) log.record({ claims: big as never, nhsNumber: NHS, traceId: String(i), spineAsid: '1', status: 200, outcomeCode: 'FOUND' });
    expect(log.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(log.size).toBeGreaterThan(10);
    expect(log.size).toBeLessThan(2_000);
  });

  it('pages the search: a default and a maximum _count, with next links that reach every record', async () => {
    const nhs = '9990237573';
    const token = jwt(claims(resources, nhs));
    for (let i = 0; i < AUDIT_PAGE.default + 5; i++) await search(token, nhs);
    const first = await get(auditUrl(nhs), headers(token, AUDIT));
    expect(first.status).toBe(200);
    const bundle = first.json as FhirResource & { total: number; entry: unknown[]; link: { relation: string; url: string }[] };
    expect(bundle.total).toBe(AUDIT_PAGE.default + 5);
    expect(bundle.entry).toHaveLength(AUDIT_PAGE.default);
    const next = bundle.link.find(l => l.relation === 'next')!;
    expect(next.url).toContain('_offset=');
    const second = (await get(next.url, headers(token, AUDIT))).json as typeof bundle;
    expect(second.entry).toHaveLength(5);
    expect(second.link.some(l => l.relation === 'next')).toBe(false);
    const tooMany = await get(auditUrl(nhs, `&_count=${AUDIT_PAGE.max + 1}`), headers(token, AUDIT));
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toMatch(/_count/);
  });

  it('stays up and answers in bounded size under many large-token look-ups and 20 concurrent audit searches', async () => {
    // Large tokens: names of 12 KB each (under the 16 KB header value limit once encoded).
    const payload = claims(resources, NHS) as { requesting_organization: { name?: string } };
    payload.requesting_organization.name = 'N'.repeat(8_000);
    const token = jwt(payload);
    expect(token.length).toBeLessThan(16 * 1024);
    const flood = 1_500;
    for (let sent = 0; sent < flood; sent += 50) await Promise.all(Array.from({ length: 50 }, () => search(token).then(a => expect(a.status).toBe(200))));
    const trail = sandbox.handler.audit;
    expect(trail.bytes).toBeLessThanOrEqual(trail.maxBytes);
    const heapBefore = process.memoryUsage().heapUsed;
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(auditUrl(NHS, `&_count=${AUDIT_PAGE.max}`), headers(token, AUDIT))));
    for (const a of answers) {
      expect(a.status).toBe(200);
      // A page of at most 100 records of ~10 KB: far from the 233 MB an unpaged answer reached.
      expect(a.text.length).toBeLessThan(4 * 1024 * 1024);
      expect((a.json as unknown as { entry: unknown[] }).entry).toHaveLength(AUDIT_PAGE.max);
    }
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024);
    expect((await search(jwt(claims(resources, NHS)))).status).toBe(200);
  }, 120_000);
});
