import type { FhirResource } from '../model/resources.ts';

/** FHIR JSON as every output writes it (fsh-generated, the package, the site, reports): two-space indent, final newline, as SUSHI writes it. */
export function fhirJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A JSON object (not an array, not null): the one narrowing from parsed JSON to its properties. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object with a string `resourceType`: the loose FHIR resource every stage passes on. */
export function isFhirResource(value: unknown): value is FhirResource {
  return isJsonObject(value) && typeof value.resourceType === 'string';
}
