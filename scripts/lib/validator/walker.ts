/**
 * The structural walk: every JSON property of an instance is matched to an element of the
 * profile snapshot (or of the base type when the profile does not unfold it), then checked for
 * shape, cardinality and slicing, and handed to the per-node checks (nodes.ts).
 */
import { isRepeating, maxOf, type ChildGroup, type ElementNode } from './profile-index.ts';
import { isPrimitiveType } from './primitives.ts';
import { child, isObject, report, type Item, type Loc, type RunState, type Scope } from './state.ts';
import { assignSlices, checkSliceCounts } from './slicing.ts';
import { memo } from '../../util/memo.ts';

interface KeyHit {
  group: ChildGroup;
  typeCode?: string;
}

const keyCacheOf = memo((_groups: Map<string, ChildGroup>) => new Map<string, KeyHit | null>());

/** The element a JSON key names: `status`, or `valueQuantity` for `value[x]` (with its type). */
export function resolveKey(groups: Map<string, ChildGroup>, key: string): KeyHit | undefined {
  const cache = keyCacheOf(groups);
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = findKey(groups, key) ?? null;
    cache.set(key, hit);
  }
  return hit ?? undefined;
}

function findKey(groups: Map<string, ChildGroup>, key: string): KeyHit | undefined {
  const direct = groups.get(key);
  if (direct) return { group: direct, typeCode: singleType(direct.base) };
  for (const [name, group] of groups) {
    if (!name.endsWith('[x]') || !key.startsWith(name.slice(0, -3))) continue;
    const suffix = key.slice(name.length - 3);
    const code = choiceCode(group, suffix);
    if (code) return { group, typeCode: code };
  }
  return undefined;
}

/** The type a choice suffix names, from the base definition's list (a profile may narrow it). */
function choiceCode(group: ChildGroup, suffix: string): string | undefined {
  void group;
  return ALL_CHOICE_TYPES.find(c => c[0]!.toUpperCase() + c.slice(1) === suffix);
}

export const ALL_CHOICE_TYPES = [
  'base64Binary',
  'boolean',
  'canonical',
  'code',
  'date',
  'dateTime',
  'decimal',
  'id',
  'instant',
  'integer',
  'markdown',
  'oid',
  'positiveInt',
  'string',
  'time',
  'unsignedInt',
  'uri',
  'url',
  'uuid',
  'Address',
  'Age',
  'Annotation',
  'Attachment',
  'CodeableConcept',
  'Coding',
  'ContactPoint',
  'Count',
  'Distance',
  'Duration',
  'HumanName',
  'Identifier',
  'Money',
  'Period',
  'Quantity',
  'Range',
  'Ratio',
  'Reference',
  'SampledData',
  'Signature',
  'Timing',
  'ContactDetail',
  'Contributor',
  'DataRequirement',
  'Expression',
  'ParameterDefinition',
  'RelatedArtifact',
  'TriggerDefinition',
  'UsageContext',
  'Dosage',
  'Meta'
];

const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const SYSTEM_TYPES: Record<string, string> = {
  String: 'string',
  Boolean: 'boolean',
  Integer: 'integer',
  Decimal: 'decimal',
  Date: 'date',
  DateTime: 'dateTime',
  Time: 'time'
};

/** The one FHIR type of an element; FHIRPath system types map to their FHIR type (Resource.id is an id). */
export const singleType: (node: ElementNode) => string | undefined = memo(computeType);

function computeType(node: ElementNode): string | undefined {
  const types = node.el.type;
  if (!types || types.length !== 1) return undefined;
  const t = types[0]!;
  if (!t.code.startsWith('http://hl7.org/fhirpath/System.')) return t.code;
  if (node.index.sd.kind === 'resource' && /^[A-Za-z]+\.id$/.test(node.el.path)) return 'id';
  const extensions: unknown = t.extension;
  const ext = Array.isArray(extensions) ? extensions.find((e): e is Record<string, unknown> => isObject(e) && e.url === FHIR_TYPE_EXT) : undefined;
  const named = ext?.valueUrl ?? ext?.valueUri;
  return typeof named === 'string' ? named : (SYSTEM_TYPES[t.code.slice('http://hl7.org/fhirpath/System.'.length)] ?? 'string');
}

export type ItemVisitor = (item: Item, node: ElementNode, typeCode: string | undefined, scope: Scope) => void;

/** Check every property of `obj` against `groups`, then visit each item with `visit`. */
export function visitMembers(
  state: RunState,
  obj: Record<string, unknown>,
  groups: Map<string, ChildGroup>,
  loc: Loc,
  scope: Scope,
  isResource: boolean,
  visit: ItemVisitor
): void {
  const found = new Map<ChildGroup, { key: string; typeCode?: string }[]>();
  for (const key of Object.keys(obj)) {
    if (isResource && key === 'resourceType') continue;
    const name = key.startsWith('_') ? key.slice(1) : key;
    const hit = resolveKey(groups, name);
    if (!hit) {
      report(state, 'error', 'unknown-element', child(loc, key), `Unrecognised property '${key}'`);
      continue;
    }
    if (key !== name && !isPrimitiveType(hit.typeCode ?? '')) {
      report(state, 'error', 'unknown-element', child(loc, key), `'${key}' is only allowed for primitive elements; '${name}' is not one`);
      continue;
    }
    if (key !== name && obj[name] !== undefined) continue;
    const list = found.get(hit.group) ?? [];
    list.push({ key: name, typeCode: hit.typeCode });
    found.set(hit.group, list);
  }
  for (const [name, group] of groups) visitGroup(state, obj, group, found.get(group) ?? [], loc, scope, visit, name);
}

