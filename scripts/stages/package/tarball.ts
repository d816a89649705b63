/**
 * A small, deterministic tar.gz writer (gzip through the fflate adapter). Every entry gets
 * the same mtime, mode 0644 and uid/gid 0 with empty user and group names; entries are written
 * in the order given; the gzip header carries no timestamp. The same entries therefore always
 * give the same bytes, on any machine and whatever the umask.
 */
import { outputPathProblem, UnsafeOutputPath } from '../../util/atomic.ts';
import { gzip } from '../../util/archives.ts';

export interface TarEntry {
  /** Path inside the archive, `/`-separated, e.g. `package/package.json`. */
  path: string;
  content: Uint8Array;
}

export interface TarOptions {
  /** Modification time of every entry, in seconds since the Unix epoch. */
  mtime?: number;
  /** Permission bits of every entry. */
  mode?: number;
}

const BLOCK = 512;

export function tarGzip(entries: readonly TarEntry[], options: TarOptions = {}): Uint8Array {
  return gzip(tarArchive(entries, options));
}

/** The uncompressed ustar archive: header + padded data per entry, then two zero blocks. */
export function tarArchive(entries: readonly TarEntry[], options: TarOptions = {}): Uint8Array {
  const mtime = options.mtime ?? 0;
  const mode = options.mode ?? 0o644;
  const size = entries.reduce((sum, e) => sum + BLOCK + padded(e.content.length), 2 * BLOCK);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const entry of entries) {
    // An entry name is a path when the archive is unpacked: the same rule as any output file.
    if (outputPathProblem(entry.path) !== undefined) throw new UnsafeOutputPath(entry.path, 'the package');
    out.set(tarHeader(entry.path, entry.content.length, mtime, mode), offset);
    out.set(entry.content, offset + BLOCK);
    offset += BLOCK + padded(entry.content.length);
  }
  return out;
}

function padded(length: number): number {
  return Math.ceil(length / BLOCK) * BLOCK;
}

function tarHeader(path: string, size: number, mtime: number, mode: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const { name, prefix } = splitPath(path);
  writeString(header, 0, 100, name);
  writeOctal(header, 100, 8, mode);
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, mtime);
  header.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  header[156] = 0x30; // typeflag '0': regular file
  writeString(header, 257, 6, 'ustar');
  writeString(header, 263, 2, '00');
  writeString(header, 345, 155, prefix);
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  writeOctal(header, 148, 7, checksum);
  header[155] = 0x20;
  return header;
}

/** ustar keeps names up to 100 bytes, plus a prefix of up to 155 bytes split at a `/`. */
function splitPath(path: string): { name: string; prefix: string } {
  const bytes = Buffer.byteLength(path);
  if (bytes <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new Error(`path too long for a tar entry: ${path}`);
}

function writeString(buf: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar header field too long: ${value}`);
  buf.set(bytes, offset);
}

/** Zero-padded octal digits followed by a NUL, filling `length` bytes. */
function writeOctal(buf: Uint8Array, offset: number, length: number, value: number): void {
  const digits = Math.floor(value)
    .toString(8)
    .padStart(length - 1, '0');
  if (digits.length > length - 1) throw new Error(`tar header value too large: ${value}`);
  writeString(buf, offset, length - 1, digits);
  buf[offset + length - 1] = 0;
}
