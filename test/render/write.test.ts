/**
 * writeSiteWhile: the site's files (and its zips) written by a second thread while other work
 * runs, then that work's files, then the swap; a failure in either leaves the previous site as it
 * was.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSiteWhile } from '../../scripts/render/write.ts';
import { treeHashes } from '../../scripts/stage-cache.ts';
import { zipFiles } from '../../scripts/archives.ts';
import { tempDir } from '../helpers/project.ts';

function oldSite(): { dir: string; target: string } {
  const dir = tempDir();
  const target = join(dir, 'site');
  mkdirSync(target);
  writeFileSync(join(target, 'index.html'), 'old');
  return { dir, target };
}

describe('writeSiteWhile', () => {
  it('writes the files, runs the work meanwhile, adds its files and swaps the site in', async () => {
    const { dir, target } = oldSite();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const files = new Map<string, string | Uint8Array>([
      ['index.html', 'new'],
      ['deep/er/page.html', 'deep'],
      ['package.tgz', bytes]
    ]);
    let ranBeforeSwap = false;
    const { made, tree } = await writeSiteWhile(files, target, () => {
      ranBeforeSwap = readFileSync(join(target, 'index.html'), 'utf8') === 'old';
      return new Map([['assets/js/search-index.js', 'window.X = 1;\n']]);
    });
    expect(ranBeforeSwap).toBe(true);
    expect([...made.keys()]).toEqual(['assets/js/search-index.js']);
    // The hashes it reports are those of the files on disk.
    expect(tree).toEqual(treeHashes(target));
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('new');
    expect(readFileSync(join(target, 'deep', 'er', 'page.html'), 'utf8')).toBe('deep');
    expect([...readFileSync(join(target, 'package.tgz'))]).toEqual([...bytes]);
    expect(readFileSync(join(target, 'assets', 'js', 'search-index.js'), 'utf8')).toBe('window.X = 1;\n');
    expect(readdirSync(dir)).toEqual(['site']);
  });

  it('keeps the previous site when the work fails', async () => {
    const { dir, target } = oldSite();
    await expect(
      writeSiteWhile(new Map([['index.html', 'new']]), target, () => {
        throw new Error('the index could not be made');
      })
    ).rejects.toThrow('the index could not be made');
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['site']);
  });

  it('keeps the previous site when a file cannot be written', async () => {
    const { dir, target } = oldSite();
    // A file where the writer needs a folder: mkdir fails inside the worker.
    const files = new Map<string, string>([
      ['a', 'file'],
      ['a/b.html', 'under a file']
    ]);
    await expect(writeSiteWhile(files, target, () => new Map())).rejects.toThrow(/writing the site/);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('old');
    expect(existsSync(join(target, 'a'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['site']);
  });

  it('makes the zips it is asked for from the files it writes, the same bytes as made here', async () => {
    const { target } = oldSite();
    const files = new Map<string, string>([
      ['A-1.json', '{"a":1}'],
      ['B-2.json', '{"b":"two"}'],
      ['A-1.xml', '<a/>']
    ]);
    const { made, tree } = await writeSiteWhile(files, target, () => new Map(), new Map([['g-json.zip', ['B-2.json', 'A-1.json']]]));
    const expected = zipFiles(new Map([...files].filter(([k]) => k.endsWith('.json'))));
    expect([...readFileSync(join(target, 'g-json.zip'))]).toEqual([...expected]);
    expect([...(made.get('g-json.zip') as Uint8Array)]).toEqual([...expected]);
    expect(tree).toEqual(treeHashes(target));
  });
});
