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

export function zipFiles(files: ReadonlyMap<string, string>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  for (const name of [...files.keys()].sort()) addDeflated(zip, name, files.get(name)!);
  zip.end();
  return concat(chunks);
}

interface Deflated {
  size: number;
  crc: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/** Each text deflated once: the dev loop zips the same unchanged resources on every render. */
const deflated = new TextMemo<Deflated>(32 * 1024 * 1024, d => d.bytes.length);

function addDeflated(zip: Zip, filename: string, text: string): void {
  const packed = deflated.get(text, () => {
    const data = strToU8(text);
    return { size: data.length, crc: crc32(data), bytes: deflateRawSync(data, { level: 6 }) };
  });
  const entry: ZipInputFile = { filename, size: packed.size, crc: packed.crc, compression: 8, mtime: FIXED_TIME };
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
