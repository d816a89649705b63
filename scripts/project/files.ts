/**
 * Reading files from the project and from the user, safely. Only regular files are read (a FIFO
 * is opened without blocking and refused, as are devices such as /dev/zero and folders), with the
 * size limit enforced while reading. Source folders (input/images, input/pagecontent) are walked
 * without following a symbolic link out of the project; loops, FIFOs and devices become located
 * diagnostics instead of a hang or a crash.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '../model/diagnostics.ts';
import { errorCode as nodeErrorCode, errorMessage } from '../util/errors.ts';

export interface ReadProblem {
  rule: 'file-unreadable' | 'file-too-large' | 'source-skipped';
  message: string;
}

/** 64 MB: far above any page or image an implementation guide holds. */
export const MAX_SOURCE_FILE_BYTES = 64 * 1024 * 1024;

export function readRegularFile(path: string, maxBytes: number): Buffer | ReadProblem {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { rule: 'file-unreadable', message: `cannot read it (${errorCode(e)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { rule: 'file-unreadable', message: `not a regular file (${kindOf(stat)}); only regular files are read` };
    return readAtMost(fd, maxBytes);
  } catch (e) {
    return { rule: 'file-unreadable', message: `cannot read it (${errorCode(e)})` };
  } finally {
    closeSync(fd);
  }
}

/**
 * The project file at `rel` (a path inside `root`), read as the page and image readers read
 * files: only when it resolves, links and all, to a regular file inside the project, and at most
 * `maxBytes`. A link out of the project is refused with the same words as there.
 */
export function readProjectFile(root: string, rel: string, maxBytes: number): Buffer | ReadProblem {
  let real: string;
  let base: string;
  try {
    base = realpathSync(root);
    real = realpathSync(join(root, rel));
  } catch (e) {
    return { rule: 'file-unreadable', message: `cannot read it (${errorCode(e)})` };
  }
  if (!within(base, real)) return { rule: 'source-skipped', message: 'it is a symbolic link to something outside the project' };
  return readRegularFile(real, maxBytes);
}

export function isReadProblem(value: Buffer | ReadProblem): value is ReadProblem {
  return !Buffer.isBuffer(value);
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

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function errorCode(e: unknown): string {
  return nodeErrorCode(e) ?? errorMessage(e);
}

export interface SourceTreeOptions {
  /** The project root: links resolving outside it are not followed. */
  root: string;
  /** Walk sub-folders (input/images) or only the top level (input/pagecontent). */
  recursive?: boolean;
  /** Which file names to read. */
  accept?: (name: string) => boolean;
}

/**
 * Regular files under `dir` by path relative to it (forward slashes, sorted), and a diagnostic
 * for every entry that was not read. A missing `dir` is empty.
 */
export function readSourceTree(dir: string, options: SourceTreeOptions): { files: Map<string, Buffer>; diagnostics: Diagnostic[] } {
  const files = new Map<string, Buffer>();
  const diagnostics: Diagnostic[] = [];
  let root: string;
  let start: string;
  try {
    root = realpathSync(options.root);
    start = realpathSync(dir);
  } catch {
    return { files, diagnostics };
  }
  const display = (p: string) => relative(options.root, p).split(sep).join('/');
  const skip = (p: string, why: string) =>
    diagnostics.push({ severity: 'warning', rule: 'source-skipped', message: `${display(p)} was not read: ${why}`, location: { file: display(p) } });
  if (!within(root, start)) {
    skip(dir, 'it is a link to a folder outside the project');
    return { files, diagnostics };
  }
  const visited = new Set<string>([start]);
  const walk = (d: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch (e) {
      skip(d, `cannot list it (${errorCode(e)})`);
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      const target = linkTarget(path, root, skip);
      if (!target) continue;
      const relPath = rel ? `${rel}/${name}` : name;
      if (target.stat.isDirectory()) {
        if (!options.recursive) continue;
        if (visited.has(target.real)) skip(path, 'a symbolic link loop (the folder is already being read)');
        else {
          visited.add(target.real);
          walk(path, relPath);
        }
      } else if (!target.stat.isFile()) skip(path, `not a regular file (${kindOf(target.stat)})`);
      else if (options.accept?.(name) ?? true) {
        const content = readRegularFile(target.real, MAX_SOURCE_FILE_BYTES);
        if (isReadProblem(content)) skip(path, content.message);
        else files.set(relPath, content);
      }
    }
  };
  walk(start, '');
  return { files, diagnostics };
}

/** What `path` is, following a link only when it stays inside the project. */
function linkTarget(path: string, root: string, skip: (p: string, why: string) => void): { real: string; stat: Stats } | undefined {
  try {
    const own = lstatSync(path);
    if (!own.isSymbolicLink()) return { real: path, stat: own };
    const real = realpathSync(path);
    if (!within(root, real)) {
      skip(path, 'it is a symbolic link to something outside the project');
      return undefined;
    }
    return { real, stat: lstatSync(real) };
  } catch (e) {
    const code = errorCode(e);
    skip(path, code === 'ELOOP' ? 'a symbolic link loop' : code === 'ENOENT' ? 'a broken symbolic link' : `cannot read it (${code})`);
    return undefined;
  }
}

function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}
