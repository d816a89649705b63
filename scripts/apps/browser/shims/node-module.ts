/**
 * `node:module` for the FHIR.js adapter (scripts/fhir/fhir-xml.ts) in the browser bundle. The
 * adapter loads FHIR.js lazily with createRequire (so Node runs that read only JSON start faster);
 * in the bundle, `require('fhir')` is answered with the one part of FHIR.js the validator uses,
 * XML to an object - the same ConvertToJs that `Fhir.xmlToObj` runs, over FHIR.js's own type table.
 */
import { ConvertToJs } from 'fhir/convertToJs.js';
import types from 'fhir/profiles/types.json' with { type: 'json' };

class Fhir {
  xmlToObj(xml: string): unknown {
    return new ConvertToJs({ parsedStructureDefinitions: types } as never).convert(xml);
  }
}

const MODULES: Record<string, unknown> = { fhir: { Fhir } };

export function createRequire(_from: string): (id: string) => unknown {
  return id => {
    if (!(id in MODULES)) throw new Error(`module ${id} is not in the browser bundle`);
    return MODULES[id];
  };
}
