/**
 * OpenAPI 3.0 Schema Objects from a profile's snapshot: one property per element that may be
 * sent (elements the profile prohibits, max 0, are left out and, where the snapshot lists every
 * child, refused by `additionalProperties: false`), arrays for repeating elements, `required`
 * from minimum cardinality, fixed and pattern primitive values as single-value enums, choice
 * elements by their allowed types, and references to other profiles' schemas for contained
 * resources. Slices and constraints inside data types are not expressed; the profile and the
 * project's validator remain the authority.
 */
import type { ElementDefinition, ElementDefinitionType, StructureDefinition } from '../../fhir/r4.ts';

export type Schema = Record<string, unknown>;

type Element = ElementDefinition;
type TypeRef = Pick<ElementDefinitionType, 'code' | 'profile'>;

/** An object's schema, as built here (its properties and required list are read back). */
interface ObjectSchema extends Schema {
  type: 'object';
  properties: Record<string, Schema>;
  required?: string[];
  additionalProperties: boolean;
}

export interface ProfileSchemaOptions {
  /** Schema reference for a profile URL used inside this one (e.g. a Bundle's entries). */
  refFor: (profileUrl: string) => string | undefined;
}

const INTEGER = new Set(['integer', 'positiveInt', 'unsignedInt', 'integer64']);
const SYSTEM_STRING = 'http://hl7.org/fhirpath/System.String';

export function profileSchema(sd: StructureDefinition, options: ProfileSchemaOptions): Schema {
  const elements = (sd.snapshot?.element ?? []).filter(e => !e.id?.includes(':'));
  const root = elements[0];
  if (!root) return { type: 'object' };
  const children = childrenIndex(elements);
  const schema = objectSchema(root.path, children, options, true);
  schema.properties = { resourceType: { type: 'string', enum: [String(sd.type)] }, ...schema.properties };
  schema.required = ['resourceType', ...(schema.required ?? [])];
  if (typeof sd.title === 'string') schema.title = sd.title;
  if (typeof sd.url === 'string') schema.description = `${String(sd.description ?? '').split('\n')[0]} (profile ${sd.url})`.trim();
  return schema;
}

function childrenIndex(elements: Element[]): Map<string, Element[]> {
  const index = new Map<string, Element[]>();
  for (const e of elements.slice(1)) {
    const parent = e.path.slice(0, e.path.lastIndexOf('.'));
    index.set(parent, [...(index.get(parent) ?? []), e]);
  }
  return index;
}

function objectSchema(path: string, children: Map<string, Element[]>, options: ProfileSchemaOptions, closed: boolean): ObjectSchema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const e of children.get(path) ?? []) {
    if (e.max === '0') continue;
    const name = e.path.slice(path.length + 1);
    const types = e.type?.length ? e.type : [{ code: 'Element' }];
    if (!name.endsWith('[x]')) {
      properties[name] = cardinality(e, valueSchema(e, types[0]!, children, options));
      if ((e.min ?? 0) > 0) required.push(name);
      continue;
    }
    for (const t of types)
      properties[name.slice(0, -3) + t.code.charAt(0).toUpperCase() + t.code.slice(1)] = cardinality(e, valueSchema(e, t, children, options));
    if (types.length === 1 && (e.min ?? 0) > 0) required.push(Object.keys(properties).at(-1)!);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: !closed };
}

function valueSchema(e: Element, t: TypeRef, children: Map<string, Element[]>, options: ProfileSchemaOptions): Schema {
  const fixed = fixedPrimitive(e);
  if (t.code === 'Resource' || isResourceType(t.code, e)) return resourceSchema(e, options);
  if (t.code === SYSTEM_STRING || t.code === 'xhtml') return { type: 'string' };
  if (t.code === 'boolean') return withEnum({ type: 'boolean' }, fixed);
  if (INTEGER.has(t.code)) return withEnum({ type: 'integer' }, fixed);
  if (t.code === 'decimal') return withEnum({ type: 'number' }, fixed);
  if (/^[a-z]/.test(t.code)) return withEnum({ type: 'string' }, fixed);
  if (children.has(e.path)) return objectSchema(e.path, children, options, t.code === 'BackboneElement');
  return { type: 'object' };
}

/** A resource inside another (Bundle.entry.resource): one of the profiles it may conform to. */
function resourceSchema(e: Element, options: ProfileSchemaOptions): Schema {
  const refs = (e.type ?? []).flatMap(t => (t.profile ?? []).map(p => options.refFor(p)).filter((r): r is string => Boolean(r)));
  if (refs.length === 1) return { $ref: refs[0] };
  if (refs.length > 1) return { oneOf: refs.map(r => ({ $ref: r })) };
  return { type: 'object', required: ['resourceType'], properties: { resourceType: { type: 'string' } } };
}

function isResourceType(code: string, e: Element): boolean {
  return e.path.endsWith('.resource') && /^[A-Z]/.test(code) && code !== 'BackboneElement';
}

/** Arrays follow the base definition (FHIR JSON keeps an array even when a profile allows one item). */
function cardinality(e: Element, item: Schema): Schema {
  const baseMax = e.base?.max ?? e.max;
  if (baseMax === '1' || e.path.split('.').length === 1) return item;
  const max = Number(e.max);
  return { type: 'array', items: item, ...((e.min ?? 0) > 0 ? { minItems: e.min } : {}), ...(Number.isInteger(max) ? { maxItems: max } : {}) };
}

function fixedPrimitive(e: Element): unknown {
  for (const [k, v] of Object.entries(e))
    if ((k.startsWith('fixed') || k.startsWith('pattern')) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return v;
  return undefined;
}

function withEnum(schema: Schema, fixed: unknown): Schema {
  return fixed === undefined ? schema : { ...schema, enum: [fixed] };
}
