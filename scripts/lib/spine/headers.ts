/**
 * The Spine Secure Proxy headers of a request: each checked as Spine checks it. Every problem
 * found is returned, as one Spine error code with diagnostics naming each header at fault.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HEADERS, SUPPORTED_SSP_VERSIONS } from './spine.ts';

export interface Problem {
  code: string;
  diagnostics: string;
  /** The JWT claim at fault, when the problem is one claim of the token. */
  claim?: string;
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

/**
 * Checks every Ssp header and Authorization for an interaction; the bearer token is returned
 * undecoded. Every header is checked, so one answer names them all: the missing ones in one
 * sentence, then each value that is wrong.
 */
export function checkHeaders(headers: IncomingHttpHeaders, interaction: string): SspHeaders | Problem {
  const missing: string[] = [];
  const wrong: string[] = [];
  const value = (name: string, valid: (v: string) => boolean, why: string): string => {
    if (headers[name] === undefined) {
      missing.push(displayName(name));
      return '';
    }
    const v = single(headers, name);
    if (isProblem(v)) wrong.push(v.diagnostics);
    else if (!valid(v)) wrong.push(why);
    return isProblem(v) ? '' : v;
  };
  const traceId = value(HEADERS.traceId, v => UUID.test(v), 'The Ssp-TraceID header is not a UUID.');
  const from = value(HEADERS.from, v => ASID.test(v), 'The Ssp-From header is not an ASID (digits only).');
  const to = value(HEADERS.to, v => ASID.test(v), 'The Ssp-To header is not an ASID (digits only).');
  value(HEADERS.interaction, v => v === interaction, `The Ssp-InteractionID header must be ${interaction} for this request.`);
  if (headers[HEADERS.version] !== undefined) {
    value(HEADERS.version, v => SUPPORTED_SSP_VERSIONS.includes(v), `The Ssp-Version header must be ${SUPPORTED_SSP_VERSIONS.join(' or ')}.`);
  }
  const auth = value(HEADERS.authorization, v => /^Bearer +\S+$/i.test(v), 'The Authorization header must be "Bearer" followed by the JWT.');
  if (missing.length > 0 || wrong.length > 0) return invalid([...(missing.length ? [missingSentence(missing)] : []), ...wrong].join(' '));
  return { traceId, from, to, token: /^Bearer +(\S+)$/i.exec(auth)![1]! };
}

/** `The X header is missing.` / `The X, Y and Z headers are missing.` */
function missingSentence(names: string[]): string {
  if (names.length === 1) return `The ${names[0]} header is missing.`;
  return `The ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} headers are missing.`;
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
