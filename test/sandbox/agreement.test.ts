/**
 * Issue #28, item 7: one behaviour for a bad token, said the same way everywhere. Every row of
 * REQUEST_CHECKS (the one source) is probed against a running sandbox, which must answer with the
 * row's code; the Using the API page (its generated checks table and its prose), the error code
 * system, the capability statement and the OpenAPI description must say the same. Also: a bad
 * check digit in both the search and the token is INVALID_NHS_NUMBER, a request missing several
 * headers is told all of them, and the sandbox prints one line per request.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledResource } from '../../scripts/model/resources.ts';
import { resourceOf } from '../../scripts/fhir/r4.ts';
import { guideOpenApi } from '../../scripts/lib/openapi/guide.ts';
import { loadContext } from '../../scripts/pipeline/sequencer.ts';
import { renderSite } from '../../scripts/stages/render/site.ts';
import { readImages, readPageSources } from '../../scripts/stages/render/stage.ts';
import { requestChecksMarkdown, tokenErrorSentence } from '../../scripts/lib/spine/checks.ts';
import { sandboxGuide, type SandboxGuide } from '../../scripts/lib/spine/guide.ts';
import { JWT_CLAIMS, REQUEST_CHECKS, TOKEN_ERROR, type RequestCheck } from '../../scripts/lib/spine/spine.ts';
import { sandboxHandler, startSandbox, type RunningSandbox } from '../../scripts/apps/sandbox/start.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { THEME_DIR } from '../render/site-fixture.ts';
import { claims, compiledGuide, get, headers, jwt, searchQuery, spineCode, type Answer } from './fixture.ts';

const NHS = '9990554331';
/** 9990554331 with its last digit changed: fails the modulus 11 check. */
const BAD_CHECK_DIGIT = '9990554332';

let resources: CompiledResource[];
let guide: SandboxGuide;
let sandbox: RunningSandbox;
const logged: string[] = [];

beforeAll(async () => {
  resources = await compiledGuide();
  guide = sandboxGuide(resources);
  sandbox = await startSandbox(sandboxHandler(resources, SHARED_PACKAGE_CACHE), { port: 0, requestLog: line => logged.push(line) });
}, 120_000);

afterAll(() => sandbox?.close());

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const search = (token: string, nhs = NHS, changes: Record<string, string | undefined> = {}) =>
  get(`${sandbox.url}/Observation?${searchQuery(nhs)}`, headers(token, undefined, changes));
const now = () => Math.floor(Date.now() / 1000);

