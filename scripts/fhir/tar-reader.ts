/**
 * The one reader of `.tgz` archives from elsewhere (`packages add`, `validate --load`). It streams
 * the file through node:zlib and parses the tar headers itself, so nothing is trusted: every
 * header checksum is checked, data after the end-of-archive marker or a truncated archive is an
 * error, entry paths are normalised and refused if they could leave the folder they are read
 * into, links and special files are dropped, modes are ignored, and the total unpacked bytes and
 * entry count are capped before anything is written. Memory stays bounded: entry data is handed
 * to the caller chunk by chunk.
 */
import { createReadStream, fstatSync, openSync, closeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { errorCode, errorMessage } from '../util/errors.ts';

export interface ArchiveLimits {
  /** Total bytes after decompression (headers included). */
  maxBytes: number;
  /** Entries (files and folders). */
  maxEntries: number;
  /**
   * Unpacked bytes per compressed byte, checked once more than `ratioFloor` bytes are unpacked:
   * a gzip bomb unpacks at 1000:1, published FHIR packages at 5 to 15:1.
   */
  maxRatio: number;
  ratioFloor: number;
}

/** 1 GiB and 250,000 entries: several times the largest published FHIR core package; 200:1 past 32 MiB. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 1024 * 1024 * 1024, maxEntries: 250_000, maxRatio: 200, ratioFloor: 32 * 1024 * 1024 };

/** A corrupt, hostile or over-limit archive; nothing from it should be used. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export interface EntrySink {
  write(chunk: Uint8Array): void;
  end(): void;
}

export interface ArchiveVisitor {
  /** A regular file (normalised relative path, forward slashes); return a sink to receive its bytes. */
  file(path: string, size: number): EntrySink | undefined;
  /** A folder entry. */
  directory?(path: string): void;
  /** A link, device, FIFO or unknown entry type that was not extracted. */
  dropped?(path: string, reason: string): void;
}

export interface ArchiveSummary {
  files: number;
  bytes: number;
  dropped: number;
}

const BLOCK = 512;
const MAX_META = 1024 * 1024;

/** Read the gzip-compressed tar `file`, calling the visitor for every entry in order. */
export async function readTarGz(file: string, visitor: ArchiveVisitor, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveSummary> {
  const max = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const compressed = requireRegularFile(file);
  const parser = new TarParser(visitor, max, compressed);
  let failure: unknown;
  try {
    await pipeline(createReadStream(file), createGunzip(), async function (source: AsyncIterable<Buffer>) {
      try {
        for await (const chunk of source) parser.push(chunk);
      } catch (e) {
        failure = e;
        throw e;
      }
    });
  } catch (e) {
    parser.abort();
    const error = failure ?? e;
    if (error instanceof ArchiveError) throw error;
    if (errorCode(error)?.startsWith('Z_')) throw new ArchiveError(`not a valid gzip file (${errorMessage(error)})`);
    throw error;
  }
  return parser.finish();
}

/** Refuse FIFOs, devices and folders before opening a stream that could block or never end. */
function requireRegularFile(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ArchiveError('not a regular file');
    return stat.size;
  } finally {
    closeSync(fd);
  }
}

interface Pending {
  kind: 'data' | 'meta' | 'skip';
  remaining: number;
  padding: number;
  sink?: EntrySink;
  meta?: { type: string; chunks: Buffer[] };
}

class TarParser {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private zeroBlocks = 0;
  private ended = false;
  private total = 0;
  private entries = 0;
  private readonly summary: ArchiveSummary = { files: 0, bytes: 0, dropped: 0 };
  private paxPath: string | undefined;
  private paxSize: number | undefined;
  private longName: string | undefined;
  private headerIndex = 0;

