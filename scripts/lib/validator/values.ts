/** fixed[x] and pattern[x]: exact equality, and "contains at least this" for patterns. */
import { fixedOrPattern, type FixedValue } from '../../fhir/elements.ts';
import { memo } from '../../util/memo.ts';
import type { ElementDefinition } from './profile-index.ts';
import { clip } from './primitives.ts';
import { isObject, type CheckContext, type Finding } from './state.ts';
import { compareQuantities, UCUM } from './quantity.ts';

export type { FixedValue };

/** `fixedOrPattern`, looked up once per element (the walker asks for every node). */
export const fixedOf: (el: ElementDefinition) => FixedValue | undefined = memo(fixedOrPattern);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every(k => deepEqual(a[k], b[k]));
}

/** Every property of `pattern` is in `value`; each pattern array item matches some value item. */
export function containsPattern(value: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'object' || pattern === null) return value === pattern;
  if (Array.isArray(pattern)) {
    const values = Array.isArray(value) ? value : [value];
    return pattern.every(p => values.some(v => containsPattern(v, p)));
  }
  if (!isObject(value)) return false;
  return Object.entries(pattern).every(([k, p]) => value[k] !== undefined && containsPattern(value[k], p));
}

export function checkFixed({ value, node }: CheckContext): Finding[] {
  const fixed = fixedOf(node.el);
  if (!fixed || value === undefined || value === null) return [];
  if (fixed.kind === 'fixed' && !deepEqual(value, fixed.value)) {
    return [{ rule: 'fixed-value', message: `Value must be exactly ${show(fixed.value)} (${fixed.key}), found ${show(value)}` }];
  }
  if (fixed.kind === 'pattern' && !containsPattern(value, fixed.value)) {
    return [{ rule: 'pattern-value', message: `Value must match the pattern ${show(fixed.value)} (${fixed.key}), found ${show(value)}` }];
  }
  return [];
}

function show(value: unknown): string {
  return clip(JSON.stringify(value), 120);
}

/**
 * ElementDefinition.maxLength, minValue[x] and maxValue[x] on a primitive, as the Java validator
 * checks them: the length of the value's text, and numbers (and dates of the same precision)
 * against the bounds. Quantity bounds are not checked.
 */
interface Limits {
  maxLength?: number;
  /** The core `minLength` extension on the element definition (R4 has no minLength element). */
  minLength?: number;
  min?: unknown;
  max?: unknown;
}

const limitsOf: (el: ElementDefinition) => Limits | undefined = memo(el => {
  const bound = (prefix: 'minValue' | 'maxValue') => {
    const key = Object.keys(el).find(k => k.startsWith(prefix) && /^[A-Z]/.test(k.slice(prefix.length)));
    return key === undefined ? undefined : el[key];
  };
  const minLength = (Array.isArray(el.extension) ? el.extension : []).find(
    (e): e is Record<string, unknown> => isObject(e) && e.url === MIN_LENGTH
  )?.valueInteger;
  const limits: Limits = {
    maxLength: typeof el.maxLength === 'number' ? el.maxLength : undefined,
    minLength: typeof minLength === 'number' ? minLength : undefined,
    min: bound('minValue'),
    max: bound('maxValue')
  };
  return Object.values(limits).every(v => v === undefined) ? undefined : limits;
});

const MIN_LENGTH = 'http://hl7.org/fhir/StructureDefinition/minLength';

export function checkLimits({ value, node }: CheckContext): Finding[] {
  const limits = limitsOf(node.el);
  if (!limits) return [];
  const path = node.el.path;
  const out: Finding[] = [];
  const { maxLength, min, max } = limits;
  if (maxLength !== undefined && typeof value === 'string' && value.length > maxLength) {
    out.push({ rule: 'max-length', message: `The value is ${value.length} characters long; ${path} allows at most ${maxLength}` });
  }
  if (limits.minLength !== undefined && typeof value === 'string' && value.length < limits.minLength) {
    // Java: TYPE_SPECIFIC_CHECKS_DT_STRING_LENGTH (minimum length)
    out.push({ rule: 'min-length', message: `The value is ${value.length} characters long; ${path} needs at least ${limits.minLength}` });
  }
  if (isObject(value)) return out;
  if (min !== undefined && below(value, min))
    out.push({ rule: 'min-value', message: `The value ${show(value)} is less than the minimum ${show(min)} for ${path}` });
  if (max !== undefined && below(max, value))
    out.push({ rule: 'max-value', message: `The value ${show(value)} is more than the maximum ${show(max)} for ${path}` });
  return out;
}

/** a < b, for two numbers, or two dates / times written to the same precision. */
function below(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string' && a.length === b.length && /^[0-9]/.test(a) && /^[0-9]/.test(b)) return a < b;
  return false;
}

const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'MoneyQuantity', 'SimpleQuantity']);

/**
 * minValueQuantity / maxValueQuantity on a Quantity (and Age, Duration, ...), as the Java
 * validator's checkQuantity: the same code compares values (TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_WRONG),
 * UCUM units are converted first (_MIN_VALUE_WRONG_UCUM; units that do not convert are an error,
 * _MIN_MIN_NO_CONVERT); a missing or different system, or other codes, only warn (_MIN_VALUE_NO_SYSTEM,
 * _MIN_SYSTEM_MISMATCH, _MIN_CODE_MISMATCH). Likewise for the maximum.
 */
export function checkQuantityLimits({ value, node, code }: CheckContext): Finding[] {
  if (!isObject(value) || !QUANTITY_TYPES.has(code ?? '')) return [];
  const limits = limitsOf(node.el);
  if (!limits || typeof value.value !== 'number') return [];
  const out: Finding[] = [];
  for (const [limit, isMin] of [
    [limits.min, true],
    [limits.max, false]
  ] as const) {
    if (!isObject(limit) || typeof limit.value !== 'number') continue;
    const word = isMin ? 'minimum' : 'maximum';
    const shown = `${limit.value}${typeof limit.code === 'string' ? ` ${limit.code}` : ''}`;
    const r = compareQuantities(value, limit);
    if (r === undefined) {
      const ucum = value.system === UCUM && limit.system === UCUM && typeof value.code === 'string' && typeof limit.code === 'string';
      out.push({
        severity: ucum ? 'error' : 'warning',
        rule: isMin ? 'min-value' : 'max-value',
        message: ucum
          ? `The value ${value.value} ${value.code} cannot be converted to ${limit.code} to compare it with the ${word} ${shown} for ${node.el.path}`
          : `The value's system or code differs from the ${word} ${shown} for ${node.el.path}, so it was not compared`
      });
    } else if (isMin ? r < 0 : r > 0) {
      out.push({
        rule: isMin ? 'min-value' : 'max-value',
        message: `The value ${value.value}${typeof value.code === 'string' ? ` ${value.code}` : ''} is ${isMin ? 'less' : 'more'} than the ${word} ${shown} for ${node.el.path}`
      });
    }
  }
  return out;
}
