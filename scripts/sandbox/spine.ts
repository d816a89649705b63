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

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const SPINE_ASID_SYSTEM = 'https://fhir.nhs.uk/Id/nhsSpineASID';
export const SDS_USER_ID_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';
export const SDS_ROLE_PROFILE_ID_SYSTEM = 'https://fhir.nhs.uk/Id/sds-role-profile-id';
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
