/**
 * Narrowings the render stage makes of JSON it shows whatever its resource type (an artifact's
 * metadata, a Bundle's entries). Candidates for fhir/json.ts beside `isJsonObject`.
 */
import { isJsonObject } from '../../fhir/json.ts';

/** The JSON objects of a list (an absent or non-list value has none). */
export function objectsIn(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** A string property's value; undefined when absent or of another type. */
export function stringIn(value: Record<string, unknown>, key: string): string | undefined {
  const v = value[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Any object, arrays included, as a map of its properties: what `typeof v === 'object'` code
 * reads by key (an array's keys are its indices). Use `isJsonObject` where an array is not wanted.
 */
export function isObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
