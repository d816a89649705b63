/**
 * FHIR JSON to FHIR XML. Element order, types and cardinality come from FHIR.js's bundled R4 type
 * model (through the fhir/fhir-xml.ts adapter); the writer walks only the properties
 * present, straight to indented text. FHIR.js's own `objToXml` visits every possible property of
 * every type (all ~50 `fixed[x]`, `pattern[x]`, ... choices of each ElementDefinition) and took
 * ~100-250 ms per profile here; this takes a few. `referenceXml` keeps FHIR.js's converter for
 * the test that checks both agree.
 */
import { isJsonObject } from './json.ts';
import { escapeXmlAttribute } from './markup.ts';
import { objectToXml, xmlTypeModel, type XmlPropertyDef as PropertyDef, type XmlTypeDef as TypeDef } from './fhir-xml.ts';
import { memo } from '../util/memo.ts';

type Json = Record<string, unknown>;

const PRIMITIVES = new Set([
  'instant',
  'time',
  'date',
  'dateTime',
  'decimal',
  'boolean',
  'integer',
  'base64Binary',
  'string',
  'uri',
  'url',
  'unsignedInt',
  'positiveInt',
  'code',
  'id',
  'oid',
  'markdown',
  'canonical',
  'uuid',
  'integer64'
]);

export function toFhirXml(resource: Json): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  writeResource(out, resource, 0, true);
  return `${out.join('\n')}\n`;
}

function writeResource(out: string[], r: Json, depth: number, root: boolean): void {
  const type = String(r.resourceType);
  const def = xmlTypeModel()[type];
  const pad = padding(depth);
  if (!def) {
    // A resource type R4 does not define (an R5 type a guide carries): its JSON, element by element.
    out.push(`${pad}<${type}${root ? ' xmlns="http://hl7.org/fhir"' : ''}>`);
    writeUntyped(out, r, depth + 1);
    out.push(`${pad}</${type}>`);
    return;
  }
  out.push(`${pad}<${type}${root ? ' xmlns="http://hl7.org/fhir"' : ''}>`);
  writeProperties(out, r, def._properties ?? [], depth + 1, undefined);
  out.push(`${pad}</${type}>`);
}

/** Properties of a type the model lacks, in JSON order: primitives as `value` attributes, objects as elements. */
function writeUntyped(out: string[], obj: Json, depth: number): void {
  const pad = padding(depth);
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (key === 'div' && typeof v === 'string') out.push(pad + v);
      else if (isJsonObject(v) && typeof v.resourceType === 'string') {
        out.push(`${pad}<${key}>`);
        writeResource(out, v, depth + 1, false);
        out.push(`${pad}</${key}>`);
      } else if (isJsonObject(v)) {
        const attrs = attributes(v, key === 'extension' || key === 'modifierExtension' ? 'Extension' : '');
        const rest = Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'id' && !(attrs.includes(' url=') && k === 'url')));
        const at = out.push(`${pad}<${key}${attrs}>`) - 1;
        writeUntyped(out, rest, depth + 1);
        if (out.length === at + 1) out[at] = `${pad}<${key}${attrs}/>`;
        else out.push(`${pad}</${key}>`);
      } else if (v !== null && v !== undefined) out.push(`${pad}<${key} value="${escapeXmlAttribute(String(v))}"/>`);
    }
  }
}

/** Position of each property name in its type's element order. */
const indexOf = memo((props: PropertyDef[]): Map<string, number> => new Map(props.map((p, i) => [p._name, i])));

/** The type's properties present in `obj` (as `name` or `_name`), in definition order. */
function present(obj: Json, props: PropertyDef[]): PropertyDef[] {
  const index = indexOf(props);
  const found = new Set<number>();
  for (const key of Object.keys(obj)) {
    const i = index.get(key.startsWith('_') ? key.slice(1) : key);
    if (i !== undefined) found.add(i);
  }
  return [...found].sort((a, b) => a - b).map(i => props[i]!);
}

