/** fixed[x] and pattern[x]: exact equality, and "contains at least this" for patterns. */
import { fixedOrPattern, type FixedValue } from '../fhir/elements.ts';
import { memo } from '../memo.ts';
import type { ElementDefinition } from './profile-index.ts';
import { clip } from './primitives.ts';
import type { CheckContext, Finding } from './state.ts';

export type { FixedValue };

/** `fixedOrPattern`, looked up once per element (the walker asks for every node). */
export const fixedOf: (el: ElementDefinition) => FixedValue | undefined = memo(fixedOrPattern);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(k => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Every property of `pattern` is in `value`; each pattern array item matches some value item. */
export function containsPattern(value: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'object' || pattern === null) return value === pattern;
  if (Array.isArray(pattern)) {
    const values = Array.isArray(value) ? value : [value];
    return pattern.every(p => values.some(v => containsPattern(v, p)));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const obj = value as Record<string, unknown>;
  return Object.entries(pattern).every(([k, p]) => obj[k] !== undefined && containsPattern(obj[k], p));
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
  min?: unknown;
  max?: unknown;
}

const limitsOf: (el: ElementDefinition) => Limits | undefined = memo(el => {
  const bound = (prefix: 'minValue' | 'maxValue') => {
    const key = Object.keys(el).find(k => k.startsWith(prefix) && /^[A-Z]/.test(k.slice(prefix.length)));
    return key === undefined ? undefined : el[key];
  };
  const limits: Limits = { maxLength: typeof el.maxLength === 'number' ? el.maxLength : undefined, min: bound('minValue'), max: bound('maxValue') };
  return limits.maxLength === undefined && limits.min === undefined && limits.max === undefined ? undefined : limits;
});

export function checkLimits({ value, node }: CheckContext): Finding[] {
  const limits = limitsOf(node.el);
  if (!limits) return [];
  const path = node.el.path;
  const out: Finding[] = [];
  const { maxLength, min, max } = limits;
  if (maxLength !== undefined && typeof value === 'string' && value.length > maxLength) {
    out.push({ rule: 'max-length', message: `The value is ${value.length} characters long; ${path} allows at most ${maxLength}` });
  }
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
