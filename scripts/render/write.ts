/** Writes the rendered site into a staging folder next to build/site, then swaps it into place. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { stage, writeFileAtomic } from '../atomic.ts';
import type { SiteFiles } from './assets.ts';
import { sha256 } from '../stage-cache.ts';

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
 * The same, with some work done meanwhile: `files` are written by a worker thread while `work`
 * runs here (the search index, a second of a 400-page site's build); then the files `work`
 * returns are written and the site is swapped in. Returns those files, and the SHA-256 of every
 * file the site now holds, by path (what `treeHashes` would read back: the worker hashes what it
 * writes). Any failure (writing or working) leaves the previous site as it was.
 */
export async function writeSiteWhile(files: SiteFiles, target: string, work: () => SiteFiles): Promise<{ made: SiteFiles; tree: Record<string, string> }> {
  const staging = stage(target);
  try {
    const written = writeInWorker(staging.path, files);
    let made: SiteFiles;
    try {
      made = work();
    } finally {
      await written.catch(() => undefined);
    }
    const tree = await written;
    writeTree(staging.path, made);
    for (const [path, content] of made) tree[path] = sha256(content);
    staging.commit();
    return { made, tree };
  } finally {
    staging.discard();
  }
}

/** Write files under a folder, their folders made first. */
function writeTree(root: string, files: SiteFiles): void {
  const dirs = new Set([...files.keys()].map(p => dirname(join(root, p))));
  for (const dir of [...dirs].sort()) mkdirSync(dir, { recursive: true });
  for (const [path, content] of files) writeFileSync(join(root, path), content);
}

/**
 * The writer: `writeTree` again, in plain JavaScript with Node's own modules only, so it runs the same from the sources
 * (tsx) and from the bundled dist/. It gets the files once and writes them in order.
 */
const WRITER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
parentPort.once('message', ({ root, files }) => {
  try {
    const dirs = new Set(files.map(([path]) => dirname(join(root, path))));
    for (const dir of [...dirs].sort()) mkdirSync(dir, { recursive: true });
    const tree = {};
    for (const [path, content] of files) {
      writeFileSync(join(root, path), content);
      tree[path] = createHash('sha256').update(content).digest('hex');
    }
    parentPort.postMessage({ ok: true, tree });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: e && e.message ? e.message : String(e) });
  }
});
`;

function writeInWorker(root: string, files: SiteFiles): Promise<Record<string, string>> {
  return new Promise((ok, fail) => {
    const worker = new Worker(WRITER, { eval: true });
    worker.once('message', (reply: { ok: boolean; message?: string; tree?: Record<string, string> }) => {
      void worker.terminate();
      if (reply.ok) ok(reply.tree ?? {});
      else fail(new Error(`writing the site: ${reply.message ?? 'failed'}`));
    });
    worker.once('error', fail);
    worker.once('exit', code => fail(new Error(`the site writer stopped (exit code ${code})`)));
    worker.postMessage({ root, files: [...files] });
  });
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
