/** Comparing two Quantities: the same system and code, or UCUM units converted (ucum-lhc, through fhirpath). */
import fhirpath from 'fhirpath';

type Obj = Record<string, unknown>;

export const UCUM = 'http://unitsofmeasure.org';

interface UcumUtils {
  convertUnitTo(from: string, value: number, to: string): { status: string; toVal?: number };
}

/** fhirpath's bundled ucum-lhc utilities (a property its typings do not declare), checked for the one method used. */
function ucumUtils(): UcumUtils | undefined {
  const utils: unknown = Reflect.get(fhirpath, 'ucumUtils');
  return isUcumUtils(utils) ? utils : undefined;
}

function isUcumUtils(value: unknown): value is UcumUtils {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'convertUnitTo') === 'function';
}

/** -1, 0, 1 comparing two Quantities (same system and code, or UCUM units that convert); undefined when they cannot be compared. */
export function compareQuantities(value: Obj, limit: Obj): number | undefined {
  const [v, l] = [value.value, limit.value];
  if (typeof v !== 'number' || typeof l !== 'number') return undefined;
  if (typeof value.system !== 'string' || typeof value.code !== 'string' || typeof limit.system !== 'string' || typeof limit.code !== 'string')
    return undefined;
  if (value.system === limit.system && value.code === limit.code) return Math.sign(v - l);
  if (value.system !== UCUM || limit.system !== UCUM) return undefined;
  const ucum = ucumUtils();
  const converted = ucum?.convertUnitTo(value.code, v, limit.code);
  if (!converted || converted.status !== 'succeeded' || typeof converted.toVal !== 'number') return undefined;
  const diff = converted.toVal - l;
  // Conversion factors are floating point: a difference within rounding is equality.
  return Math.abs(diff) <= 1e-9 * Math.max(Math.abs(l), 1) ? 0 : Math.sign(diff);
}
