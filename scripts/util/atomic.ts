/**
 * How every stage writes its output, so a reader (or a failed run) never sees half of it: one
 * file is written beside its target and renamed over it; a folder is built in a staging folder
 * beside its target and swapped in with two renames, the old tree removed only after the swap.
 * Work left by an interrupted run (killed, power cut): `<target>.staging-<pid>`, `.partial-<pid>`,
 * `.old-<pid>` and `.<name>.<pid>.tmp` whose process is gone are removed the next time the same
 * target is staged.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { errorCode } from './errors.ts';

/**
 * A path written inside an output folder (build/site, fsh-generated, a package) is made of
 * validated parts; this is the last check, which every writer goes through: a relative path of
 * plain segments (no `..`, `.`, empty segments, backslashes, control characters or absolute paths)
 * that stays inside the folder. Anything else is a tool bug (the parts were not validated), thrown.
 */
export class UnsafeOutputPath extends Error {
  /** Read as a file-system error (pipeline/sequencer.ts's ioDiagnostic): exit 2, the previous output left as it was. */
  readonly code = 'EOUTSIDE';
  readonly syscall = 'write';
  constructor(
    readonly path: string,
    readonly root: string
  ) {
    super(`refused to write ${JSON.stringify(path)}: it is not a plain path inside ${root}`);
  }
}

/** Why `rel` cannot be a path inside an output folder, or undefined when it can. */
export function outputPathProblem(rel: string): string | undefined {
  if (!rel || rel.length > 4096) return 'empty or too long';
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return 'an absolute path';
  if (/[\u0000-\u001f\u007f\\]/.test(rel)) return 'a control character or backslash';
  if (rel.split('/').some(s => s === '' || s === '.' || s === '..')) return 'an empty, `.` or `..` segment';
  return undefined;
}

/** `root/rel`, when `rel` is a plain relative path that stays inside `root`; throws UnsafeOutputPath otherwise. */
export function outputPath(root: string, rel: string): string {
  const full = resolve(root, rel);
  const base = resolve(root);
  if (outputPathProblem(rel) !== undefined || !full.startsWith(base + sep)) throw new UnsafeOutputPath(rel, root);
  return full;
}

/** Write `content` at `rel` inside the output folder `root` (folders made first), refusing any path outside it. */
export function writeInside(root: string, rel: string, content: string | Uint8Array, options: { atomic?: boolean } = {}): void {
  const target = outputPath(root, rel);
  if (options.atomic) writeFileAtomic(target, content);
  else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

export function writeFileAtomic(target: string, content: string | Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** A folder being built beside `target`. */
export interface Staging {
  /** The staging folder (empty when staged). */
  path: string;
  /** Swap `from` (the staging folder, or a folder inside it) into place as `target`. */
  commit(from?: string): void;
  /** Remove what is left of the staging folder; safe after commit. */
  discard(): void;
}

/** Start building a new `target`: an empty staging folder beside it, stale ones cleared away. */
export function stage(target: string): Staging {
  removeStaleWork(dirname(target), basename(target));
  const path = `${target}.staging-${process.pid}`;
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return {
    path,
    commit: (from = path) => replaceDirectory(from, target),
    discard: () => rmSync(path, { recursive: true, force: true })
  };
}

/** Replace the folder `target` with the folder `staged`; the old one stays until the new one is in place. */
export function replaceDirectory(staged: string, target: string): void {
  removeStaleWork(dirname(target), basename(target));
  const old = `${target}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  const hadOld = existsSync(target);
  if (hadOld) renameSync(target, old);
  try {
    renameSync(staged, target);
  } catch (e) {
    if (hadOld) renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

const WORK = /^(.*?)(?:\.(staging|partial|old)-(\d+)(?:-[A-Za-z0-9]+)?|\.(\d+)\.tmp)$/;

/**
 * Remove work folders and temp files in `dir` left by processes that no longer run (all of them,
 * or only those of the target named `only`). With `restoreOld`, an `.old-<pid>` whose target is
 * missing (the run died between the two renames) is put back instead (the package cache does this:
 * an installed package is never lost; build outputs are simply rebuilt).
 */
export function removeStaleWork(dir: string, only?: string, restoreOld = false): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = WORK.exec(name);
    if (!m) continue;
    const pid = Number(m[3] ?? m[4]);
    const base = m[4] ? m[1]!.replace(/^\./, '') : m[1]!;
    if ((only !== undefined && base !== only) || isRunning(pid)) continue;
    const path = join(dir, name);
    if (restoreOld && m[2] === 'old' && !existsSync(join(dir, base))) renameSync(path, join(dir, base));
    else rmSync(path, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

/** Whether two file contents (text or bytes) are the same; nothing is the same as `undefined`. */
export function sameContent(a: string | Uint8Array | undefined, b: string | Uint8Array): boolean {
  if (a === undefined || typeof a !== typeof b) return false;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
