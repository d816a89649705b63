/**
 * The check page carries the closure of the guide and the types it sends: a corpus case built on a
 * type or definition the payload leaves out (a Questionnaire, a Composition, a core extension)
 * cannot give the CLI's answer there, and the page says so instead. Tests comparing the two hosts
 * skip those cases.
 */
export function outsidePayload(omittedUrls: readonly string[]): (text: Buffer | string) => boolean {
  const omitted = new Set(omittedUrls);
  return text =>
    [...text.toString().matchAll(/"(?:resourceType|url)"\s*:\s*"([^"]+)"|<([A-Z][A-Za-z]+) xmlns="http:\/\/hl7\.org\/fhir"/g)].some(m =>
      omitted.has(m[1]?.includes('/') ? m[1] : `http://hl7.org/fhir/StructureDefinition/${m[1] ?? m[2]}`)
    );
}

/** The payload script's JSON (`...=JSON-string;`). */
export function parsePayloadScript(js: string): { omitted: string[] } {
  return JSON.parse(JSON.parse(js.slice(js.indexOf('=') + 1, js.lastIndexOf(';')))) as { omitted: string[] };
}
