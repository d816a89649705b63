/**
 * Profiles the base specification applies by code, not by meta.profile: an Observation with a
 * LOINC code of the R4 vital signs list SHALL conform to that sign's profile (R4
 * observation-vitalsigns.html: "If implementations use this code, they SHALL conform to the
 * profile"), and the Java validator checks it (VALIDATION_VAL_PROFILE_SIGNPOST_OBS). The codes
 * are those the R4 profiles fix on Observation.code.
 */
import { isObject } from './state.ts';

const LOINC = 'http://loinc.org';
const BASE = 'http://hl7.org/fhir/StructureDefinition/';

const VITAL_SIGNS: Record<string, string> = {
  '85353-1': 'vitalspanel',
  '9279-1': 'resprate',
  '8867-4': 'heartrate',
  '2708-6': 'oxygensat',
  '8310-5': 'bodytemp',
  '8302-2': 'bodyheight',
  '9843-4': 'headcircum',
  '29463-7': 'bodyweight',
  '39156-5': 'bmi',
  '85354-9': 'bp'
};

export function profilesByCode(resource: Record<string, unknown>): string[] {
  if (resource.resourceType !== 'Observation' || !isObject(resource.code) || !Array.isArray(resource.code.coding)) return [];
  const out: string[] = [];
  for (const c of resource.code.coding) {
    if (!isObject(c) || c.system !== LOINC || typeof c.code !== 'string') continue;
    const name = VITAL_SIGNS[c.code];
    if (name && !out.includes(BASE + name)) out.push(BASE + name);
  }
  return out;
}
