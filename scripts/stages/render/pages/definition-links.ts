/** Where an element's detailed description is: the `{Type}-{id}-definitions.html` page and its anchors. */
import { fragment } from '../html.ts';
import type { Artifact } from '../model.ts';
import { elementsOf } from './element-model.ts';

export function definitionsPath(a: Artifact): string {
  return `${a.base}-definitions.html`;
}

/** Link from a tree row or constraint to an element's detailed description. */
export function definitionHref(a: Artifact, id: string): string {
  return `${definitionsPath(a)}#${fragment(describedId(a, id))}`;
}

const snapshotIds = new WeakMap<object, Set<string>>();

/**
 * The snapshot element whose detailed description covers `id` (the page has one section per
 * snapshot element): the id itself; else, for a differential that names a choice by its type
 * (`value[x]` as `valueUnsignedInt`), the choice element; else its nearest ancestor.
 */
export function describedId(a: Artifact, id: string): string {
  let ids = snapshotIds.get(a.resource);
  if (!ids) snapshotIds.set(a.resource, (ids = new Set(elementsOf(a.resource, 'snapshot').map(e => e.id))));
  if (ids.size === 0 || ids.has(id)) return id;
  const choice = id.replace(/\.([a-z][A-Za-z0-9]*?)[A-Z][A-Za-z0-9]*(?=$|[.:])/g, '.$1[x]');
  if (ids.has(choice)) return choice;
  for (let at = Math.max(id.lastIndexOf('.'), id.lastIndexOf(':')); at > 0; at = Math.max(id.lastIndexOf('.', at - 1), id.lastIndexOf(':', at - 1))) {
    if (ids.has(id.slice(0, at))) return id.slice(0, at);
  }
  return id;
}
