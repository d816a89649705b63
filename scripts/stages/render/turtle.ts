/**
 * FHIR R4 RDF Turtle of a resource, as the R4 specification's RDF page (rdf.html) defines it and
 * the IG Publisher writes `{Type}-{id}.ttl`: the resource is `<{base}/{Type}/{id}> a fhir:{Type}`
 * with `fhir:nodeRole fhir:treeRoot`; every property is `fhir:{path}`, the path of the element in
 * the type that defines it (its `base.path`: `fhir:Resource.id`, `fhir:DomainResource.text`,
 * `fhir:Element.extension`), a choice element's name ending in its type (`fhir:Observation.valueQuantity`);
 * every value is a node, primitives carrying `fhir:value` with their XML Schema datatype; items of
 * a list carry `fhir:index`; a Reference carries `fhir:link` to the resource it resolves to; a
 * narrative's div is its XHTML as a literal; contained and Bundle resources say their type.
 *
 * Element definitions come from the FHIR core StructureDefinitions (`lookup`). A resource this
 * cannot describe fully (a type or element the core definitions lack) gets no Turtle at all:
 * `toTurtle` returns undefined rather than an incomplete graph.
 */
import type { FhirResource } from '../../model/resources.ts';
import { resourceOf } from '../../fhir/r4.ts';
import { isObjectLike } from './guards.ts';

/** The core StructureDefinition of a type by its name (`Patient`, `HumanName`, `string`). */
export type TypeLookup = (type: string) => FhirResource | undefined;

interface ElementInfo {
  /** Snapshot order, for the order properties are written in. */
  order: number;
  path: string;
  basePath: string;
  types: string[];
  list: boolean;
  /** `#Questionnaire.item`: children are those of that path. */
  contentReference?: string;
}

interface TypeModel {
  /** Children of each path: by JSON name, and choice stems (`value` of `value[x]`). */
  children: Map<string, { named: Map<string, ElementInfo>; choices: Map<string, ElementInfo> }>;
}

class Unsupported extends Error {}

const models = new WeakMap<FhirResource, TypeModel>();

function modelOf(sd: FhirResource): TypeModel {
  const hit = models.get(sd);
  if (hit) return hit;
  const children: TypeModel['children'] = new Map();
  const elements = resourceOf(sd, 'StructureDefinition')?.snapshot?.element ?? [];
  elements.forEach((e, order) => {
    if (e.sliceName !== undefined) return;
    const dot = e.path.lastIndexOf('.');
    if (dot < 0) return;
    const parent = e.path.slice(0, dot);
    const name = e.path.slice(dot + 1);
    let entry = children.get(parent);
    if (!entry) children.set(parent, (entry = { named: new Map(), choices: new Map() }));
    const max = e.base?.max ?? e.max ?? '1';
    const info: ElementInfo = {
      order,
      path: e.path,
      basePath: e.base?.path ?? e.path,
      types: (e.type ?? []).map(t => t.code),
      list: max !== '1' && max !== '0',
      contentReference: e.contentReference
    };
    if (name.endsWith('[x]')) entry.choices.set(name.slice(0, -3), info);
    else entry.named.set(name, info);
  });
  const model = { children };
  models.set(sd, model);
  return model;
}

interface Context {
  lookup: TypeLookup;
  /** Extra subjects (Bundle entries with a fullUrl), written after the resource. */
  subjects: string[];
}

