/**
 * Writes the compiled guide to fsh-generated/ the way `sushi build` lays it out
 * (fsh-generated/resources/<FileName>.json, 2-space JSON), atomically: everything goes to a
 * staging folder first and is swapped into place, so a failed compile leaves the previous
 * output intact.
 */
import { mkdirSync } from 'node:fs';
import { writeInside } from '../../util/atomic.ts';
import type { CompiledResource } from '../../model/resources.ts';
import { fhirJson } from '../../fhir/json.ts';

export function writeResources(resourcesDir: string, resources: readonly CompiledResource[]): void {
  mkdirSync(resourcesDir, { recursive: true });
  for (const r of resources) if (!r.predefined) writeInside(resourcesDir, r.fileName, fhirJson(r.resource));
}
