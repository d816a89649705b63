/**
 * The bearer token, decoded and checked as Spine does for this API. The token is unsigned: three
 * base64url parts, header and payload JSON objects, the signature empty or ignored. The claims
 * are checked for presence and value; the four resource claims are validated against the guide's
 * audit profiles with the project's validator (results cached by the claim's text, so a client
 * that repeats its device, organisation and user is validated once).
 */
import type { FhirResource } from '../model.ts';
import type { ValidatorContext } from '../validate/validator.ts';
import type { Problem } from './headers.ts';
import { JWT_AUDIENCE, MAX_TOKEN_LIFETIME_S, REASON_FOR_REQUEST, REQUESTED_SCOPES, RESOURCE_CLAIMS, NHS_NUMBER_SYSTEM } from './spine.ts';

export interface Claims {
  iss: string;
  sub: string;
  aud: string | string[];
  iat: number;
  exp: number;
  reason_for_request: string;
  requested_scopes: string;
  requested_record: FhirResource;
  requesting_device: FhirResource;
  requesting_organization: FhirResource;
  requesting_practitioner: FhirResource;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The token's payload as an object, or MESSAGE_NOT_WELL_FORMED. */
export function decodeJwt(token: string): Record<string, unknown> | Problem {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some(p => !BASE64URL.test(p)) || !parts[0] || !parts[1]) {
    return malformed('The JWT in the Authorization header could not be decoded: it must be three base64url parts separated by dots.');
  }
  const header = parseJson(parts[0]);
  const payload = parseJson(parts[1]);
  if (!isObject(header)) return malformed('The JWT header is not a base64url-encoded JSON object.');
  if (!isObject(payload)) return malformed('The JWT payload is not a base64url-encoded JSON object.');
  return payload;
}

export class ClaimChecker {
  private readonly memo = new Map<string, string | undefined>();

  constructor(
    private readonly validator: ValidatorContext,
    private readonly profiles: Map<string, string>,
    private readonly memoLimit = 1000
  ) {}

  /** The checked claims, or the problem with the first claim that is wrong. */
  check(payload: Record<string, unknown>): Claims | Problem {
    const text = (name: string) => (typeof payload[name] === 'string' && (payload[name] as string).trim() !== '' ? (payload[name] as string) : undefined);
    const iss = text('iss');
    if (!iss || !isHttpUrl(iss)) return malformed('The JWT claim iss must be the URL of the requesting system.');
    const sub = text('sub');
    if (!sub) return malformed('The JWT claim sub is missing.');
    const aud = payload.aud;
    if (!(aud === JWT_AUDIENCE || (Array.isArray(aud) && aud.includes(JWT_AUDIENCE)))) return malformed(`The JWT claim aud must be ${JWT_AUDIENCE}.`);
    const iat = payload.iat;
    const exp = payload.exp;
    if (!Number.isInteger(iat) || !Number.isInteger(exp)) return malformed('The JWT claims iat and exp must be whole seconds since the Unix epoch.');
    if ((exp as number) <= (iat as number) || (exp as number) - (iat as number) > MAX_TOKEN_LIFETIME_S) {
      return malformed(`The JWT claim exp must be after iat and at most ${MAX_TOKEN_LIFETIME_S / 60} minutes after it.`);
    }
    if (payload.reason_for_request !== REASON_FOR_REQUEST) return malformed(`The JWT claim reason_for_request must be ${REASON_FOR_REQUEST}.`);
    if (payload.requested_scopes !== REQUESTED_SCOPES) return malformed(`The JWT claim requested_scopes must be ${REQUESTED_SCOPES}.`);
    for (const { claim, type } of RESOURCE_CLAIMS) {
      const problem = this.checkResource(claim, type, payload[claim]);
      if (problem) return malformed(problem);
    }
    const practitioner = payload.requesting_practitioner as FhirResource;
    if (practitioner.id !== undefined && practitioner.id !== sub) return malformed('The JWT claim sub must be the id of requesting_practitioner.');
    return payload as unknown as Claims;
  }

  private checkResource(claim: string, type: string, value: unknown): string | undefined {
    if (!isObject(value) || value.resourceType !== type) return `The JWT claim ${claim} must be a ${type} resource.`;
    const key = `${claim}\u0000${JSON.stringify(value)}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const profile = this.profiles.get(claim)!;
    const error = this.validator.validateResource(value, { profiles: [profile] }).find(i => i.severity === 'error');
    const problem = error ? `The JWT claim ${claim} does not conform to ${profile}: ${error.location?.expression ?? type}: ${error.message}` : undefined;
    if (this.memo.size >= this.memoLimit) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, problem);
    return problem;
  }
}

/** The NHS Number of the requested_record claim (already checked against its profile). */
export function requestedNhsNumber(claims: Claims): string | undefined {
  const ids = claims.requested_record.identifier as { system?: string; value?: string }[] | undefined;
  return ids?.find(i => i.system === NHS_NUMBER_SYSTEM)?.value;
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHttpUrl(s: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

function malformed(diagnostics: string): Problem {
  return { code: 'MESSAGE_NOT_WELL_FORMED', diagnostics };
}
