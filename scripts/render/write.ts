/** Writes the rendered site into a staging folder next to build/site, then swaps it into place. */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SiteFiles } from './assets.ts';

export function writeSiteAtomically(files: SiteFiles, target: string): void {
  const staging = `${target}.staging-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const dirs = new Set([...files.keys()].map(p => dirname(join(staging, p))));
    for (const dir of [...dirs].sort()) mkdirSync(dir, { recursive: true });
    for (const [path, content] of files) writeFileSync(join(staging, path), content);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Replace single files inside an existing site, each by write-then-rename (the dev loop's page edits). */
export function writeFilesInPlace(files: SiteFiles, target: string): void {
  for (const [path, content] of files) {
    const file = join(target, path);
    const temp = `${file}.tmp-${process.pid}`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, content);
    renameSync(temp, file);
  }
}
