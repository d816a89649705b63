/** sax (under FHIR.js) reaches for Node streams only for its stream API, which is not used. */
export function Stream(): void {}
export function StringDecoder(): void {}