  constructor(
    private readonly visitor: ArchiveVisitor,
    private readonly limits: ArchiveLimits,
    private readonly compressed: number
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.total > this.limits.maxBytes) throw new ArchiveError(`unpacks to more than ${formatBytes(this.limits.maxBytes)} (the limit)`);
    if (this.total > this.limits.ratioFloor && this.total > this.compressed * this.limits.maxRatio)
      throw new ArchiveError(`unpacks to more than ${this.limits.maxRatio} times its compressed size (a compression bomb?)`);
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    while (offset < this.buffer.length) {
      if (this.ended) {
        if (this.buffer.subarray(offset).some(b => b !== 0)) throw new ArchiveError('data after the end-of-archive marker (trailing junk)');
        offset = this.buffer.length;
      } else if (this.pending) {
        offset = this.consume(offset);
      } else {
        if (this.buffer.length - offset < BLOCK) break;
        this.header(this.buffer.subarray(offset, offset + BLOCK));
        offset += BLOCK;
      }
    }
    this.buffer = this.buffer.subarray(offset);
  }

  finish(): ArchiveSummary {
    if (this.pending || !this.ended) throw new ArchiveError('truncated archive (no end-of-archive marker)');
    return this.summary;
  }

  abort(): void {
    this.pending?.sink?.end();
    this.pending = undefined;
  }

  private consume(offset: number): number {
    const p = this.pending!;
    const available = this.buffer.length - offset;
    if (p.remaining > 0) {
      const n = Math.min(available, p.remaining);
      const part = this.buffer.subarray(offset, offset + n);
      if (p.kind === 'data') p.sink?.write(part);
      else if (p.kind === 'meta') p.meta!.chunks.push(Buffer.from(part));
      p.remaining -= n;
      if (p.remaining === 0 && p.padding === 0) this.complete(p);
      return offset + n;
    }
    const n = Math.min(available, p.padding);
    p.padding -= n;
    if (p.padding === 0) this.complete(p);
    return offset + n;
  }

  private complete(p: Pending): void {
    this.pending = undefined;
    if (p.kind === 'data') p.sink?.end();
    if (p.kind === 'meta') this.applyMeta(p.meta!.type, Buffer.concat(p.meta!.chunks));
  }

  private expect(kind: Pending['kind'], size: number, extra: Partial<Pending> = {}): void {
    const pending: Pending = { kind, remaining: size, padding: (BLOCK - (size % BLOCK)) % BLOCK, ...extra };
    if (size === 0) {
      this.pending = undefined;
      this.complete(pending);
    } else this.pending = pending;
  }

  private header(block: Buffer): void {
    this.headerIndex++;
    if (block.every(b => b === 0)) {
      if (++this.zeroBlocks === 2) this.ended = true;
      return;
    }
    if (this.zeroBlocks > 0) throw new ArchiveError(`header ${this.headerIndex} follows an end-of-archive block`);
    if (!checksumValid(block)) throw new ArchiveError(`header ${this.headerIndex} has a bad checksum (corrupt archive)`);
    const type = String.fromCharCode(block[156]!);
    const headerSize = parseNumber(block.subarray(124, 136), this.headerIndex);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (headerSize > MAX_META) throw new ArchiveError(`header ${this.headerIndex}: a ${headerSize}-byte extended header is too large`);
      return this.expect('meta', headerSize, { meta: { type, chunks: [] } });
    }
    const rawPath = this.longName ?? this.paxPath ?? headerName(block);
    const size = this.paxSize ?? headerSize;
    this.longName = this.paxPath = this.paxSize = undefined;
    if (++this.entries > this.limits.maxEntries) throw new ArchiveError(`has more than ${this.limits.maxEntries} entries (the limit)`);
    this.entry(type, rawPath, size);
  }

  private entry(type: string, rawPath: string, size: number): void {
    const path = safeEntryPath(rawPath);
    if (type === '0' || type === '\0' || type === '7') {
      this.summary.bytes += size;
      if (this.summary.bytes > this.limits.maxBytes) throw new ArchiveError(`unpacks to more than ${formatBytes(this.limits.maxBytes)} (the limit)`);
      this.summary.files++;
      const sink = path === '' ? undefined : this.visitor.file(path, size);
      return this.expect('data', size, { sink });
    }
    if (type === '5') {
      if (path !== '') this.visitor.directory?.(path);
      return;
    }
    this.summary.dropped++;
    this.visitor.dropped?.(path, DROPPED[type] ?? `entry type '${printable(type)}'`);
    // Links, devices, folders and FIFOs carry no data whatever their size field says.
    if (!'123456'.includes(type)) this.expect('skip', size);
  }

  private applyMeta(type: string, data: Buffer): void {
    if (type === 'L') this.longName = data.toString('utf8').replace(/\0+$/, '');
    if (type !== 'x') return;
    for (const [key, value] of paxRecords(data)) {
      if (key === 'path') this.paxPath = value;
      if (key === 'size') {
        if (!/^\d{1,15}$/.test(value)) throw new ArchiveError(`bad size '${printable(value)}' in an extended header`);
        this.paxSize = Number(value);
      }
    }
  }
}

const DROPPED: Record<string, string> = { '1': 'hard link', '2': 'symbolic link', '3': 'character device', '4': 'block device', '6': 'FIFO' };

function checksumValid(block: Buffer): boolean {
  const field = block
    .subarray(148, 156)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]{1,8}$/.test(field)) return false;
  const stored = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function parseNumber(field: Buffer, index: number): number {
  if (field[0]! & 0x80) {
    // GNU base-256: accept values up to 2^53, anything larger is over every limit anyway.
    let n = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) {
      n = n * 256 + field[i]!;
      if (n > Number.MAX_SAFE_INTEGER) throw new ArchiveError(`header ${index}: size too large`);
    }
    return n;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError(`header ${index}: size field '${printable(text)}' is not a number`);
  return parseInt(text, 8);
}

function headerName(block: Buffer): string {
  const name = cString(block.subarray(0, 100));
  const ustar = block.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = ustar && block[262] === 0 ? cString(block.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function* paxRecords(data: Buffer): Generator<[string, string]> {
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = space === -1 ? NaN : Number(data.subarray(offset, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= space - offset || offset + length > data.length) {
      if (data.subarray(offset).every(b => b === 0)) return;
      throw new ArchiveError('malformed extended (pax) header');
    }
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) yield [record.slice(0, eq), record.slice(eq + 1)];
    offset += length;
  }
}

/**
 * The entry path, normalised ('./a//b/' -> 'a/b'), or an ArchiveError when it is absolute, climbs
 * with '..', uses backslashes or holds control characters. '' is the archive's root folder.
 */
export function safeEntryPath(raw: string): string {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) throw new ArchiveError(`entry '${printable(raw)}' has control characters in its name`);
  if (raw.startsWith('/') || raw.includes('\\') || /^[A-Za-z]:/.test(raw)) throw new ArchiveError(`entry '${printable(raw)}' is an absolute or Windows path`);
  const segments = raw.split('/').filter(s => s !== '' && s !== '.');
  if (segments.includes('..')) throw new ArchiveError(`entry '${printable(raw)}' climbs out of the archive with '..'`);
  return segments.join('/');
}

/** Text with control characters shown as escapes, for error messages. */
function printable(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}...` : escaped;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${n} bytes`;
}
