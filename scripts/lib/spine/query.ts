/**
 * The query string of a request, parsed as HTTP allows (percent-encoded or not, `+` as a space)
 * and checked against the one search the capability statement declares. Unknown and repeated
 * parameters are refused; the first problem is returned as a Spine error code.
 */
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../../fhir/nhs-number.ts';
import type { Problem } from './headers.ts';

export const SUBJECT_PARAM = 'subject:Patient.identifier';
/** Longest query string accepted; anything longer is not a request for this API. */
export const MAX_QUERY = 8 * 1024;

export type Params = Map<string, string[]>;

/** Parameter name -> values in order, or MESSAGE_NOT_WELL_FORMED for a bad encoding. */
export function parseQuery(query: string): Params | Problem {
  if (query.length > MAX_QUERY) return { code: 'MESSAGE_NOT_WELL_FORMED', diagnostics: `The query string is longer than ${MAX_QUERY} characters.` };
  const params: Params = new Map();
  if (query === '') return params;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined)
      return { code: 'MESSAGE_NOT_WELL_FORMED', diagnostics: 'The query string has a malformed percent-encoding.' };
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  return params;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The one value of each allowed parameter; unknown or repeated parameters are refused. */
export function singleValues(params: Params, allowed: readonly string[]): Map<string, string> | Problem {
  const out = new Map<string, string>();
  for (const [name, values] of params) {
    if (!allowed.includes(name)) return invalidParameter(`The search parameter '${clip(name)}' is not supported.`);
    if (values.length > 1) return invalidParameter(`The search parameter '${name}' is given more than once.`);
    out.set(name, values[0]!);
  }
  return out;
}

export interface SearchRequest {
  nhsNumber: string;
}

/** Checks the Observation search's parameters (other than _format) in the order Spine reports them. */
export function checkSearch(values: Map<string, string>, codeSystem: string, code: string): SearchRequest | Problem {
  for (const name of [SUBJECT_PARAM, 'code']) {
    if (!values.has(name)) return invalidParameter(`The search parameter '${name}' is required.`);
    if (values.get(name)!.trim() === '') return invalidElement(`The ${name} parameter is empty.`);
  }
  const subject = splitToken(values.get(SUBJECT_PARAM)!);
  if (subject.system !== NHS_NUMBER_SYSTEM)
    return { code: 'INVALID_IDENTIFIER_SYSTEM', diagnostics: `The patient identifier must use the system ${NHS_NUMBER_SYSTEM}.` };
  if (subject.value === '') return invalidElement(`The ${SUBJECT_PARAM} parameter has no NHS Number after the | separator.`);
  if (!/^\d{10}$/.test(subject.value)) return { code: 'INVALID_NHS_NUMBER', diagnostics: `The NHS Number in ${SUBJECT_PARAM} is not ten digits.` };
  if (!isValidNhsNumber(subject.value)) return { code: 'INVALID_NHS_NUMBER', diagnostics: `The NHS Number in ${SUBJECT_PARAM} fails the modulus 11 check.` };
  const token = splitToken(values.get('code')!);
  if (token.system !== codeSystem) return { code: 'INVALID_CODE_SYSTEM', diagnostics: `The code parameter must use the system ${codeSystem}.` };
  if (token.value !== code) return { code: 'INVALID_CODE_VALUE', diagnostics: `The code parameter must be ${code}.` };
  return { nhsNumber: subject.value };
}

/** The NHS Number part of the subject parameter as sent (after the bar), unchecked. */
export function subjectNhsNumber(values: Map<string, string>): string | undefined {
  const subject = values.get(SUBJECT_PARAM);
  return subject === undefined ? undefined : splitToken(subject).value;
}

/** `system|value` (a token with no bar has no system). */
function splitToken(token: string): { system?: string; value: string } {
  const bar = token.indexOf('|');
  return bar < 0 ? { value: token.trim() } : { system: token.slice(0, bar).trim(), value: token.slice(bar + 1).trim() };
}

function invalidParameter(diagnostics: string): Problem {
  return { code: 'INVALID_PARAMETER', diagnostics };
}

function invalidElement(diagnostics: string): Problem {
  return { code: 'INVALID_ELEMENT', diagnostics };
}

/** A parameter name as it may be echoed back: short, printable. */
function clip(s: string): string {
  const printable = s.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 57)}...` : printable;
}