/** A request that fails each check, and only that check. */
const PROBES: Record<RequestCheck['id'], () => Promise<Answer>> = {
  tls: () => search(jwt(claims(resources, NHS)), NHS, { 'Ssp-From': guide.scenarios.find(s => spineCode(s.resource) === 'ACCESS_DENIED_SSL')!.key }),
  headers: () => search(jwt(claims(resources, NHS)), NHS, { 'Ssp-TraceID': undefined }),
  'token-form': () => search('not-a-jwt'),
  alg: () => search(`${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims(resources, NHS))}.AAAA`),
  signature: () => search(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(resources, NHS))}.AAAA`),
  iat: () => search(jwt(claims(resources, NHS, { iat: now() + 3600, exp: now() + 3900 }))),
  exp: () => search(jwt(claims(resources, NHS, { exp: 1763629946 + 3600 }))),
  claims: () => search(jwt(claims(resources, NHS, { aud: 'https://example.org' }))),
  'nhs-number': () => search(jwt(claims(resources, BAD_CHECK_DIGIT)), BAD_CHECK_DIGIT),
  record: () => search(jwt(claims(resources, '9990079196')))
};

describe('one source for what each check answers', () => {
  it.each(REQUEST_CHECKS.map(c => [c.id, c] as const))('the sandbox answers %s as the table says', async (_id, check) => {
    const answer = await PROBES[check.id]();
    expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
    expect(check.codes).toContain(spineCode(answer.json));
    if (check.token) expect(spineCode(answer.json)).toBe(TOKEN_ERROR);
  });

  it('every token fault is the one token error, an invalid header (issue type invalid), as the error table says', () => {
    expect(TOKEN_ERROR).toBe('MISSING_OR_INVALID_HEADER');
    expect(guide.errors.get(TOKEN_ERROR)).toMatchObject({ httpStatus: 400, issueType: 'invalid' });
    for (const c of REQUEST_CHECKS.filter(r => r.token)) expect(c.codes).toEqual([TOKEN_ERROR]);
  });
});

describe('the guide says what the sandbox does', () => {
  let usingTheApi: string;

  beforeAll(() => {
    const { ctx } = loadContext(REPO_ROOT, { packageCache: SHARED_PACKAGE_CACHE });
    const site = renderSite({
      config: ctx!.config,
      resources,
      pageSources: readPageSources(ctx!.paths.pagecontent),
      images: readImages(join(ctx!.paths.input, 'images')),
      themeDir: THEME_DIR
    });
    usingTheApi = String(site.files.get('using-the-api.html'));
  }, 120_000);

  it('the Using the API page carries the generated checks table, one row per check with its code', () => {
    const from = usingTheApi.indexOf('id="what-the-sandbox-checks-and-what-spine-checks"');
    expect(from).toBeGreaterThan(0);
    const table = usingTheApi.slice(from, usingTheApi.indexOf('</table>', from));
    const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(m => m[1]!).slice(1);
    expect(rows).toHaveLength(REQUEST_CHECKS.length);
    REQUEST_CHECKS.forEach((c, i) => {
      const cells = [...rows[i]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(m => m[1]!.replace(/<[^>]+>/g, ''));
      expect(cells[3], c.id).toBe(c.codes.join(', '));
    });
    expect(usingTheApi).toContain(`HTTP 400 ${TOKEN_ERROR}`);
  });

  it('no prose on the page pairs a token fault with MESSAGE_NOT_WELL_FORMED', () => {
    const page = readFileSync(join(REPO_ROOT, 'input/pagecontent/using-the-api.md'), 'utf8');
    for (const text of [page, requestChecksMarkdown()]) {
      expect(text).not.toMatch(/(token|JWT)[^()]*\(MESSAGE_NOT_WELL_FORMED/);
      expect(text).not.toMatch(/(token|JWT)[^.;]*gives MESSAGE_NOT_WELL_FORMED/);
    }
  });

  it('the error code system and the capability statement say a bad token is MISSING_OR_INVALID_HEADER', () => {
    const concept = (code: string) =>
      resourceOf(
        resources.find(r => r.resource.id === 'vm-spine-error-code' && r.resource.resourceType === 'CodeSystem')!.resource,
        'CodeSystem'
      )!.concept!.find(c => c.code === code)!.definition!;
    expect(concept(TOKEN_ERROR)).toMatch(/token in Authorization: one that cannot be decoded/);
    expect(concept('MESSAGE_NOT_WELL_FORMED')).not.toMatch(/JWT is malformed/);
    const security = resourceOf(guide.capability, 'CapabilityStatement')!.rest![0]!.security!.description!;
    expect(security).toContain(`HTTP 400 ${TOKEN_ERROR}`);
    expect(security).not.toContain('MESSAGE_NOT_WELL_FORMED');
  });

  it('the claims the API reference lists are the claims of the Using the API page, in its order', () => {
    const page = readFileSync(join(REPO_ROOT, 'input/pagecontent/using-the-api.md'), 'utf8');
    const listed = [...page.matchAll(/^\| `([a-z_]+)` \|/gm)]
      .map(m => m[1]!)
      .filter(c => JWT_CLAIMS.some(j => j.claim === c) || /^(iss|sub|aud|exp|iat|re[a-z_]+)$/.test(c));
    expect(listed).toEqual(JWT_CLAIMS.map(c => c.claim));
    const doc = guideOpenApi(resources).openApi!;
    const servers = (doc.document.servers as { 'x-environment': string }[]).map(s => s['x-environment']);
    expect(servers).toEqual(['Sandbox', 'Path to Live', 'Live']);
    expect(doc.reference).toMatch(/\| `Authorization` \| header \| yes \| `Bearer <JWT>` \|/);
  });

  it('the OpenAPI bearer scheme carries the same sentence and every token check', () => {
    const doc = guideOpenApi(resources).openApi!.document as { components: { securitySchemes: { bearerJwt: { description: string } } } };
    const description = doc.components.securitySchemes.bearerJwt.description;
    expect(description).toContain(tokenErrorSentence());
    expect(description).not.toMatch(/\(MESSAGE_NOT_WELL_FORMED\)/);
    for (const c of REQUEST_CHECKS.filter(r => r.token)) expect(description).toContain(`${c.check}: Spine, ${c.spine}`);
  });
});

describe('the answers a client gets', () => {
  it('a bad check digit searched for and carried in the token is INVALID_NHS_NUMBER, not a token error', async () => {
    const a = await search(jwt(claims(resources, BAD_CHECK_DIGIT)), BAD_CHECK_DIGIT);
    expect(a.status).toBe(400);
    expect(spineCode(a.json)).toBe('INVALID_NHS_NUMBER');
    expect(a.text).toMatch(/modulus 11/);
  });

  it('a bad number in the token alone is still a token error, and a valid token with a bad search number INVALID_NHS_NUMBER', async () => {
    expect(spineCode((await search(jwt(claims(resources, BAD_CHECK_DIGIT)), NHS)).json)).toBe(TOKEN_ERROR);
    expect(spineCode((await search(jwt(claims(resources, NHS)), BAD_CHECK_DIGIT)).json)).toBe('INVALID_NHS_NUMBER');
  });

  it('a token with the same bad number and another claim wrong is a token error (the token is wrong anyway)', async () => {
    const a = await search(jwt(claims(resources, BAD_CHECK_DIGIT, { aud: 'https://example.org' })), BAD_CHECK_DIGIT);
    expect(spineCode(a.json)).toBe(TOKEN_ERROR);
  });

  it('a request missing several headers names every one of them', async () => {
    const a = await search(jwt(claims(resources, NHS)), NHS, { 'Ssp-TraceID': undefined, 'Ssp-To': undefined, Authorization: undefined });
    expect(spineCode(a.json)).toBe('MISSING_OR_INVALID_HEADER');
    expect(String((a.json!.issue as { diagnostics: string }[])[0]!.diagnostics)).toBe('The Ssp-TraceID, Ssp-To and Authorization headers are missing.');
    const b = await search(jwt(claims(resources, NHS)), NHS, { 'Ssp-From': 'ASID-1', Authorization: undefined });
    const diagnostics = String((b.json!.issue as { diagnostics: string }[])[0]!.diagnostics);
    expect(diagnostics).toMatch(/Authorization header is missing/);
    expect(diagnostics).toMatch(/Ssp-From header is not an ASID/);
  });

  it('prints one line per request: method, path, status, time and code, never the query', async () => {
    logged.length = 0;
    await search(jwt(claims(resources, NHS)));
    await search('not-a-jwt');
    await get(`${sandbox.url}/nowhere?x=1`);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/^GET \/Observation 200 \d+\.\d ms FOUND$/);
    expect(logged[1]).toMatch(/^GET \/Observation 400 \d+\.\d ms MISSING_OR_INVALID_HEADER$/);
    expect(logged[2]).toMatch(/^GET \/nowhere 404 \d+\.\d ms -$/);
    expect(logged.join('\n')).not.toContain(NHS);
  });
});
