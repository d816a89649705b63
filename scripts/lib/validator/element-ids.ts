/**
 * Element ids are unique within a resource, as the HL7 Java validator checks in
 * InstanceValidator.validateElement (DUPLICATE_ID, an error at the second element): every element's
 * id (not the resource's own, a reset point there) shares one set; a nested resource (contained, a Bundle entry, a
 * Parameters resource) starts a set of its own, and so does a StructureDefinition's snapshot
 * (Java resets there: snapshot and differential repeat the same ids by design).
 */
import { child, isObject, type Finding, type Loc } from './state.ts';

export function duplicateElementIds(resource: Record<string, unknown>, loc: Loc): Finding[] {
  const out: Finding[] = [];
  visit(resource, loc, new Set(), out, true);
  return out;
}

function visit(obj: Record<string, unknown>, loc: Loc, ids: Set<string>, out: Finding[], isResource: boolean): void {
  // A resource is a reset point in Java's NodeStack: its own id is not one of its element ids.
  if (!isResource && typeof obj.id === 'string' && obj.id !== '') {
    if (ids.has(obj.id)) out.push({ rule: 'duplicate-id', at: loc, message: `Duplicate id value '${obj.id}'` });
    else ids.add(obj.id);
  }
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'id' || key === 'resourceType' || value === null || typeof value !== 'object') continue;
    const name = key.startsWith('_') ? key.slice(1) : key;
    const scope = isResource && obj.resourceType === 'StructureDefinition' && key === 'snapshot' ? new Set<string>() : ids;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isObject(item)) step(item, child(loc, name, i, key), scope, out);
      });
    } else if (isObject(value)) {
      step(value, child(loc, name, undefined, key), scope, out);
    }
  }
}

function step(item: Record<string, unknown>, loc: Loc, ids: Set<string>, out: Finding[]): void {
  if (typeof item.resourceType === 'string') visit(item, loc, new Set(), out, true);
  else visit(item, loc, ids, out, false);
}
