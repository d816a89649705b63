/**
 * FHIR.js's ConvertToJs imports ParseConformance only for its default parser (which pulls in
 * all of FHIR.js and its 3 MB of profiles); the browser shim always passes the type table.
 */
export class ParseConformance {
  constructor() {
    throw new Error('ParseConformance is not in the browser bundle');
  }
}
