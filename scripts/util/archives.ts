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
export function zipFiles(files: ReadonlyMap<string, string | Uint8Array>, options: { fast?: boolean } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  const level = options.fast ? 1 : 6;
  for (const name of [...files.keys()].sort()) addEntry(zip, name, files.get(name)!, level);
  zip.end();
  return concat(chunks);
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
  if (typeof content === 'string')
    return addPacked(
      zip,
      filename,
      deflated.get(level)!.get(content, () => deflate(strToU8(content), level)),
      8
    );
  if (COMPRESSED.test(filename)) {
    const bytes = new Uint8Array(content);
    return addPacked(zip, filename, { size: bytes.length, crc: crc32(bytes), bytes }, 0);
  }
  addPacked(zip, filename, deflate(content, level), 8);
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
