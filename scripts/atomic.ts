/**
 * How every stage writes its output, so a reader (or a failed run) never sees half of it: one
 * file is written beside its target and renamed over it; a folder is built in a staging folder
 * beside its target and swapped in with two renames, the old tree removed only after the swap.
 * Work left by an interrupted run (killed, power cut): `<target>.staging-<pid>`, `.partial-<pid>`,
 * `.old-<pid>` and `.<name>.<pid>.tmp` whose process is gone are removed the next time the same
 * target is staged.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode } from './errors.ts';

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
