/**
 * The fflate adapter, the only module that imports it: deterministic archives for the site's
 * downloads and the package. Zips have sorted names and one fixed timestamp; fflate writes the
 * container and each entry is deflated by Node's zlib and handed over pre-compressed (fflate's
 * own deflate took ~200-350 ms per build here for the two zips, zlib ~30 ms). Gzip streams carry
 * no timestamp and are zlib's too.
 */
import { crc32, deflateRawSync, gzipSync as zlibGzip } from 'node:zlib';
import { strToU8, Zip, type ZipInputFile } from 'fflate';
import { TextMemo } from './memo.ts';
import { sameContent } from './atomic.ts';

/**
 * Gzip by Node's zlib at its default level, 6 (what npm and tar use): level 9 took twice as long
 * on a 300-resource package (154 ms against 72 ms) for 1.7% less. Its header has a zero mtime,
 * so the same bytes in give the same bytes out.
 */
export function gzip(data: Uint8Array): Uint8Array {
  return zlibGzip(data, { level: 6 });
}

// Local time on purpose: zip stores local DOS dates, so this writes the same bytes in every time zone.
const FIXED_TIME = new Date(2000, 0, 1);

/**
 * A zip of the files given (text or bytes), names sorted. Files that are compressed already
 * (`.zip`, `.tgz`, `.gz`, `.png`, `.jpg`, `.jpeg`, `.gif`, `.webp`, `.woff2`) are stored, not deflated again:
 * deflating them gains nothing and costs the most (the site's own zips inside full-ig.zip).
 * `fast` deflates at zlib's level 1: for the whole site (full-ig.zip, 100 MB of HTML on a large
 * guide) about a third of level 6's time for output about 15% larger.
 */
export function zipFiles(files: ReadonlyMap<string, string | Uint8Array>, options: { fast?: boolean; reuse?: ZipReuse } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  const level = options.fast ? 1 : 6;
  const reuse = options.reuse;
  const kept = new Map<string, KeptEntry>();
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name)!;
    if (!reuse) {
      addEntry(zip, name, content, level);
      continue;
    }
    const before = reuse.entries.get(name);
    const entry =
      before && before.level === level && sameContent(before.content, content) ? before : { content, level, ...packEntry(name, content, level, false) };
    kept.set(name, entry);
    addPacked(zip, name, entry.packed, entry.method);
  }
  zip.end();
  if (reuse) reuse.entries = kept;
  return concat(chunks);
}

/**
 * The entries of the last zip made with it, by name: a zip made again from mostly the same files
 * (the dev loop's full-ig.zip after an edit) deflates only the files that changed. It holds one
 * zip's entries, never more, unlike the per-text memo, which a whole site would overflow.
 */
export class ZipReuse {
  entries = new Map<string, KeptEntry>();
}

interface KeptEntry {
  content: string | Uint8Array;
  level: number;
  packed: Deflated;
  method: 0 | 8;
}

const COMPRESSED = /\.(zip|tgz|gz|png|jpe?g|gif|webp|woff2?)$/i;

interface Deflated {
  size: number;
  crc: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/** Each text deflated once per level: the dev loop zips the same unchanged resources on every render. */
const deflated = new Map([1, 6].map(level => [level, new TextMemo<Deflated>(32 * 1024 * 1024, d => d.bytes.length)]));

function addEntry(zip: Zip, filename: string, content: string | Uint8Array, level: number): void {
  const { packed, method } = packEntry(filename, content, level, true);
  addPacked(zip, filename, packed, method);
}

/** An entry's bytes as stored: deflated (through the per-text memo when `memo`), or as they are when compressed already. */
function packEntry(filename: string, content: string | Uint8Array, level: number, memo: boolean): { packed: Deflated; method: 0 | 8 } {
  if (typeof content === 'string') {
    const make = () => deflate(strToU8(content), level);
    return { packed: memo ? deflated.get(level)!.get(content, make) : make(), method: 8 };
  }
  if (COMPRESSED.test(filename)) {
    const bytes = new Uint8Array(content);
    return { packed: { size: bytes.length, crc: crc32(bytes), bytes }, method: 0 };
  }
  return { packed: deflate(content, level), method: 8 };
}

function deflate(data: Uint8Array, level: number): Deflated {
  return { size: data.length, crc: crc32(data), bytes: deflateRawSync(data, { level }) };
}

function addPacked(zip: Zip, filename: string, packed: Deflated, compression: 0 | 8): void {
  const entry: ZipInputFile = { filename, size: packed.size, crc: packed.crc, compression, mtime: FIXED_TIME };
  zip.add(entry);
  entry.ondata!(null, packed.bytes, true);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
