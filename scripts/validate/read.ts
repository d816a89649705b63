/**
 * Reading a file the user names, safely: only a regular file is read (a FIFO is opened without
 * blocking and refused, as are devices such as /dev/zero and folders), and the size limit is
 * enforced while reading, so a file that grows or lies about its size cannot exhaust memory.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export interface ReadProblem {
  rule: 'file-unreadable' | 'file-too-large';
  message: string;
}

export function readRegularFile(path: string, maxBytes: number): Buffer | ReadProblem {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { rule: 'file-unreadable', message: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { rule: 'file-unreadable', message: `not a regular file (${kindOf(stat)}); only regular files are read` };
    return readAtMost(fd, maxBytes);
  } catch (e) {
    return { rule: 'file-unreadable', message: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

function readAtMost(fd: number, maxBytes: number): Buffer | ReadProblem {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) return { rule: 'file-too-large', message: `larger than the ${(maxBytes / 1048576).toFixed(0)} MB limit` };
  }
}

function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

export function isReadProblem(value: Buffer | ReadProblem): value is ReadProblem {
  return !Buffer.isBuffer(value);
}
