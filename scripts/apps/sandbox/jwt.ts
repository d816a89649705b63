/**
 * The bearer token, decoded and checked as Spine does for this API. The token is unsigned: three
 * base64url parts, header and payload JSON objects, `alg` none and the signature part empty;
 * `iat` no more than a minute ahead of the server's clock. The claims
 * are checked for presence and value; the four resource claims are validated against the guide's
 * audit profiles with the project's validator (results cached by the claim's text, so a client
 * that repeats its device, organisation and user is validated once).
 */
import { isFhirResource } from '../../fhir/json.ts';
import { resourceOf, type Device, type Organization, type Patient, type Practitioner, type R4Resources } from '../../fhir/r4.ts';
import type { ValidatorContext } from '../../lib/validator/validator.ts';
import type { Problem } from '../../lib/spine/headers.ts';
import {
  JWT_ALLOWED_ALGS,
  JWT_AUDIENCE,
  JWT_CLOCK_SKEW_S,
  JWT_SIGNATURE_REQUIRED,
  MAX_TOKEN_LIFETIME_S,
  REASON_FOR_REQUEST,
  REQUESTED_SCOPES,
  requestCheck,
  type RequestCheck,
  type ResourceClaim
} from '../../lib/spine/spine.ts';
import { NHS_NUMBER_SYSTEM } from '../../fhir/nhs-number.ts';

export interface Claims {
  iss: string;
  sub: string;
  aud: string | string[];
  iat: number;
  exp: number;
  reason_for_request: string;
  requested_scopes: string;
  requested_record: Patient;
  requesting_device: Device;
  requesting_organization: Organization;
  requesting_practitioner: Practitioner;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The token's payload as an object, or the token error (REQUEST_CHECKS: an invalid Authorization
 * header). The header must name an `alg`
 * the guide allows (`none`: the token is unsigned), and the signature part must be empty, as the
 * guide builds the token; a token that claims a signature the sandbox cannot check is refused,
 * never trusted.
 */
export function decodeJwt(token: string): Record<string, unknown> | Problem {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some(p => !BASE64URL.test(p)) || !parts[0] || !parts[1]) {
    return tokenProblem('token-form', 'The JWT in the Authorization header could not be decoded: it must be three base64url parts separated by dots.');
  }
  const header = parseJson(parts[0]);
  const payload = parseJson(parts[1]);
  if (!isObject(header)) return tokenProblem('token-form', 'The JWT header is not a base64url-encoded JSON object.');
  if (!isObject(payload)) return tokenProblem('token-form', 'The JWT payload is not a base64url-encoded JSON object.');
  const allowed: readonly unknown[] = JWT_ALLOWED_ALGS;
  if (!allowed.includes(header.alg)) {
    const alg = typeof header.alg === 'string' ? header.alg.replace(/[^\x20-\x7e]/g, '?').slice(0, 20) : String(header.alg);
    return tokenProblem('alg', `The JWT header alg must be ${JWT_ALLOWED_ALGS.join(' or ')} (the token is unsigned), not ${alg}.`);
  }
  if (!JWT_SIGNATURE_REQUIRED && parts[2] !== '')
    return tokenProblem('signature', 'The JWT is unsigned (alg none): its third part, the signature, must be empty.');
  return payload;
}

export class ClaimChecker {
  private readonly memo = new Map<string, string | undefined>();

  constructor(
    private readonly validator: ValidatorContext,
    private readonly profiles: Map<string, string>,
    private readonly memoLimit = 1000,
    /** The server's clock, in whole seconds since the Unix epoch. */
    private readonly clock: () => number = () => Math.floor(Date.now() / 1000)
  ) {}

  /** The checked claims, or the problem with the first claim that is wrong. */
  check(payload: Record<string, unknown>): Claims | Problem {
    const now = this.clock;
    const text = (name: string) => {
      const value = payload[name];
      return typeof value === 'string' && value.trim() !== '' ? value : undefined;
    };
    const iss = text('iss');
    if (!iss || !isHttpUrl(iss)) return malformed('The JWT claim iss must be the URL of the requesting system.');
    const sub = text('sub');
    if (!sub) return malformed('The JWT claim sub is missing.');
    const aud = payload.aud;
    if (!(aud === JWT_AUDIENCE || (Array.isArray(aud) && aud.includes(JWT_AUDIENCE)))) return malformed(`The JWT claim aud must be ${JWT_AUDIENCE}.`);
    const iat = payload.iat;
    const exp = payload.exp;
    if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isInteger(iat) || !Number.isInteger(exp))
      return malformed('The JWT claims iat and exp must be whole seconds since the Unix epoch.');
    if (iat > now() + JWT_CLOCK_SKEW_S)
      return tokenProblem('iat', `The JWT claim iat is in the future (more than ${JWT_CLOCK_SKEW_S} seconds ahead of the server's clock).`);
    if (exp <= iat || exp - iat > MAX_TOKEN_LIFETIME_S) {
      return tokenProblem('exp', `The JWT claim exp must be after iat and at most ${MAX_TOKEN_LIFETIME_S / 60} minutes after it.`);
    }
    if (payload.reason_for_request !== REASON_FOR_REQUEST) return malformed(`The JWT claim reason_for_request must be ${REASON_FOR_REQUEST}.`);
    if (payload.requested_scopes !== REQUESTED_SCOPES) return malformed(`The JWT claim requested_scopes must be ${REQUESTED_SCOPES}.`);
    // In the order of RESOURCE_CLAIMS: the first claim that is wrong is the one reported.
    const record = this.claimResource(payload, 'requested_record', 'Patient');
    if (typeof record === 'string') return { ...malformed(record), claim: 'requested_record' };
    const device = this.claimResource(payload, 'requesting_device', 'Device');
    if (typeof device === 'string') return malformed(device);
    const organization = this.claimResource(payload, 'requesting_organization', 'Organization');
    if (typeof organization === 'string') return malformed(organization);
    const practitioner = this.claimResource(payload, 'requesting_practitioner', 'Practitioner');
    if (typeof practitioner === 'string') return malformed(practitioner);
    if (practitioner.id !== undefined && practitioner.id !== sub) return malformed('The JWT claim sub must be the id of requesting_practitioner.');
    return {
      ...payload,
      iss,
      sub,
      aud,
      iat,
      exp,
      reason_for_request: REASON_FOR_REQUEST,
      requested_scopes: REQUESTED_SCOPES,
      requested_record: record,
      requesting_device: device,
      requesting_organization: organization,
      requesting_practitioner: practitioner
    };
  }

  /** The claim as its R4 resource when it is one and conforms to its audit profile; the problem otherwise. */
  private claimResource<T extends keyof R4Resources>(payload: Record<string, unknown>, claim: ResourceClaim, type: T): R4Resources[T] | string {
    const value = payload[claim];
    const resource = isFhirResource(value) ? resourceOf(value, type) : undefined;
    if (!resource) return `The JWT claim ${claim} must be a ${type} resource.`;
    return this.conformanceProblem(claim, type, value) ?? resource;
  }

  private conformanceProblem(claim: string, type: string, value: unknown): string | undefined {
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
  return claims.requested_record.identifier?.find(i => i.system === NHS_NUMBER_SYSTEM)?.value;
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

/** A claim that is missing or wrong. */
function malformed(diagnostics: string): Problem {
  return tokenProblem('claims', diagnostics);
}

/** A fault in the token, with the code REQUEST_CHECKS gives that check. */
function tokenProblem(check: RequestCheck['id'], diagnostics: string): Problem {
  return { code: requestCheck(check).codes[0]!, diagnostics };
}
