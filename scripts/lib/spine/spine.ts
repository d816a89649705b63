/**
 * The rules of the Spine Visitors and Migrants endpoint that the guide states in prose (the
 * capability statement's security text and the Using the API page) rather than in a resource:
 * the JWT's fixed claim values, which audit profile each resource claim must conform to, and the
 * request headers. Everything else the sandbox knows comes from the compiled guide.
 */

/** The audience Spine expects in `aud`. */
export const JWT_AUDIENCE = 'https://authorize.fhir.nhs.net/token';
export const REASON_FOR_REQUEST = 'directcare';
export const REQUESTED_SCOPES = 'patient/Observation.read';
/** `exp` may be at most this many seconds after `iat`. */
export const MAX_TOKEN_LIFETIME_S = 300;
/** The JWT header's `alg` values the guide allows: the token is unsigned (the mutual TLS proves the sender). */
export const JWT_ALLOWED_ALGS = ['none'] as const;
/** Whether the guide requires a signature: no, so the third part of the token must be empty. */
export const JWT_SIGNATURE_REQUIRED = false;
/** How far `iat` may lie in the future (the clocks of client and server differ a little), in seconds. */
export const JWT_CLOCK_SKEW_S = 60;

/** The sandbox's own audit search (Spine offers none): its Ssp-InteractionID. */
export const AUDIT_INTERACTION = 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:auditevent';
/** Audit search paging: results per page when `_count` is not given, and the most a page holds. */
export const AUDIT_PAGE = { default: 20, max: 100 };

/** Each resource claim of the JWT, its resource type and the id of the guide's audit profile for it. */
export const RESOURCE_CLAIMS = [
  { claim: 'requested_record', type: 'Patient', profile: 'vm-audit-patient' },
  { claim: 'requesting_device', type: 'Device', profile: 'vm-audit-device' },
  { claim: 'requesting_organization', type: 'Organization', profile: 'vm-audit-organization' },
  { claim: 'requesting_practitioner', type: 'Practitioner', profile: 'vm-audit-practitioner' }
] as const;

export type ResourceClaim = (typeof RESOURCE_CLAIMS)[number]['claim'];

/** The headers every request carries (Ssp-Version is optional, default 1). */
export const HEADERS = {
  traceId: 'ssp-traceid',
  from: 'ssp-from',
  to: 'ssp-to',
  interaction: 'ssp-interactionid',
  version: 'ssp-version',
  authorization: 'authorization'
} as const;

export const SUPPORTED_SSP_VERSIONS = ['1'];

/** Ids of the guide's resources the sandbox is built from. */
export const GUIDE_IDS = {
  capability: 'vm-spine-capability',
  scenarios: 'vm-sandbox-scenario',
  errorCodes: 'vm-spine-error-code',
  observationCodes: 'vm-observation-code',
  auditEventProfile: 'vm-lookup-audit-event',
  auditAgentTypes: 'vm-audit-agent-type'
} as const;

export const SPINE_ASID_SYSTEM = 'https://fhir.nhs.uk/Id/nhsSpineASID';
export const SDS_USER_ID_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';
export const SDS_ROLE_PROFILE_ID_SYSTEM = 'https://fhir.nhs.uk/Id/sds-role-profile-id';
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

/**
 * The Spine error code of every fault in the bearer token: one that cannot be decoded, names
 * another `alg`, carries a signature, or has a claim missing or wrong. The token is the value of
 * the Authorization header, so a bad token is an invalid header (issue type `invalid`), as the
 * guide's error table says; MESSAGE_NOT_WELL_FORMED (issue type `structure`) is kept for a
 * request Spine cannot parse at all (its URL, query string or HTTP framing).
 */
export const TOKEN_ERROR = 'MISSING_OR_INVALID_HEADER';

/** One row of "What the sandbox checks, and what Spine checks": the single source of the page's table, the OpenAPI text and the sandbox's codes. */
export interface RequestCheck {
  /** What the sandbox's code refers to the row by. */
  id: 'tls' | 'headers' | 'token-form' | 'alg' | 'signature' | 'iat' | 'exp' | 'claims' | 'record' | 'nhs-number';
  /** What is checked (markdown). */
  check: string;
  /** What Spine does (markdown). */
  spine: string;
  /** What the sandbox does (markdown). */
  sandbox: string;
  /** The Spine error codes a failure gives. */
  codes: readonly string[];
  /** Whether the check is about the bearer token (so its code is TOKEN_ERROR). */
  token?: true;
}

