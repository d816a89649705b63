import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'fflate';
import { tarArchive, tarGzip } from '../../scripts/stages/package/tarball.ts';
import { readTarball } from './read-tarball.ts';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('tarGzip', () => {
  const entries = [
    { path: 'package/package.json', content: text('{"name":"x"}') },
    { path: 'package/example/Patient-a.json', content: text('{"resourceType":"Patient","id":"a"}') }
  ];
  const mtime = Date.UTC(2026, 10, 21) / 1000;

  it('round-trips through node-tar with fixed mode, owner and mtime', async () => {
    const read = await readTarball(tarGzip(entries, { mtime }));
    expect([...read.keys()]).toEqual(['package/package.json', 'package/example/Patient-a.json']);
    const entry = read.get('package/example/Patient-a.json')!;
    expect(entry.text).toBe('{"resourceType":"Patient","id":"a"}');
    expect(entry.type).toBe('File');
    expect(entry.mode).toBe(0o644);
    expect(entry.uid).toBe(0);
    expect(entry.gid).toBe(0);
    expect(entry.mtime?.toISOString()).toBe('2026-11-21T00:00:00.000Z');
  });

  it('gives identical bytes for identical entries, with no gzip timestamp', () => {
    const a = tarGzip(entries, { mtime });
    const b = tarGzip(
      entries.map(e => ({ ...e, content: Buffer.from(e.content) })),
      { mtime }
    );
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect([...a.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
    expect(gunzipSync(a).length % 512).toBe(0);
  });

  it('changes bytes when content changes', () => {
    const a = tarGzip(entries, { mtime });
    const b = tarGzip([entries[0]!, { ...entries[1]!, content: text('{}') }], { mtime });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('stores names longer than 100 bytes with the ustar prefix', async () => {
    const long = `package/${'d'.repeat(60)}/Observation-${'x'.repeat(70)}.json`;
    const read = await readTarball(tarGzip([{ path: long, content: text('{}') }]));
    expect(long.length).toBeGreaterThan(100);
    expect([...read.keys()]).toEqual([long]);
  });

  it('refuses a file name that no prefix split can hold', () => {
    expect(() => tarArchive([{ path: `package/${'x'.repeat(120)}.json`, content: text('{}') }])).toThrow(/too long/);
  });

  it('pads every entry to 512-byte blocks and ends with two zero blocks', () => {
    const tar = tarArchive([{ path: 'a.txt', content: text('hello') }]);
    expect(tar.length).toBe(512 * 4);
    expect(tar.subarray(512 * 2).every(b => b === 0)).toBe(true);
  });
});
