/**
 * Duplicate property names in a JSON object: JSON.parse silently keeps the last one, the HL7 Java
 * validator reports each repeat as an error (DUPLICATE_JSON_PROPERTY). One linear scan of text
 * that already parsed as JSON; pure JavaScript.
 */
import type { Pointer } from './state.ts';

interface Frame {
  object: boolean;
  keys: Set<string>;
  key?: string;
  index: number;
  expectKey: boolean;
}

export interface DuplicateKey {
  key: string;
  pointer: Pointer;
}

/** Repeated property names with the JSON pointer of their object (at most `limit`). */
export function duplicateKeys(text: string, limit = 20): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n && out.length < limit; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) {
          escaped = true;
          i++;
          continue;
        }
        if (c === 34) break;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const raw = text.slice(start + 1, i);
        const key = escaped ? String(JSON.parse(`"${raw}"`)) : raw;
        if (top.keys.has(key)) out.push({ key, pointer: pointerOf(stack.slice(0, -1)) });
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      stack.push({ object: ch === 123, keys: new Set(), index: 0, expectKey: ch === 123 });
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) {
      stack.pop();
    } else if (ch === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (!top) continue;
      if (top.object) top.expectKey = true;
      else top.index++;
    }
  }
  return out;
}

function pointerOf(frames: Frame[]): Pointer {
  return frames.map(f => (f.object ? (f.key ?? '') : f.index));
}
