/**
 * Fuzzing `packages add` with 1,000 random and hostile archives (paths with '..', absolute and
 * control-character names, every entry type, lying sizes, bad checksums, pax headers, truncation,
 * trailing junk, hostile package ids): nothing is ever written outside the cache, no work folder
 * is left behind, and the package installed before is never lost.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { installPackageTarball, installedPackageProblem } from '../../scripts/fhir/packages-add.ts';
import { packageNameProblem, packageVersionProblem } from '../../scripts/fhir/package-id.ts';
import { tempDir } from '../helpers/project.ts';
import { entryBytes, goodPackage, paxPath, tarBytes, type RawEntry } from './tar.ts';
import { snapshot } from './snapshot.ts';

const ESCAPE = 'vmig-fuzz-escape';
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const segment = fc.constantFrom('package', 'package', 'package', '..', '.', '', 'a', 'x.json', 'sub', ESCAPE, 'a\\..\\b', '\u001b[0m', 'C:', '~', ' ', '#');
const path = fc.tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 5 })).map(([abs, parts]) => `${abs ? '/' : ''}${parts.join('/')}`);
const type = fc.constantFrom('0', '0', '0', '5', '1', '2', '3', '4', '6', '7', 'L', 'g', 'S', 'V', '\0', 'Z');
const entry: fc.Arbitrary<RawEntry | Buffer> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      name: fc.constantFrom('package/a.json', 'package/sub/b.json', 'package/other/c.txt', 'example/d.json'),
      data: fc.string({ maxLength: 300 })
    })
  },
  fc.record({
    name: path,
    type,
    data: fc.uint8Array({ maxLength: 700 }).map(b => Buffer.from(b)),
    mode: fc.constantFrom(0o644, 0o755, 0o4755, 0o2755, 0o7777, 0o1777),
    linkname: fc.constantFrom(undefined, '/etc/passwd', `../../${ESCAPE}`, 'package/x.json'),
    size: rarely(fc.oneof(fc.nat(2000), fc.constant(0o77777777777))),
    checksumDelta: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) })
  }),
  path.map(p => paxPath(p))
);
const id = fc.constantFrom(
  'example.good',
  'example.good',
  'example.fuzz',
  'example.fuzz',
  'example.fuzz',
  '../example',
  '/tmp/x',
  'a/b',
  '..',
  '.',
  '',
  'UPPER.case',
  'ok.name\u0000'
);
const version = fc.constantFrom('1.0.0', '1.0.0', '2.0.0-beta', '2.0.0-beta', 'current', '1.0.0/../..', 'x/..', '..', '', '1.0.0\n', '/abs');
const archive = fc.record({
  name: id,
  version,
  manifestFirst: fc.boolean(),
  entries: fc.array(entry, { maxLength: 6 }),
  trailing: rarely(fc.uint8Array({ minLength: 1, maxLength: 64 })),
  noEnd: rarely(fc.constant(true)),
  cut: rarely(fc.nat(4000)),
  raw: rarely(fc.uint8Array({ maxLength: 200 }))
});

type Archive = typeof archive extends fc.Arbitrary<infer T> ? T : never;

function build(a: Archive): Buffer {
  if (a.raw) return Buffer.from(a.raw);
  const manifest = entryBytes({ name: 'package/package.json', data: JSON.stringify({ name: a.name, version: a.version }) });
  const entries = a.manifestFirst ? [manifest, ...a.entries] : [...a.entries, manifest];
  let tar = tarBytes(entries, { noEnd: a.noEnd === true && a.cut === undefined, trailing: a.trailing ? Buffer.from(a.trailing) : undefined });
  if (a.cut !== undefined) tar = tar.subarray(0, a.cut);
  return gzipSync(tar);
}

describe('packages add fuzzing', () => {
  it('never writes outside the cache and never loses the installed package (1,000 archives)', async () => {
    const outer = tempDir('vm-ig-fuzz-');
    const root = join(outer, 'a', 'b', 'project');
    mkdirSync(join(root, 'fsh'), { recursive: true });
    writeFileSync(join(root, 'fsh', 'x.fsh'), 'Profile: X\nParent: Patient\n');
    const cache = join(root, '.fhir-packages');
    writeFileSync(join(root, 'good.tgz'), goodPackage());
    await installPackageTarball(cache, join(root, 'good.tgz'));
    const before = snapshot(outer, ['a/b/project/.fhir-packages']);
    let installed = 0;
    await fc.assert(
      fc.asyncProperty(archive, async a => {
        const file = join(outer, 'in.tgz');
        writeFileSync(file, build(a));
        const ok = await installPackageTarball(cache, file, { limits: { maxBytes: 1024 * 1024, maxEntries: 20 } }).then(
          () => true,
          () => false
        );
        if (ok) installed++;
        const after = snapshot(outer, ['a/b/project/.fhir-packages']);
        after.delete('in.tgz');
        expect(after).toEqual(before);
        expect(existsSync(join('/tmp', ESCAPE))).toBe(false);
        for (const name of readdirSync(cache)) {
          const [pkg, ver] = name.split('#');
          expect(packageNameProblem(pkg) ?? packageVersionProblem(ver), name).toBeUndefined();
          expect(installedPackageProblem(join(cache, name)), name).toBeUndefined();
        }
        expect(installedPackageProblem(join(cache, 'example.good#1.0.0'))).toBeUndefined();
      }),
      { numRuns: 1000, seed: 20261201 }
    );
    expect(installed).toBeGreaterThan(0);
  });
});
