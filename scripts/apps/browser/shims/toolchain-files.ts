/**
 * `util/toolchain-files.ts` as the FHIR.js adapter (scripts/fhir/fhir-xml.ts) sees it in the
 * browser bundle. The adapter loads FHIR.js lazily through `toolchainRequire` (so Node runs that
 * read only JSON start faster); in the bundle, `toolchainRequire('fhir')` is answered with the one
 * part of FHIR.js the validator uses, XML to an object - the same ConvertToJs that `Fhir.xmlToObj`
 * runs, over FHIR.js's own type table.
 */
import { ConvertToJs } from 'fhir/convertToJs.js';
import types from 'fhir/profiles/types.json' with { type: 'json' };

class Fhir {
  xmlToObj(xml: string): unknown {
    return new ConvertToJs({ parsedStructureDefinitions: types } as never).convert(xml);
  }
}

const MODULES = new Map<string, unknown>([['fhir', { Fhir }]]);

/** The libraries the bundle carries, by the id the adapter asks for. */
export function toolchainRequire(id: string): unknown {
  if (!MODULES.has(id)) throw new Error(`module ${id} is not in the browser bundle`);
  return MODULES.get(id);
}
