/** Writes the rendered site into a staging folder next to build/site, then swaps it into place. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { outputPath, sameContent, stage, writeFileAtomic } from '../../util/atomic.ts';
import type { SiteFiles } from './assets.ts';
import { sha256 } from '../../pipeline/stage-cache.ts';

/**
 * Write a new site: into a staging folder, then swapped into place (a failure leaves the previous
 * site as it was). Returns the SHA-256 of every file the site now holds, by path: what
 * `treeHashes` would read back, made from what was written (the build cache keeps the site by it).
 */
export function writeSiteAtomically(files: SiteFiles, target: string): Record<string, string> {
  const staging = stage(target);
  try {
    writeTree(staging.path, files);
    staging.commit();
  } finally {
    staging.discard();
  }
  const tree: Record<string, string> = {};
  for (const [path, content] of files) tree[path] = sha256(content);
  return tree;
}

/** Write files under a folder, their folders made first; a path outside it is refused (util/atomic.ts). */
function writeTree(root: string, files: SiteFiles): void {
  const targets = [...files].map(([path, content]) => [outputPath(root, path), content] as const);
  const dirs = new Set(targets.map(([p]) => dirname(p)));
  for (const dir of [...dirs].sort()) mkdirSync(dir, { recursive: true });
  for (const [path, content] of targets) writeFileSync(path, content);
}

/** Replace single files inside an existing site, each by write-then-rename (the dev loop's page edits). */
export function writeFilesInPlace(files: SiteFiles, target: string): void {
  for (const [path, content] of files) writeFileAtomic(outputPath(target, path), content);
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
  for (const path of previous.keys()) if (!files.has(path) && existsSync(outputPath(target, path))) rmSync(outputPath(target, path));
}
