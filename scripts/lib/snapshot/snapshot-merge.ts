/**
 * One differential element applied onto its snapshot element, member by member, as the IG
 * Publisher merges them: what the differential states replaces the base value, except that
 * constraints, conditions, mappings and aliases accumulate (base ones kept, new constraints get
 * this profile as their `source`), and a binding keeps the base value set unless a new one is given.
 * `id`, `path` and `base` always stay the snapshot's.
 */
import type { Element } from './snapshot-tree.ts';

const KEPT = new Set(['id', 'path', 'base', 'extension', 'constraint', 'condition', 'mapping', 'alias', 'binding', 'slicing', 'example']);

export function mergeElement(target: Element, diff: Element, source: string): void {
  for (const [key, value] of Object.entries(diff)) {
    if (KEPT.has(key) || value === undefined) continue;
    if (key.startsWith('fixed') || key.startsWith('pattern')) dropPrefixed(target, key.startsWith('fixed') ? 'fixed' : 'pattern');
    if (key.startsWith('defaultValue')) dropPrefixed(target, 'defaultValue');
    if (key.startsWith('minValue')) dropPrefixed(target, 'minValue');
    if (key.startsWith('maxValue')) dropPrefixed(target, 'maxValue');
    target[key] = structuredClone(value);
  }
  if (Array.isArray(diff.constraint)) {
    const list = [...(target.constraint ?? [])];
    for (const c of diff.constraint) {
      const copy = { ...structuredClone(c), source: c.source ?? source };
      const at = list.findIndex(x => x.key !== undefined && x.key === c.key);
      if (at >= 0) list[at] = copy;
      else list.push(copy);
    }
    target.constraint = list;
  }
  for (const key of ['condition', 'alias'] as const) {
    const more = diff[key];
    if (Array.isArray(more)) target[key] = [...new Set([...(target[key] ?? []), ...more])];
  }
  if (Array.isArray(diff.mapping)) {
    const list = [...(target.mapping ?? [])];
    for (const m of diff.mapping) if (!list.some(x => x.identity === m.identity && x.map === m.map)) list.push(structuredClone(m));
    target.mapping = list;
  }
  if (Array.isArray(diff.example)) target.example = structuredClone(diff.example);
  if (diff.binding && typeof diff.binding === 'object') target.binding = { ...target.binding, ...structuredClone(diff.binding) };
  if (diff.slicing && typeof diff.slicing === 'object') target.slicing = { ...target.slicing, ...structuredClone(diff.slicing) };
  if (Array.isArray(diff.extension)) {
    const incoming = diff.extension;
    const urls = new Set(incoming.map(e => e.url));
    target.extension = [...(target.extension ?? []).filter(e => !urls.has(e.url)), ...structuredClone(incoming)];
  }
}

function dropPrefixed(target: Element, prefix: string): void {
  for (const key of Object.keys(target)) if (key.startsWith(prefix) && /^[A-Z]/.test(key.slice(prefix.length))) delete target[key];
}
