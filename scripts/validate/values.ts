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
