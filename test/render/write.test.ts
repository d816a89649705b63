/**
 * writeSiteAtomically: a new site is written into a staging folder and swapped in; the hashes it
 * returns are those of the files on disk; a failure leaves the previous site as it was.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSiteAtomically } from '../../scripts/stages/render/write.ts';
import { treeHashes } from '../../scripts/pipeline/stage-cache.ts';
import { tempDir } from '../helpers/project.ts';

function oldSite(): { dir: string; target: string } {
  const dir = tempDir();
  const target = join(dir, 'site');
  mkdirSync(target);
  writeFileSync(join(target, 'index.html'), 'old');
  writeFileSync(join(target, 'gone.html'), 'old');
  return { dir, target };
}

describe('writeSiteAtomically', () => {
  it('swaps the new site in and returns the hashes of what it holds', () => {
    const { dir, target } = oldSite();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const files = new Map<string, string | Uint8Array>([
      ['index.html', 'new é'],
      ['deep/er/page.html', 'deep'],
      ['package.tgz', bytes]
    ]);
    const tree = writeSiteAtomically(files, target);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('new é');
    expect(readFileSync(join(target, 'deep', 'er', 'page.html'), 'utf8')).toBe('deep');
    expect([...readFileSync(join(target, 'package.tgz'))]).toEqual([...bytes]);
    expect(existsSync(join(target, 'gone.html'))).toBe(false);
    expect(tree).toEqual(treeHashes(target));
    expect(readdirSync(dir)).toEqual(['site']);
  });

  it('keeps the previous site when a file cannot be written', () => {
    const { dir, target } = oldSite();
    // A file where the writer needs a folder: mkdir fails.
    const files = new Map<string, string>([
      ['a', 'file'],
      ['a/b.html', 'under a file']
    ]);
    expect(() => writeSiteAtomically(files, target)).toThrow();
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('old');
    expect(existsSync(join(target, 'a'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['site']);
  });
});
