/**
 * The Spine Secure Proxy headers of a request: each checked as Spine checks it. The first problem
 * found is returned as a Spine error code with the diagnostics to send back.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HEADERS, SUPPORTED_SSP_VERSIONS } from './spine.ts';

export interface Problem {
  code: string;
  diagnostics: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ASID = /^\d{1,15}$/;
/** Longest value accepted for one header; a JWT with its four resources fits well within it. */
export const MAX_HEADER_VALUE = 16 * 1024;

/** The one value of a header, or a problem if it is missing, repeated, empty or too long. */
export function single(headers: IncomingHttpHeaders, name: string): string | Problem {
  const raw = headers[name];
  const label = displayName(name);
  if (raw === undefined) return invalid(`The ${label} header is missing.`);
  if (Array.isArray(raw)) return invalid(`The ${label} header is sent more than once.`);
  const value = raw.trim();
  if (value === '') return invalid(`The ${label} header is empty.`);
  if (value.length > MAX_HEADER_VALUE) return invalid(`The ${label} header is longer than ${MAX_HEADER_VALUE} characters.`);
  return value;
}

export interface SspHeaders {
  traceId: string;
  from: string;
  to: string;
  token: string;
}

/** Checks every Ssp header and Authorization for an interaction; the bearer token is returned undecoded. */
export function checkHeaders(headers: IncomingHttpHeaders, interaction: string): SspHeaders | Problem {
  const traceId = single(headers, HEADERS.traceId);
  if (isProblem(traceId)) return traceId;
  if (!UUID.test(traceId)) return invalid('The Ssp-TraceID header is not a UUID.');
  const from = single(headers, HEADERS.from);
  if (isProblem(from)) return from;
  if (!ASID.test(from)) return invalid('The Ssp-From header is not an ASID (digits only).');
  const to = single(headers, HEADERS.to);
  if (isProblem(to)) return to;
  if (!ASID.test(to)) return invalid('The Ssp-To header is not an ASID (digits only).');
  const id = single(headers, HEADERS.interaction);
  if (isProblem(id)) return id;
  if (id !== interaction) return invalid(`The Ssp-InteractionID header must be ${interaction} for this request.`);
  if (headers[HEADERS.version] !== undefined) {
    const version = single(headers, HEADERS.version);
    if (isProblem(version)) return version;
    if (!SUPPORTED_SSP_VERSIONS.includes(version)) return invalid(`The Ssp-Version header must be ${SUPPORTED_SSP_VERSIONS.join(' or ')}.`);
  }
  const auth = single(headers, HEADERS.authorization);
  if (isProblem(auth)) return auth;
  const bearer = /^Bearer +(\S+)$/i.exec(auth);
  if (!bearer) return invalid('The Authorization header must be "Bearer" followed by the JWT.');
  return { traceId, from, to, token: bearer[1]! };
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'code' in value && 'diagnostics' in value;
}

function invalid(diagnostics: string): Problem {
  return { code: 'MISSING_OR_INVALID_HEADER', diagnostics };
}

function displayName(name: string): string {
  const known: Record<string, string> = {
    'ssp-traceid': 'Ssp-TraceID',
    'ssp-from': 'Ssp-From',
    'ssp-to': 'Ssp-To',
    'ssp-interactionid': 'Ssp-InteractionID',
    'ssp-version': 'Ssp-Version',
    authorization: 'Authorization'
  };
  return known[name] ?? name;
}
