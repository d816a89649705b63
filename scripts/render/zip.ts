/**
 * The fflate adapter: deterministic zips (sorted names, one fixed timestamp). Level 1: level 6
 * took ~130 ms per build on this guide for a few per cent smaller files.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

// Local time on purpose: zip stores local DOS dates, so this writes the same bytes in every time zone.
const FIXED_TIME = new Date(2000, 0, 1);

export function zipFiles(files: ReadonlyMap<string, string>): Uint8Array {
  const entries: Zippable = {};
  for (const name of [...files.keys()].sort()) entries[name] = [strToU8(files.get(name)!), { mtime: FIXED_TIME, level: 1 }];
  return zipSync(entries);
}
