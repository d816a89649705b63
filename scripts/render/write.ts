/** Writes the rendered site into a staging folder next to build/site, then swaps it into place. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stage, writeFileAtomic } from '../atomic.ts';
import type { SiteFiles } from './assets.ts';

export function writeSiteAtomically(files: SiteFiles, target: string): void {
  const staging = stage(target);
  try {
    const dirs = new Set([...files.keys()].map(p => dirname(join(staging.path, p))));
    for (const dir of [...dirs].sort()) mkdirSync(dir, { recursive: true });
    for (const [path, content] of files) writeFileSync(join(staging.path, path), content);
    staging.commit();
  } finally {
    staging.discard();
  }
}

/** Replace single files inside an existing site, each by write-then-rename (the dev loop's page edits). */
export function writeFilesInPlace(files: SiteFiles, target: string): void {
  for (const [path, content] of files) writeFileAtomic(join(target, path), content);
}