export const REQUEST_CHECKS: readonly RequestCheck[] = [
  {
    id: 'tls',
    check: 'TLS with an NHS-issued client certificate; the client ASID authorised',
    spine: 'yes',
    sandbox: 'no TLS: these answers are chosen by the `Ssp-From` ASIDs of the scenario table',
    codes: ['ACCESS_DENIED_SSL', 'ASID_CHECK_FAILED']
  },
  {
    id: 'headers',
    check: 'Ssp headers and `Authorization: Bearer <JWT>` present and well formed',
    spine: 'yes',
    sandbox: 'yes, the same; a request missing several headers is told all of them',
    codes: ['MISSING_OR_INVALID_HEADER']
  },
  {
    id: 'token-form',
    check: 'The token decodes: three base64url parts, the header and payload JSON objects',
    spine: 'yes',
    sandbox: 'yes, the same',
    codes: [TOKEN_ERROR],
    token: true
  },
  {
    id: 'alg',
    check: 'JWT header `alg`',
    spine: '`none` only: the token is unsigned',
    sandbox: '`none` only',
    codes: [TOKEN_ERROR],
    token: true
  },
  {
    id: 'signature',
    check: 'JWT signature',
    spine: 'none: the third part is empty',
    sandbox: 'must be empty: a token claiming a signature is refused, never trusted',
    codes: [TOKEN_ERROR],
    token: true
  },
  {
    id: 'iat',
    check: '`iat`',
    spine: "the time the token is issued: keep the client's clock synchronised",
    sandbox: `not more than ${JWT_CLOCK_SKEW_S} seconds ahead of the sandbox's clock`,
    codes: [TOKEN_ERROR],
    token: true
  },
  {
    id: 'exp',
    check: '`exp`',
    spine: 'after `iat`, at most five minutes later, and not passed',
    sandbox: 'after `iat` and at most five minutes later; a passed `exp` is accepted, so the documented requests keep working',
    codes: [TOKEN_ERROR],
    token: true
  },
  {
    id: 'claims',
    check: 'Claims `iss`, `sub`, `aud`, `reason_for_request`, `requested_scopes`; the four resource claims against the audit profiles',
    spine: 'yes',
    sandbox: 'yes, the same',
    codes: [TOKEN_ERROR],
    token: true
  },
  {
    id: 'nhs-number',
    check: 'The NHS Number searched for is ten digits and passes the modulus 11 check',
    spine: 'yes',
    sandbox: "yes, the same; when the token's `requested_record` carries the same bad number, the answer is still INVALID_NHS_NUMBER, not a token error",
    codes: ['INVALID_NHS_NUMBER']
  },
  {
    id: 'record',
    check: '`requested_record` is the NHS Number searched for',
    spine: 'yes',
    sandbox: 'yes, the same',
    codes: ['REQUEST_UNMATCHED']
  }
];

/** The row of REQUEST_CHECKS with this id. */
export function requestCheck(id: RequestCheck['id']): RequestCheck {
  const found = REQUEST_CHECKS.find(c => c.id === id);
  if (!found) throw new Error(`no request check ${id}`);
  return found;
}

/** What each claim of the token holds, in the order the Using the API page lists them (the API reference's Authorization row). */
export const JWT_CLAIMS: readonly { claim: string; holds: string }[] = [
  { claim: 'iss', holds: 'the URL of the requesting system' },
  { claim: 'sub', holds: 'the id of the user, the same as the id of requesting_practitioner' },
  { claim: 'aud', holds: JWT_AUDIENCE },
  { claim: 'exp', holds: 'when the token expires: five minutes after iat' },
  { claim: 'iat', holds: 'when the token was created (seconds since the Unix epoch)' },
  { claim: 'reason_for_request', holds: REASON_FOR_REQUEST },
  { claim: 'requested_record', holds: 'a Patient holding only the NHS Number searched for' },
  { claim: 'requested_scopes', holds: REQUESTED_SCOPES },
  { claim: 'requesting_device', holds: 'a Device: the sending system and its ASID' },
  { claim: 'requesting_organization', holds: 'an Organization: the ODS code of the care organisation where the request starts' },
  { claim: 'requesting_practitioner', holds: 'a Practitioner: the user, by SDS user id and role profile id' }
];

/** The sandbox's base URL when started with the defaults (npm run sandbox). */
export const SANDBOX_DEFAULT_BASE = 'http://127.0.0.1:8090';
