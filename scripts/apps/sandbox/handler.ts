/**
 * The sandbox's request handling, independent of the HTTP server: a method, a target (path and
 * query) and headers in, a Reply out. Checks run in the order Spine reports problems: path and
 * method, then the Ssp headers, the ASID, the token, the parameters, and last the patient.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FhirResource } from '../../model/resources.ts';
import type { ValidatorContext } from '../../lib/validator/validator.ts';
import { AuditLog } from './audit.ts';
import { acceptFormat, formatParam, type Format } from './format.ts';
import type { SandboxGuide } from '../../lib/spine/guide.ts';
import { checkHeaders, isProblem, type Problem, type SspHeaders } from '../../lib/spine/headers.ts';
import { ClaimChecker, decodeJwt, requestedNhsNumber, type Claims } from './jwt.ts';
import { checkSearch, parseQuery, singleValues, SUBJECT_PARAM, subjectNhsNumber, type Params } from '../../lib/spine/query.ts';
import { instant, plainOutcome, scenarioReply, spineError, type Reply } from '../../lib/spine/responses.ts';
import { AUDIT_INTERACTION, AUDIT_PAGE } from '../../lib/spine/spine.ts';
import { NHS_NUMBER_SYSTEM } from '../../fhir/nhs-number.ts';

export interface HandledRequest {
  method: string;
  /** Path and query as sent, e.g. `/Observation?code=...`. */
  target: string;
  headers: IncomingHttpHeaders;
}

export interface Handled extends Reply {
  format: Format;
}

export class SandboxHandler {
  readonly audit: AuditLog;
  private readonly claims: ClaimChecker;

  constructor(
    readonly guide: SandboxGuide,
    validator: ValidatorContext,
    /** Absolute base URL the sandbox is reached at, without a trailing slash (set once listening). */
    public base = 'http://127.0.0.1'
  ) {
    this.audit = new AuditLog(guide.auditEventProfile, guide.auditAgentTypes);
    this.claims = new ClaimChecker(validator, guide.claimProfiles);
  }

  handle(req: HandledRequest): Handled {
    const q = req.target.indexOf('?');
    const path = decodePath(q < 0 ? req.target : req.target.slice(0, q));
    const params = parseQuery(q < 0 ? '' : req.target.slice(q + 1));
    const asked = chooseFormat(params, req.headers.accept);
    const format = asked ?? 'json';
    const route = ROUTES.find(r => r.path === path);
    if (!route)
      return { ...plainOutcome(404, 'not-found', `There is nothing at ${clipPath(path)}. This API serves GET /metadata and GET /Observation.`), format };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return {
        ...plainOutcome(405, 'not-supported', `${clipPath(req.method)} is not allowed on ${path}: the API is read-only.`, { Allow: 'GET, HEAD' }),
        format
      };
    }
    if (isProblem(params)) return { ...this.error(params), format };
    if (params.has('_format') && asked === undefined)
      return {
        ...this.error({
          code: 'INVALID_ELEMENT',
          diagnostics: 'The _format parameter must be json or xml (or application/fhir+json or application/fhir+xml).'
        }),
        format: 'json'
      };
    return { ...route.run(this, req, params), format };
  }

  error(problem: Problem): Reply {
    return spineError(this.guide, problem.code, problem.diagnostics);
  }

  /**
   * Headers, ASID scenarios and token, shared by every Spine interaction. `instead` may name a more
   * specific problem to report than the token's (see search).
   */
  authorise(
    req: HandledRequest,
    interaction: string,
    instead?: (problem: Problem, payload: Record<string, unknown>) => Problem | undefined
  ): { ssp: SspHeaders; claims: Claims } | Reply {
    const ssp = checkHeaders(req.headers, interaction);
    if (isProblem(ssp)) return this.error(ssp);
    const asidScenario = this.guide.byAsid.get(ssp.from);
    if (asidScenario) return scenarioReply(this.guide, asidScenario, this.base, this.base + req.target);
    const payload = decodeJwt(ssp.token);
    if (isProblem(payload)) return this.error(payload);
    const claims = this.claims.check(payload);
    if (isProblem(claims)) return this.error(instead?.(claims, payload) ?? claims);
    return { ssp, claims };
  }

  search(req: HandledRequest, params: Params): Reply {
    const auth = this.authorise(req, this.guide.interactions.search, (problem, payload) =>
      problem.claim === 'requested_record' ? this.sameBadNumber(params, payload) : undefined
    );
    if (isReply(auth)) return auth;
    const values = singleValues(params, [SUBJECT_PARAM, 'code', '_format']);
    if (isProblem(values)) return this.error(values);
    const search = checkSearch(values, this.guide.observationCodeSystem, this.guide.observationCode);
    if (isProblem(search)) return this.error(search);
    const reply = this.lookUp(req, search.nhsNumber, auth.claims);
    this.audit.record({
      claims: auth.claims,
      nhsNumber: search.nhsNumber,
      traceId: auth.ssp.traceId,
      spineAsid: auth.ssp.to,
      status: reply.status,
      outcomeCode: reply.outcomeCode ?? 'UNKNOWN'
    });
    return reply;
  }

  /**
   * INVALID_NHS_NUMBER when the NHS Number searched for fails its check and the token's
   * requested_record (refused for that same reason) carries the same number: the specific error,
   * which is what the client must fix, rather than a token error that only repeats it.
   */
  private sameBadNumber(params: Params, payload: Record<string, unknown>): Problem | undefined {
    const values = singleValues(params, [SUBJECT_PARAM, 'code', '_format']);
    if (isProblem(values)) return undefined;
    const search = checkSearch(values, this.guide.observationCodeSystem, this.guide.observationCode);
    if (!isProblem(search) || search.code !== 'INVALID_NHS_NUMBER') return undefined;
    const searched = subjectNhsNumber(values);
    return searched !== undefined && searched === rawRecordNumber(payload) ? search : undefined;
  }

  private lookUp(req: HandledRequest, nhsNumber: string, claims: Claims): Reply {
    if (requestedNhsNumber(claims) !== nhsNumber)
      return this.error({ code: 'REQUEST_UNMATCHED', diagnostics: 'The NHS Number in the search does not match the requested_record claim of the JWT.' });
    const scenario = this.guide.byNhsNumber.get(nhsNumber);
    if (scenario) return scenarioReply(this.guide, scenario, this.base, this.base + req.target);
    return spineError(this.guide, 'PATIENT_NOT_FOUND');
  }

  metadata(req: HandledRequest, params: Params): Reply {
    const auth = this.authorise(req, this.guide.interactions.metadata);
    if (isReply(auth)) return auth;
    const values = singleValues(params, ['_format']);
    if (isProblem(values)) return this.error(values);
    return { status: 200, body: this.guide.capability };
  }

  /**
   * Sandbox only: the audit trail of one NHS Number, as the patient asking "who looked?" would be
   * told it. Read with the same header and token checks as a search, by a token whose
   * requested_record is that patient (anyone else gets REQUEST_UNMATCHED), and paged: `_count`
   * results per page (AUDIT_PAGE), newest first, with `next` and `previous` links.
   */
  auditSearch(req: HandledRequest, params: Params): Reply {
    const auth = this.authorise(req, AUDIT_INTERACTION);
    if (isReply(auth)) return auth;
    const values = singleValues(params, ['entity:identifier', '_count', '_offset', '_format']);
    if (isProblem(values)) return plainOutcome(400, 'not-supported', values.diagnostics);
    const token = values.get('entity:identifier') ?? '';
    const bar = token.indexOf('|');
    if (bar < 0 || token.slice(0, bar) !== NHS_NUMBER_SYSTEM || !/^\d{10}$/.test(token.slice(bar + 1))) {
      return plainOutcome(400, 'invalid', `Search the audit trail with entity:identifier=${NHS_NUMBER_SYSTEM}|{NHS Number}.`);
    }
    const nhsNumber = token.slice(bar + 1);
    const count = pageNumber(values.get('_count'), AUDIT_PAGE.default);
    const offset = pageNumber(values.get('_offset'), 0);
    if (count === undefined || count < 1 || count > AUDIT_PAGE.max)
      return plainOutcome(400, 'invalid', `_count must be a whole number from 1 to ${AUDIT_PAGE.max} (${AUDIT_PAGE.default} when not given).`);
    if (offset === undefined) return plainOutcome(400, 'invalid', '_offset must be a whole number of 0 or more.');
    if (requestedNhsNumber(auth.claims) !== nhsNumber)
      return this.error({
        code: 'REQUEST_UNMATCHED',
        diagnostics: "The audit trail of an NHS Number is shown only to a token whose requested_record is that patient (who looked is the patient's to know)."
      });
    const events = this.audit.forNhsNumber(nhsNumber);
    const format = values.get('_format');
    const link = (at: number) =>
      `${this.base}/AuditEvent?entity:identifier=${encodeURIComponent(token)}&_count=${count}&_offset=${at}${format ? `&_format=${encodeURIComponent(format)}` : ''}`;
    const links = [
      { relation: 'self', url: link(offset) },
      ...(offset + count < events.length ? [{ relation: 'next', url: link(offset + count) }] : []),
      ...(offset > 0 ? [{ relation: 'previous', url: link(Math.max(0, offset - count)) }] : [])
    ];
    return { status: 200, body: auditBundle(this.base, events.length, events.slice(offset, offset + count), links) };
  }
}

