/** `validate --load` on hostile input: the same safe archive reader as `packages add`, and errors for non-packages. */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConformance } from '../../scripts/lib/validator/load.ts';
import { validateCommand } from '../../scripts/commands/validate.ts';
import { REPO_ROOT, tempDir } from '../helpers/project.ts';
import { goodPackage, tgz } from './tar.ts';

const manifest = { name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '1.0.0' }) };

async function load(bytes: Buffer | string, name = 'x.tgz', options?: Parameters<typeof loadConformance>[1]) {
  const file = join(tempDir(), name);
  writeFileSync(file, bytes);
  return loadConformance([file], options);
}

describe('--load', () => {
  it('loads a good package', async () => {
    const loaded = await load(goodPackage());
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.resources.map(r => r.url)).toEqual(['http://example.org/example.good/x']);
  });

  it('a tarball that is not a FHIR package is an error, not a silent no-op', async () => {
    const loaded = await load(tgz([{ name: 'readme.txt', data: 'hello' }]));
    expect(loaded.diagnostics).toMatchObject([{ severity: 'error', message: expect.stringMatching(/not a FHIR package/) }]);
  });

  it('a file that is not a package or conformance resource is an error', async () => {
    expect((await load('just text', 'notes.txt')).diagnostics).toMatchObject([{ severity: 'error', message: expect.stringMatching(/not valid JSON/) }]);
    expect((await load('{"resourceType":"Patient"}', 'p.json')).diagnostics).toMatchObject([
      { severity: 'error', message: expect.stringMatching(/no StructureDefinition, ValueSet or CodeSystem/) }
    ]);
  });

  it('a corrupt archive is an error', async () => {
    expect((await load(tgz([{ ...manifest, checksumDelta: 7 }]))).diagnostics[0]?.message).toMatch(/bad checksum/);
    expect((await load(tgz([manifest], { trailing: Buffer.from('junk') }))).diagnostics[0]?.message).toMatch(/trailing junk/);
  });

  it('a gzip bomb is stopped at the limit, not read into memory', async () => {
    const bomb = tgz([manifest, { name: 'package/bomb.json', data: Buffer.alloc(48 * 1024 * 1024, 0x20) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const loaded = await load(bomb, 'bomb.tgz', { limits: { maxBytes: 16 * 1024 * 1024 } });
    expect(loaded.diagnostics).toMatchObject([{ severity: 'error', message: expect.stringMatching(/unpacks to more than 16 MB/) }]);
  });

  it('the command exits 2 for a non-package tarball and for /dev/zero', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.tgz'), tgz([{ name: 'readme.txt', data: 'hello' }]));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ resourceType: 'Basic', code: { text: 'x' } }));
    for (const path of [join(dir, 'x.tgz'), '/dev/zero']) {
      const lines: string[] = [];
      const code = await validateCommand({ root: REPO_ROOT, files: [join(dir, 'ok.json')], format: 'text', load: [path], print: l => lines.push(l) });
      expect(code, path).toBe(2);
      expect(lines.join('\n')).toMatch(/Cannot load/);
    }
  });
});
