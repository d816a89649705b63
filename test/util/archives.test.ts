/**
 * The zip writer (scripts/util/archives.ts): a zip made again with a `ZipReuse` is byte for byte
 * the zip made from scratch, whatever changed between the two (a file edited, added, removed,
 * turned from text into bytes), and its entries unzip to the files given.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { zipFiles, ZipReuse } from '../../scripts/util/archives.ts';

const site = (over: Record<string, string | Uint8Array | undefined> = {}) => {
  const files = new Map<string, string | Uint8Array>([
    ['index.html', '<p>home</p>'.repeat(200)],
    ['qa.html', '<p>quality</p>'],
    ['logo.png', new Uint8Array([137, 80, 78, 71, 1, 2, 3])],
    ['data.bin', new Uint8Array(500).fill(7)]
  ]);
  for (const [name, content] of Object.entries(over)) {
    if (content === undefined) files.delete(name);
    else files.set(name, content);
  }
  return files;
};

describe('zipFiles with ZipReuse', () => {
  it('writes the same bytes as a zip made from scratch, after each kind of change', () => {
    const reuse = new ZipReuse();
    const versions = [
      site(),
      site({ 'qa.html': '<p>quality, edited</p>' }),
      site({ 'qa.html': '<p>quality, edited</p>', 'new.html': '<p>new</p>', 'data.bin': undefined }),
      site({ 'qa.html': new Uint8Array([1, 2, 3]), 'data.bin': new Uint8Array(500).fill(8) }),
      site({ 'qa.html': new Uint8Array([1, 2, 3]), 'data.bin': new Uint8Array(500).fill(8) })
    ];
    for (const files of versions) {
      const reused = zipFiles(files, { fast: true, reuse });
      expect(Buffer.from(reused).equals(Buffer.from(zipFiles(files, { fast: true })))).toBe(true);
      const back = unzipSync(reused);
      expect(Object.keys(back).sort()).toEqual([...files.keys()].sort());
      for (const [name, content] of files)
        expect(typeof content === 'string' ? strFromU8(back[name]!) : [...back[name]!]).toEqual(typeof content === 'string' ? content : [...content]);
    }
    // Only the last zip's entries are kept.
    expect([...reuse.entries.keys()].sort()).toEqual([...versions.at(-1)!.keys()].sort());
  });

  it('deflates again at another level rather than reusing an entry made at the first', () => {
    const reuse = new ZipReuse();
    const files = site();
    zipFiles(files, { fast: true, reuse });
    expect(Buffer.from(zipFiles(files, { reuse })).equals(Buffer.from(zipFiles(files)))).toBe(true);
  });
});