function writeProperties(out: string[], obj: Json, props: PropertyDef[], depth: number, parentType: string | undefined): void {
  for (const p of present(obj, props)) {
    const value = obj[p._name];
    const extra = obj[`_${p._name}`];
    if (value === undefined && extra === undefined) continue;
    if (p._name === 'id' && parentType) continue;
    if (parentType === 'Extension' && p._name === 'url') continue;
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    const extras = Array.isArray(extra) ? extra : extra === undefined ? [] : [extra];
    const count = Math.max(values.length, extras.length);
    for (let i = 0; i < count; i++) {
      const extraValue: unknown = extras[i];
      writeProperty(out, p, values[i], isJsonObject(extraValue) ? extraValue : undefined, depth);
    }
  }
}

function writeProperty(out: string[], p: PropertyDef, value: unknown, extra: Json | undefined, depth: number): void {
  const pad = padding(depth);
  if (PRIMITIVES.has(p._type)) return writePrimitive(out, p._name, value, extra, depth);
  if (p._type === 'xhtml') {
    if (typeof value === 'string') out.push(pad + value);
    return;
  }
  if (!isJsonObject(value)) return;
  const v = value;
  if (p._type === 'Resource') {
    out.push(`${pad}<${p._name}>`);
    writeResource(out, v, depth + 1, false);
    out.push(`${pad}</${p._name}>`);
    return;
  }
  const def = propertiesOf(p);
  const attrs = attributes(v, p._type);
  // The children are written straight after the start tag; with none, it becomes an empty-element tag.
  const at = out.push(`${pad}<${p._name}${attrs}>`) - 1;
  writeProperties(out, v, def, depth + 1, p._type);
  if (out.length === at + 1) out[at] = `${pad}<${p._name}${attrs}/>`;
  else out.push(`${pad}</${p._name}>`);
}

const pads: string[] = [];

function padding(depth: number): string {
  return (pads[depth] ??= '  '.repeat(depth));
}

function attributes(v: Json, type: string): string {
  let attrs = typeof v.id === 'string' ? ` id="${escapeXmlAttribute(v.id)}"` : '';
  if (type === 'Extension' && typeof v.url === 'string') attrs += ` url="${escapeXmlAttribute(v.url)}"`;
  return attrs;
}

function writePrimitive(out: string[], name: string, value: unknown, extra: Json | undefined, depth: number): void {
  const pad = padding(depth);
  const id = extra && typeof extra.id === 'string' ? ` id="${escapeXmlAttribute(extra.id)}"` : '';
  const val = value === undefined || value === null ? '' : ` value="${escapeXmlAttribute(String(value))}"`;
  const extension = extra?.extension;
  const extensions: unknown[] = Array.isArray(extension) ? extension : [];
  if (!extensions.length) {
    out.push(`${pad}<${name}${id}${val}/>`);
    return;
  }
  out.push(`${pad}<${name}${id}${val}>`);
  const extensionProp = xmlTypeModel().Element?._properties?.find(p => p._name === 'extension');
  if (extensionProp) for (const e of extensions) writeProperty(out, extensionProp, e, undefined, depth + 1);
  out.push(`${pad}</${name}>`);
}

function propertiesOf(p: PropertyDef): PropertyDef[] {
  if (p._type === 'Element' || p._type === 'BackboneElement') return p._properties ?? [];
  if (!p._type.startsWith('#')) return xmlTypeModel()[p._type]?._properties ?? [];
  const [first, ...rest] = p._type.slice(1).split('.');
  let def: TypeDef | PropertyDef | undefined = xmlTypeModel()[first!];
  for (const name of rest) def = def?._properties?.find(x => x._name === name);
  return def?._properties ?? [];
}

/** FHIR.js's own converter, re-indented the same way: the reference the fast writer is tested against. */
export function referenceXml(resource: object): string {
  const xml = objectToXml(structuredClone(resource));
  const divs: string[] = [];
  const body = xml
    .replace(/^<\?xml[^>]*\?>/, '')
    .replace(/<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml"[\s\S]*?<\/div>(?=<\/text>)/g, m => `<vm-div-${divs.push(m) - 1}/>`);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let depth = 0;
  for (const tag of body.match(/<[^>]+>/g) ?? []) {
    if (tag.startsWith('</')) depth--;
    const div = /^<vm-div-(\d+)\/>$/.exec(tag);
    lines.push('  '.repeat(Math.max(depth, 0)) + (div ? divs[Number(div[1])]! : tag));
    if (!tag.startsWith('</') && !tag.endsWith('/>')) depth++;
  }
  return `${lines.join('\n')}\n`;
}