/** The Turtle of a resource whose id is `{base}/{Type}/{id}`, or undefined when it cannot be described fully. */
export function toTurtle(resource: FhirResource, base: string, lookup: TypeLookup): string | undefined {
  const type = resource.resourceType;
  if (typeof resource.id !== 'string') return undefined;
  const subject = `<${iri(`${base.replace(/\/+$/, '')}/${type}/${resource.id}`)}>`;
  const ctx: Context = { lookup, subjects: [] };
  let body: string[];
  try {
    body = resourceProperties(ctx, resource, serverBase(base), '  ');
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const ontology = subject.replace(/>$/, '.ttl>');
  return [
    '@prefix fhir: <http://hl7.org/fhir/> .',
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .',
    '',
    '# - resource -------------------------------------------------------------------',
    '',
    `${subject} a fhir:${type} ;`,
    `  fhir:nodeRole fhir:treeRoot${body.length ? ' ;' : ' .'}`,
    ...joinStatements(body, '.'),
    ...ctx.subjects.flatMap(s => ['', s]),
    '',
    '# - ontology header ------------------------------------------------------------',
    '',
    `${ontology} a owl:Ontology ;`,
    '  owl:imports fhir:fhir.ttl .',
    ''
  ].join('\n');
}

/** Properties (`predicate object` lines) end with ` ;` between them and `end` after the last. */
function joinStatements(lines: string[], end: string): string[] {
  return lines.map((l, i) => (i === lines.length - 1 ? `${l} ${end}` : `${l} ;`));
}

/** The properties of a resource, its own type's definitions. */
function resourceProperties(ctx: Context, resource: Record<string, unknown>, base: string, indent: string): string[] {
  const type = resource.resourceType;
  if (typeof type !== 'string') throw new Unsupported();
  const sd = ctx.lookup(type);
  if (!sd) throw new Unsupported();
  return properties(ctx, modelOf(sd), type, resource, base, indent, new Set(['resourceType']));
}

/** The properties of an object whose elements are `path`'s children in `model`. */
function properties(
  ctx: Context,
  model: TypeModel,
  path: string,
  json: Record<string, unknown>,
  base: string,
  indent: string,
  skip: Set<string> = new Set(),
  objects: Map<string, string> = new Map()
): string[] {
  const entry = model.children.get(path);
  const found: { info: ElementInfo; type: string; key: string }[] = [];
  const names = new Set(Object.keys(json).map(k => (k.startsWith('_') ? k.slice(1) : k)));
  for (const name of names) {
    if (skip.has(name) || name === 'fhir_comments') continue;
    const named = entry?.named.get(name);
    if (named) {
      const type = named.types.length === 1 ? named.types[0]! : named.contentReference ? 'BackboneElement' : undefined;
      if (type === undefined && named.types.length > 1 && !named.types.every(t => t === 'Reference')) throw new Unsupported();
      found.push({ info: named, type: type ?? named.types[0] ?? 'BackboneElement', key: name });
      continue;
    }
    const choice = [...(entry?.choices ?? [])].find(([stem, info]) => name.startsWith(stem) && info.types.some(t => capitalise(t) === name.slice(stem.length)));
    if (!choice) throw new Unsupported();
    const [stem, info] = choice;
    found.push({ info, type: info.types.find(t => capitalise(t) === name.slice(stem.length))!, key: name });
  }
  found.sort((a, b) => a.info.order - b.info.order);
  const out: string[] = [];
  for (const { info, type, key } of found) {
    const stemmed = info.basePath.endsWith('[x]') ? info.basePath.slice(0, -3) + capitalise(type) : info.basePath;
    const predicate = `fhir:${info.types.length > 1 && !info.basePath.endsWith('[x]') && !info.types.every(t => t === 'Reference') ? stemmed + capitalise(type) : stemmed}`;
    const given = objects.get(key);
    if (given !== undefined) {
      out.push(`${indent}${predicate} ${given}`);
      continue;
    }
    const value = json[key];
    const extra = json[`_${key}`];
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    const extras = Array.isArray(extra) ? extra : extra === undefined ? [] : [extra];
    const count = Math.max(values.length, extras.length);
    for (let i = 0; i < count; i++) {
      const index = info.list ? i : undefined;
      out.push(`${indent}${predicate} ${node(ctx, model, info, type, values[i], extras[i], index, base, indent)}`);
    }
  }
  return out;
}

function node(
  ctx: Context,
  model: TypeModel,
  info: ElementInfo,
  type: string,
  value: unknown,
  extra: unknown,
  index: number | undefined,
  base: string,
  indent: string
): string {
  const inner = `${indent}  `;
  const lines: string[] = [];
  if (type === 'xhtml') {
    if (typeof value !== 'string') throw new Unsupported();
    return literal(value);
  }
  if (isPrimitive(type)) {
    if (value !== undefined && value !== null) lines.push(`${inner}fhir:value ${typedLiteral(value, type)}`);
    if (index !== undefined) lines.push(`${inner}fhir:index ${index}`);
    if (isObjectLike(extra)) {
      const sd = ctx.lookup(type);
      if (!sd) throw new Unsupported();
      lines.push(...properties(ctx, modelOf(sd), type, extra, base, inner));
    }
    return block(lines, indent);
  }
  if (!isObjectLike(value) || Array.isArray(value)) throw new Unsupported();
  const object = value;
  if (type === 'Resource' || typeof object.resourceType === 'string') {
    const resourceType = object.resourceType;
    if (typeof resourceType !== 'string') throw new Unsupported();
    lines.push(`${inner}a fhir:${resourceType}`);
    if (index !== undefined) lines.push(`${inner}fhir:index ${index}`);
    lines.push(...resourceProperties(ctx, object, base, inner));
    return block(lines, indent);
  }
  if (index !== undefined) lines.push(`${inner}fhir:index ${index}`);
  if (type === 'Reference' && typeof object.reference === 'string') {
    const link = referenceLink(object.reference, base);
    if (link) lines.push(`${inner}fhir:link <${iri(link)}>`);
  }
  if (type === 'BackboneElement' || type === 'Element') {
    // A backbone element: its children are defined in the same type, under its path (or the path it refers to).
    const path = info.contentReference ? info.contentReference.replace(/^[^#]*#/, '') : info.path;
    lines.push(...entryProperties(ctx, model, path, object, base, inner));
    return block(lines, indent);
  }
  const sd = ctx.lookup(type);
  if (!sd) throw new Unsupported();
  lines.push(...properties(ctx, modelOf(sd), type, object, base, inner));
  return block(lines, indent);
}

/** A Bundle entry's resource with an absolute fullUrl is a subject of its own, named by it; its references resolve against it. */
function entryProperties(ctx: Context, model: TypeModel, path: string, object: Record<string, unknown>, base: string, indent: string): string[] {
  const fullUrl = typeof object.fullUrl === 'string' && /^(https?:\/\/|urn:(uuid|oid):)/.test(object.fullUrl) ? object.fullUrl : undefined;
  const resource = object.resource;
  if (path !== 'Bundle.entry' || !fullUrl || !isObjectLike(resource)) return properties(ctx, model, path, object, base, indent);
  const entryBase = serverBase(fullUrl.replace(/\/[A-Z][A-Za-z]+\/[^/]+(\/_history\/[^/]+)?$/, '')) || base;
  const subject = `<${iri(fullUrl)}>`;
  const own = resourceProperties(ctx, resource, entryBase, '  ');
  ctx.subjects.push([`${subject} a fhir:${String(resource.resourceType)}${own.length ? ' ;' : ' .'}`, ...joinStatements(own, '.')].join('\n'));
  return properties(ctx, model, path, object, entryBase, indent, new Set(), new Map([['resource', subject]]));
}

function block(lines: string[], indent: string): string {
  if (lines.length === 0) return '[ ]';
  if (lines.length === 1 && !lines[0]!.includes('\n') && lines[0]!.trim().length < 80) return `[ ${lines[0]!.trim()} ]`;
  return `[\n${lines.join(' ;\n')}\n${indent}]`;
}

/** The base of a server's RESTful URLs, ending in `/`, that relative references resolve against. */
function serverBase(url: string): string {
  return url ? `${url.replace(/\/+$/, '')}/` : '';
}

/** Where a reference points, as an absolute IRI: absolute URLs as they are, `Type/id` against the base; none for `#id`. */
function referenceLink(reference: string, base: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) return reference;
  if (/^[A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64}(\/_history\/[A-Za-z0-9.-]{1,64})?$/.test(reference) && base) return base + reference;
  return undefined;
}

/** Characters Turtle does not allow in an IRI, percent-encoded. */
function iri(text: string): string {
  return text.replace(/[\u0000-\u0020<>"{}|^`\\]/g, c => encodeURIComponent(c).replace(/%5C/i, '%5C'));
}

function isPrimitive(type: string): boolean {
  return /^[a-z]/.test(type);
}

function capitalise(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

const XSD: Record<string, string> = {
  boolean: 'xsd:boolean',
  integer: 'xsd:integer',
  unsignedInt: 'xsd:nonNegativeInteger',
  positiveInt: 'xsd:positiveInteger',
  decimal: 'xsd:decimal',
  base64Binary: 'xsd:base64Binary',
  instant: 'xsd:dateTime',
  time: 'xsd:time'
};

/** A primitive's value with the XML Schema datatype the R4 RDF format gives its FHIR type. */
export function typedLiteral(value: unknown, type: string): string {
  const text = String(value);
  let datatype = XSD[type];
  if (type === 'date' || type === 'dateTime') {
    // The date part (a time zone after it is not counted): YYYY, YYYY-MM, YYYY-MM-DD, or a full dateTime.
    const length = text.length > 10 ? (/[T ]/.test(text) ? 11 : text.length) : text.length;
    datatype = length > 10 ? 'xsd:dateTime' : length === 10 ? 'xsd:date' : length === 7 ? 'xsd:gYearMonth' : length === 4 ? 'xsd:gYear' : undefined;
  }
  return datatype ? `${literal(text)}^^${datatype}` : literal(text);
}

/** A Turtle string literal. */
export function literal(text: string): string {
  return `"${text.replace(/[\\"\n\r\t]/g, c => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)}"`;
}
