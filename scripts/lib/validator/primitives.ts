/**
 * FHIR R4 primitive types: the JSON shape each one takes and the spec's regular expressions,
 * plus the calendar checks a regex cannot do (no 30 February, no hour 24). Every pattern here runs
 * on input from elsewhere, so each is written to match in linear time (no two ways to split a
 * string between adjacent quantifiers); test/security/ checks each on 1 MB of adversarial input.
 */
const DATE = /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$/;
const DATETIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
const INSTANT =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

const PATTERNS: Record<string, RegExp> = {
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  code: /^[^\s]+( [^\s]+)*$/,
  oid: /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/,
  uuid: /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  uri: /^\S*$/,
  url: /^\S*$/,
  canonical: /^\S*$/,
  // The spec's (\s*([0-9a-zA-Z+/=]){4}\s*)+ backtracks exponentially; this accepts the same strings in linear time.
  base64Binary: /^\s*(?:[0-9a-zA-Z+/=]{4}\s*)+$/,
  time: /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/,
  date: DATE,
  dateTime: DATETIME,
  instant: INSTANT
};

const NUMBER_TYPES = new Set(['integer', 'decimal', 'positiveInt', 'unsignedInt', 'integer64']);
const BOOLEAN_TYPES = new Set(['boolean']);
export const PRIMITIVE_TYPES = new Set([
  'boolean',
  'integer',
  'string',
  'decimal',
  'uri',
  'url',
  'canonical',
  'base64Binary',
  'instant',
  'date',
  'dateTime',
  'time',
  'code',
  'oid',
  'id',
  'markdown',
  'unsignedInt',
  'positiveInt',
  'uuid',
  'xhtml'
]);

export function isPrimitiveType(code: string): boolean {
  return PRIMITIVE_TYPES.has(code) || code.startsWith('http://hl7.org/fhirpath/System.');
}

/** The JSON value type a primitive takes. */
export function jsonTypeOf(code: string): 'number' | 'boolean' | 'string' {
  if (NUMBER_TYPES.has(code)) return 'number';
  if (BOOLEAN_TYPES.has(code)) return 'boolean';
  return 'string';
}

/** A problem with a primitive value: the wrong JSON type (rule `type`) or format; undefined when valid. */
export function checkPrimitive(code: string, value: unknown): { rule: 'type' | 'primitive-format'; message: string } | undefined {
  const expected = jsonTypeOf(code);
  if (typeof value !== expected) return { rule: 'type', message: `a ${code} must be a JSON ${expected}, found ${describe(value)}` };
  const message = formatProblem(code, value);
  return message === undefined ? undefined : { rule: 'primitive-format', message };
}

function formatProblem(code: string, value: unknown): string | undefined {
  const expected = jsonTypeOf(code);
  if (expected === 'number') return typeof value === 'number' ? checkNumber(code, value) : undefined;
  if (expected === 'boolean' || typeof value !== 'string') return undefined;
  const text = value;
  if (text.length === 0) return `a ${code} must not be an empty string (leave the element out instead)`;
  if (code !== 'xhtml' && text.trim().length === 0) return `a ${code} must have non-whitespace content`;
  const pattern = PATTERNS[code];
  if (pattern && !pattern.test(text)) return `'${clip(text)}' is not a valid ${code}`;
  if (code === 'date' || code === 'dateTime' || code === 'instant') return checkCalendar(code, text);
  if (code === 'decimal') return undefined;
  return undefined;
}

function checkNumber(code: string, n: number): string | undefined {
  if (!Number.isFinite(n)) return `${n} is not a valid ${code}`;
  if (code === 'decimal') return undefined;
  if (!Number.isInteger(n)) return `${n} is not a valid ${code} (not a whole number)`;
  if (code === 'integer' && (n < -2147483648 || n > 2147483647)) return `${n} is outside the 32-bit range of an integer`;
  if (code === 'positiveInt' && (n < 1 || n > 2147483647)) return `${n} is not a positiveInt (1 or more)`;
  if (code === 'unsignedInt' && (n < 0 || n > 2147483647)) return `${n} is not an unsignedInt (0 or more)`;
  return undefined;
}

/** Days in a month exist (30 February does not). */
function checkCalendar(code: string, text: string): string | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text);
  if (!m || !m[3]) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day > days ? `'${text}' is not a valid ${code}: ${m[1]}-${m[2]} has ${days} days` : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${clip(JSON.stringify(value))}`;
}

export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
