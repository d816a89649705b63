/**
 * Input files to JSON values: JSON (with the line and column of a syntax error) or FHIR XML
 * (converted by FHIR.js). Anything else - binary, too large, too deeply nested, not an object -
 * gives exactly one clear diagnostic.
 */
import { parse as parseAst, type DocumentNode } from '@humanwhocodes/momoa';
import { xmlToObject } from '../../fhir/fhir-xml.ts';
import { INPUT_LIMITS, xmlTextDepth } from '../../fhir/input-limits.ts';
import { isFhirResource, isJsonObject } from '../../fhir/json.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { FhirResource } from '../../model/resources.ts';

/** Per input file: bytes, nesting depth, and values (objects, arrays and primitives) that are checked (the same everywhere JSON or XML is read). */
export const LIMITS = INPUT_LIMITS;

export interface Parsed {
  value?: FhirResource;
  /** The problem that stopped parsing, if any. */
  problem?: Diagnostic;
  format: 'json' | 'xml';
}

/** `xml`: the converter for FHIR XML (the validator's own, which knows the definitions); FHIR.js otherwise. */
export function parseInput(text: string | Buffer, file: string, xml?: (text: string, file: string) => Parsed): Parsed {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size > LIMITS.maxBytes)
    return fail(file, 'file-too-large', `The file is ${(size / 1048576).toFixed(1)} MB; the validator reads files up to ${LIMITS.maxBytes / 1048576} MB`);
  const source = typeof text === 'string' ? text : decode(text);
  if (source === undefined || /[\u0000-\u0008\u000e-\u001f]/.test(source.slice(0, 65536))) {
    return fail(file, 'json-syntax', 'The file is not JSON or XML text (binary content)');
  }
  const body = source.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('<')) {
    // Measured on the text first: the XML readers recurse once per level.
    const depth = xmlTextDepth(body);
    if (depth > LIMITS.maxDepth)
      return fail(
        file,
        'structure-depth',
        `The document is nested more than ${LIMITS.maxDepth} levels deep; FHIR resources are never deeper than ${LIMITS.maxDepth}`,
        'xml'
      );
    return xml ? xml(body, file) : parseXml(body, file);
  }
  return parseJson(body, file);
}

function decode(buffer: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return undefined;
  }
}

function parseJson(text: string, file: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const where = syntaxLocation(text);
    return {
      format: 'json',
      problem: {
        severity: 'error',
        rule: 'json-syntax',
        message: `Invalid JSON: ${where?.message ?? (e instanceof Error ? e.message : String(e))}`,
        location: { file, line: where?.line, column: where?.column }
      }
    };
  }
  return checkRoot(value, file, 'json');
}

function syntaxLocation(text: string): { line: number; column: number; message: string } | undefined {
  if (text.length > 8 * 1024 * 1024) return undefined;
  try {
    parseAst(text);
  } catch (e) {
    // momoa's syntax errors carry the position as `line` and `column` properties.
    if (e instanceof Error && 'line' in e && typeof e.line === 'number') {
      const column = 'column' in e && typeof e.column === 'number' ? e.column : 1;
      return { line: e.line, column, message: e.message.replace(/\(\d+:\d+\)$/, '').trimEnd() };
    }
  }
  return undefined;
}

export function checkRoot(value: unknown, file: string, format: 'json' | 'xml'): Parsed {
  if (!isJsonObject(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return fail(
      file,
      'resource-type',
      `The root of a FHIR ${format.toUpperCase()} document must be a resource (a JSON object with resourceType), found ${what}`,
      format
    );
  }
  const nodes = countNodes(value, LIMITS.maxNodes);
  if (nodes > LIMITS.maxNodes)
    return fail(
      file,
      'structure-size',
      `The document holds more than ${LIMITS.maxNodes.toLocaleString('en')} values; the validator checks at most that many in one file`,
      format
    );
  const depth = maxDepth(value);
  if (depth > LIMITS.maxDepth)
    return fail(file, 'structure-depth', `The document is nested ${depth} levels deep; FHIR resources are never deeper than ${LIMITS.maxDepth}`, format);
  if (!isFhirResource(value)) {
    return fail(file, 'resource-type', 'The root object has no resourceType, so it is not a FHIR resource', format);
  }
  return { format, value };
}

/** Nesting depth without recursion (a 10,000-deep document must not overflow the stack). */
export function maxDepth(value: unknown, limit = 10_000_000): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  let seen = 0;
  while (stack.length > 0 && seen++ < limit) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    for (const v of Object.values(node)) if (typeof v === 'object' && v !== null) stack.push([v, depth + 1]);
  }
  return deepest;
}

/** Values in a document (every object, array and primitive), counting stops just past `limit`. */
export function countNodes(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop();
    count++;
    if (typeof node !== 'object' || node === null) continue;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (count + children.length > limit) return limit + 1;
    for (const v of children) stack.push(v);
  }
  return count;
}

function parseXml(text: string, file: string): Parsed {
  const problem = xmlProblem(text);
  if (problem) return fail(file, 'xml-syntax', problem, 'xml');
  const converted = xmlToObject(text);
  if (!converted.ok) return fail(file, 'xml-syntax', `Invalid FHIR XML: ${converted.message}`, 'xml');
  return checkRoot(converted.value, file, 'xml');
}

/** A cheap well-formedness check: FHIR.js silently accepts truncated XML. */
function xmlProblem(text: string): string | undefined {
  const stack: string[] = [];
  const tags = withoutDelimited(withoutDelimited(text, '<!--', '-->'), '<?', '?>');
  if (tags === undefined) return 'Invalid XML: a comment or processing instruction is not closed';
  for (const m of tags.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)[^<>]*?(\/?)>|<|>/g)) {
    if (!m[2]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return `Invalid XML: unexpected </${m[2]}>`;
    } else if (!m[3]) stack.push(m[2]);
  }
  if (stack.length > 0) return `Invalid XML: <${stack[stack.length - 1]}> is not closed (truncated file?)`;
  if (!/xmlns\s*=\s*["']http:\/\/hl7\.org\/fhir["']/.test(text)) return 'The XML root element must be in the FHIR namespace http://hl7.org/fhir';
  return undefined;
}

/** `text` without every `open`...`close` span (found with indexOf: linear even when unclosed); undefined when one is not closed. */
function withoutDelimited(text: string | undefined, open: string, close: string): string | undefined {
  if (text === undefined) return undefined;
  const parts: string[] = [];
  let at = 0;
  for (let start = text.indexOf(open); start !== -1; start = text.indexOf(open, at)) {
    const end = text.indexOf(close, start + open.length);
    if (end === -1) return undefined;
    parts.push(text.slice(at, start));
    at = end + close.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function fail(file: string, rule: string, message: string, format: 'json' | 'xml' = 'json'): Parsed {
  return { format, problem: { severity: 'error', rule, message, location: { file } } };
}

/** The JSON AST, for mapping pointers to line/column; undefined for huge or deep texts. */
export function jsonAst(text: string): DocumentNode | undefined {
  if (text.length > 8 * 1024 * 1024) return undefined;
  try {
    return parseAst(text);
  } catch {
    return undefined;
  }
}