function visitGroup(
  state: RunState,
  obj: Record<string, unknown>,
  group: ChildGroup,
  keys: { key: string; typeCode?: string }[],
  loc: Loc,
  scope: Scope,
  visit: ItemVisitor,
  name: string
): void {
  if (keys.length > 1) {
    report(state, 'error', 'type', child(loc, keys[1]!.key), `Only one of ${keys.map(k => k.key).join(', ')} is allowed: ${name} is a single choice`);
  }
  const first = keys[0];
  const items = first ? collectItems(state, obj, first.key, first.typeCode, group.base, loc) : [];
  if (first) checkAllowedType(state, group.base, first, loc);
  checkCardinality(state, group.base, items, loc, name);
  if (group.slices.length > 0 || group.base.el.slicing) {
    const slicing = assignSlices(state, group, items, scope, first?.typeCode);
    checkSliceCounts(state, group, items, slicing, loc);
    items.forEach((item, i) => visit(item, slicing.assigned[i] ?? group.base, first?.typeCode, scope));
    return;
  }
  for (const item of items) visit(item, group.base, first?.typeCode, scope);
}

function checkAllowedType(state: RunState, node: ElementNode, hit: { key: string; typeCode?: string }, loc: Loc): void {
  if (!node.name.endsWith('[x]') || !hit.typeCode) return;
  const allowed = (node.el.type ?? []).map(t => t.code);
  if (!allowed.includes(hit.typeCode)) {
    report(state, 'error', 'type', child(loc, hit.key), `${hit.typeCode} is not allowed for ${node.el.path}; allowed: ${allowed.join(', ')}`);
  }
}

function collectItems(state: RunState, obj: Record<string, unknown>, key: string, typeCode: string | undefined, node: ElementNode, loc: Loc): Item[] {
  const raw = obj[key];
  const rawExt = obj[`_${key}`];
  const repeating = isRepeating(node.el);
  if (!repeating) {
    if (Array.isArray(raw) || Array.isArray(rawExt)) {
      if (state.options.xml && Array.isArray(raw)) {
        return raw.map((v, i) => ({ value: v, ext: Array.isArray(rawExt) ? rawExt[i] : undefined, loc: child(loc, key, i) }));
      }
      report(state, 'error', 'type', child(loc, key), `${node.el.path} is a single value, not an array`);
      return [];
    }
    return present(state, raw, rawExt, child(loc, key, undefined, raw === undefined ? `_${key}` : key), typeCode)
      ? [{ value: raw, ext: rawExt, loc: child(loc, key, undefined, raw === undefined ? `_${key}` : key) }]
      : [];
  }
  const values = asArray(state, raw, child(loc, key), node);
  const exts = asArray(state, rawExt, child(loc, `_${key}`), node);
  if (!values || !exts) return [];
  if (raw !== undefined && rawExt !== undefined && values.length !== exts.length) {
    report(state, 'error', 'type', child(loc, `_${key}`), `'_${key}' must have one entry per entry of '${key}' (${exts.length} vs ${values.length})`);
  }
  const items: Item[] = [];
  for (let i = 0; i < Math.max(values.length, exts.length); i++) {
    const itemLoc = child(loc, key, i, raw === undefined ? `_${key}` : key);
    if (present(state, values[i], exts[i], itemLoc, typeCode)) items.push({ value: values[i], ext: exts[i], loc: itemLoc });
  }
  return items;
}

function asArray(state: RunState, raw: unknown, loc: Loc, node: ElementNode): unknown[] | undefined {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    report(state, 'error', 'type', loc, `${node.el.path} repeats, so it must be a JSON array`);
    return undefined;
  }
  if (raw.length === 0) report(state, 'error', 'type', loc, `${node.el.path}: an array must not be empty (leave the property out)`);
  return raw;
}

/** False for an absent slot; reports null where it is not allowed. */
function present(state: RunState, value: unknown, ext: unknown, loc: Loc, typeCode: string | undefined): boolean {
  if (value === undefined && ext === undefined) return false;
  const primitive = isPrimitiveType(typeCode ?? '');
  if ((value === null && (ext === undefined || ext === null)) || (ext === null && value === undefined) || (value === null && !primitive)) {
    report(state, 'error', 'type', loc, 'null is not allowed in FHIR JSON (leave the property out)');
    return false;
  }
  return true;
}

function checkCardinality(state: RunState, node: ElementNode, items: Item[], loc: Loc, name: string): void {
  const min = node.el.min ?? 0;
  const max = maxOf(node.el);
  if (items.length < min) {
    report(state, 'error', 'cardinality-min', loc, `${node.el.path}: minimum required = ${min}, but only found ${items.length}`);
  }
  if (items.length > max) {
    const where = items[max]!.loc;
    const message =
      max === 0
        ? `${node.el.path} is not allowed here (prohibited by the profile, max 0)`
        : `${node.el.path}: maximum allowed = ${max}, but found ${items.length}`;
    report(state, 'error', 'cardinality-max', max === 0 ? where : loc, message);
  }
  void name;
}

export function isObjectValue(value: unknown): value is Record<string, unknown> {
  return isObject(value);
}
