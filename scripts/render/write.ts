/** Writes the rendered site into a staging folder next to build/site, then swaps it into place. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stage, writeFileAtomic } from '../atomic.ts';
import type { SiteFiles } from './assets.ts';
import { sha256 } from '../stage-cache.ts';
import { zipFiles } from '../archives.ts';

export function writeSiteAtomically(files: SiteFiles, target: string): void {
  const staging = stage(target);
  try {
    writeTree(staging.path, files);
    staging.commit();
  } finally {
    staging.discard();
  }
}

/**
 * The same, with some work done meanwhile: `files` are written by a second thread (which also
 * makes the `zips`: each zip's path and the paths of the files it holds) while `work` runs here
 * (the search index, a second of a 400-page site's build); then the files `work` returns are
 * written and the site is swapped in. Returns those files and the zips, and the SHA-256 of every
 * file the site now holds, by path (what `treeHashes` would read back: the thread hashes what it
 * writes). Any failure (writing or working) leaves the previous site as it was.
 */
export async function writeSiteWhile(
  files: SiteFiles,
  target: string,
  work: () => SiteFiles,
  zips: ReadonlyMap<string, readonly string[]> = new Map()
): Promise<{ made: SiteFiles; tree: Record<string, string> }> {
  const staging = stage(target);
  try {
    const { runOnThread } = await import('../threads.ts');
    const job: WriteJob = { root: staging.path, files: [...files], zips: [...zips].map(([name, entries]) => [name, [...entries]]) };
    const written = runOnThread<WriteResult>('site-writer', job);
    let made: SiteFiles;
    try {
      made = work();
    } finally {
      await written.catch(() => undefined);
    }
    // Its errno fields are kept, so a full disk there is reported like one here.
    const result = await written.catch((e: unknown) => {
      const { code, syscall, path } = e as NodeJS.ErrnoException;
      throw Object.assign(new Error(`writing the site: ${e instanceof Error ? e.message : String(e)}`, { cause: e }), { code, syscall, path });
    });
    writeTree(staging.path, made);
    const tree = result.tree;
    for (const [path, content] of made) tree[path] = sha256(content);
    staging.commit();
    return { made: new Map([...result.zips, ...made]), tree };
  } finally {
    staging.discard();
  }
}

export interface WriteJob {
  root: string;
  files: [string, string | Uint8Array][];
  zips: [string, string[]][];
}

export interface WriteResult {
  tree: Record<string, string>;
  zips: [string, Uint8Array][];
}

/** The writer thread's job (render/write-thread.ts): make the zips, write every file, hash each. */
export function writeJob(job: WriteJob): WriteResult {
  const files: SiteFiles = new Map(job.files);
  const zips: [string, Uint8Array][] = job.zips.map(([name, entries]) => [name, zipFiles(new Map(entries.map(e => [e, String(files.get(e))])))]);
  for (const [name, bytes] of zips) files.set(name, bytes);
  writeTree(job.root, files);
  const tree: Record<string, string> = {};
  for (const [path, content] of files) tree[path] = sha256(content);
  return { tree, zips };
}

/** Write files under a folder, their folders made first. */
export function writeTree(root: string, files: SiteFiles): void {
  const dirs = new Set([...files.keys()].map(p => dirname(join(root, p))));
  for (const dir of [...dirs].sort()) mkdirSync(dir, { recursive: true });
  for (const [path, content] of files) writeFileSync(join(root, path), content);
}

/** Replace single files inside an existing site, each by write-then-rename (the dev loop's page edits). */
export function writeFilesInPlace(files: SiteFiles, target: string): void {
  for (const [path, content] of files) writeFileAtomic(join(target, path), content);
}

/**
 * Bring a site written from `previous` (and untouched since) up to `files`: only the files that
 * differ are written (each by write-then-rename) and those no longer produced are removed. The
 * dev loop's full re-renders, where an edit changes a few of several hundred files.
 */
export function updateSite(previous: SiteFiles, files: SiteFiles, target: string): void {
  const changed: SiteFiles = new Map();
  for (const [path, content] of files) if (!sameContent(previous.get(path), content)) changed.set(path, content);
  writeFilesInPlace(changed, target);
  for (const path of previous.keys()) if (!files.has(path) && existsSync(join(target, path))) rmSync(join(target, path));
}

function sameContent(a: string | Uint8Array | undefined, b: string | Uint8Array): boolean {
  if (a === undefined || typeof a !== typeof b) return false;
  if (typeof a === 'string') return a === b;
  return Buffer.from(a).equals(Buffer.from(b as Uint8Array));
}
