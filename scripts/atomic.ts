/**
 * How every stage writes its output, so a reader (or a failed run) never sees half of it: one
 * file is written beside its target and renamed over it; a folder is built in a staging folder
 * beside its target and swapped in with two renames, the old tree removed only after the swap.
 * Staging and old folders that an interrupted run (killed, power cut) left behind are removed
 * the next time the same target is staged.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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
  removeStale(target);
  const path = `${target}.staging-${process.pid}`;
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return {
    path,
    commit: (from = path) => replaceDirectory(from, target),
    discard: () => rmSync(path, { recursive: true, force: true })
  };
}

/** Replace the folder `target` with the folder `staged`. */
export function replaceDirectory(staged: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(target)) renameSync(target, old);
  renameSync(staged, target);
  rmSync(old, { recursive: true, force: true });
}

/** `<target>.staging-PID`, `.old-PID` and `.partial-PID` siblings whose process is gone. */
function removeStale(target: string): void {
  const dir = dirname(target);
  if (!existsSync(dir)) return;
  const pattern = new RegExp(`^${escapeRegExp(basename(target))}\\.(?:staging|old|partial)-(\\d+)$`);
  for (const name of readdirSync(dir)) {
    const pid = pattern.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
