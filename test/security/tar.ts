/**
 * Raw tar archives for hostile-input tests: every header field is written by hand, so a test can
 * build what no well-behaved tar writer would (bad checksums, '..' paths, devices, setuid modes,
 * lying size fields, trailing junk).
 */
import { gzipSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  data?: string | Buffer;
  /** Tar type flag: '0' file, '5' folder, '1' hard link, '2' symlink, '3'/'4' devices, '6' FIFO, 'x' pax. */
  type?: string;
  mode?: number;
  linkname?: string;
  /** Size field value, when it should differ from the data length. */
  size?: number;
  /** Add this to the correct checksum (0 = valid). */
  checksumDelta?: number;
  prefix?: string;
}

const BLOCK = 512;

export function header(e: RawEntry, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(e.name, 0, 100, 'utf8');
  octal(h, 100, 8, e.mode ?? (e.type === '5' ? 0o755 : 0o644));
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, e.size ?? size);
  octal(h, 136, 12, 1_700_000_000);
  h.write(e.type ?? '0', 156, 1, 'latin1');
  if (e.linkname) h.write(e.linkname, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 8, 'latin1');
  if (e.prefix) h.write(e.prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  octal(h, 148, 8, sum + (e.checksumDelta ?? 0));
  return h;
}

function octal(h: Buffer, offset: number, length: number, value: number): void {
  h.write(
    `${Math.max(0, value)
      .toString(8)
      .padStart(length - 1, '0')}\u0000`,
    offset,
    length,
    'latin1'
  );
}

export function pad(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

export function entryBytes(e: RawEntry): Buffer {
  const data = typeof e.data === 'string' ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0));
  return Buffer.concat([header(e, data.length), pad(data)]);
}

/** A pax extended header setting `path` for the next entry. */
export function paxPath(path: string): Buffer {
  const body = (len: number) => `${len} path=${path}\n`;
  let len = body(0).length;
  while (body(len).length !== len) len = body(len).length;
  return entryBytes({ name: 'PaxHeader', type: 'x', data: body(len) });
}

export interface ArchiveOptions {
  /** Bytes after the two end-of-archive blocks. */
  trailing?: Buffer;
  /** Leave out the end-of-archive blocks (a truncated archive). */
  noEnd?: boolean;
}

export function tarBytes(entries: (RawEntry | Buffer)[], options: ArchiveOptions = {}): Buffer {
  const parts = entries.map(e => (Buffer.isBuffer(e) ? e : entryBytes(e)));
  if (!options.noEnd) parts.push(Buffer.alloc(2 * BLOCK));
  if (options.trailing) parts.push(options.trailing);
  return Buffer.concat(parts);
}

export function tgz(entries: (RawEntry | Buffer)[], options: ArchiveOptions = {}): Buffer {
  return gzipSync(tarBytes(entries, options));
}

/** A small, valid FHIR package: package.json, one StructureDefinition and an index listing it. */
export function goodPackage(name = 'example.good', version = '1.0.0', extra: RawEntry[] = []): Buffer {
  const sd = {
    resourceType: 'StructureDefinition',
    id: 'x',
    url: `http://example.org/${name}/x`,
    name: 'X',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient'
  };
  return tgz([
    { name: 'package/', type: '5' },
    { name: 'package/package.json', data: JSON.stringify({ name, version, fhirVersions: ['4.0.1'] }) },
    { name: 'package/StructureDefinition-x.json', data: JSON.stringify(sd) },
    {
      name: 'package/.index.json',
      data: JSON.stringify({
        'index-version': 2,
        files: [{ filename: 'StructureDefinition-x.json', resourceType: 'StructureDefinition', id: 'x', url: sd.url }]
      })
    },
    ...extra
  ]);
}

export function manifestOnly(name: unknown, version: unknown, extra: RawEntry[] = []): Buffer {
  return tgz([{ name: 'package/package.json', data: JSON.stringify({ name, version }) }, ...extra]);
}