/** The NHS Number in the token's requested_record claim as sent, before any check. */
function rawRecordNumber(payload: Record<string, unknown>): string | undefined {
  const record = payload.requested_record;
  if (typeof record !== 'object' || record === null || !('identifier' in record) || !Array.isArray(record.identifier)) return undefined;
  const identifiers: unknown[] = record.identifier;
  for (const i of identifiers) {
    if (typeof i === 'object' && i !== null && 'system' in i && i.system === NHS_NUMBER_SYSTEM && 'value' in i && typeof i.value === 'string')
      return i.value.trim();
  }
  return undefined;
}

/** A paging parameter: the default when absent, undefined when it is not a whole number of 0 or more. */
function pageNumber(value: string | undefined, absent: number): number | undefined {
  if (value === undefined) return absent;
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

interface Route {
  path: string;
  run: (h: SandboxHandler, req: HandledRequest, params: Params) => Reply;
}

const ROUTES: Route[] = [
  { path: '/metadata', run: (h, req, params) => h.metadata(req, params) },
  { path: '/Observation', run: (h, req, params) => h.search(req, params) },
  { path: '/AuditEvent', run: (h, req, params) => h.auditSearch(req, params) }
];

function auditBundle(base: string, total: number, events: FhirResource[], link: { relation: string; url: string }[]): FhirResource {
  return {
    resourceType: 'Bundle',
    meta: { lastUpdated: instant(new Date()) },
    type: 'searchset',
    total,
    link,
    entry: events.map(e => ({ fullUrl: `${base}/AuditEvent/${e.id}`, resource: e, search: { mode: 'match' } }))
  };
}

function chooseFormat(params: Params | Problem, accept: string | string[] | undefined): Format | undefined {
  const asked = isProblem(params) ? undefined : params.get('_format');
  if (asked?.length) return formatParam(asked[0]!);
  return acceptFormat(Array.isArray(accept) ? accept.join(',') : accept);
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path).replace(/\/+$/, '') || '/';
  } catch {
    return path;
  }
}

function clipPath(s: string): string {
  const printable = s.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
}
