/** The `fhir` (FHIR.js) adapter: FHIR JSON to FHIR XML, indented two spaces per level. */
import { Fhir } from 'fhir';

let converter: Fhir | undefined;
/** Conversions by JSON text: FHIR.js takes ~100 ms on a profile with a snapshot, so the dev loop reuses them. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 5000;

export function toFhirXml(resource: object, json = JSON.stringify(resource)): string {
  const hit = cache.get(json);
  if (hit !== undefined) return hit;
  converter ??= new Fhir();
  const xml = indentXml(converter.objToXml(JSON.parse(json) as object));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(json, xml);
  return xml;
}

const NARRATIVE = /<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml"[\s\S]*?<\/div>(?=<\/text>)/g;

/** Indent the converter's one-line XML; narrative XHTML stays as written, on one line. */
function indentXml(xml: string): string {
  const divs: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>/, '').replace(NARRATIVE, m => `<vm-div-${divs.push(m) - 1}/>`);
  const lines: string[] = [];
  let depth = 0;
  for (const tag of body.match(/<[^>]+>/g) ?? []) {
    if (tag.startsWith('</')) depth--;
    const div = /^<vm-div-(\d+)\/>$/.exec(tag);
    lines.push('  '.repeat(Math.max(depth, 0)) + (div ? divs[Number(div[1])]! : tag));
    if (!tag.startsWith('</') && !tag.endsWith('/>')) depth++;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${lines.join('\n')}\n`;
}
