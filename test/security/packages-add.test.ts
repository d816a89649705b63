/**
 * `vm-ig packages add` on hostile tarballs: each test builds the attack by hand and checks that
 * nothing outside the cache changed and an installed package survived.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { installPackageTarball, installedPackageProblem } from '../../scripts/fhir/packages-add.ts';
import { LayeredPackageCache } from '../../scripts/fhir/package-cache.ts';
import { tempDir } from '../helpers/project.ts';
import { entryBytes, goodPackage, header, manifestOnly, paxPath, tarBytes, tgz } from './tar.ts';
import { snapshot } from './snapshot.ts';

/** A project folder with sources, a cache inside it holding example.good#1.0.0, and a tarball path. */
async function setup() {
  const root = tempDir('vm-ig-sec-');
  mkdirSync(join(root, 'fsh'), { recursive: true });
  writeFileSync(join(root, 'fsh', 'profiles.fsh'), 'Profile: P\nParent: Patient\n');
  mkdirSync(join(root, 'input'), { recursive: true });
  writeFileSync(join(root, 'input', 'index.md'), '# Home\n');
  writeFileSync(join(root, 'sushi-config.yaml'), 'id: x\n');
  const cache = join(root, '.fhir-packages');
  const good = join(root, 'good.tgz');
  writeFileSync(good, goodPackage());
  await installPackageTarball(cache, good);
  const installed = join(cache, 'example.good#1.0.0');
  return { root, cache, installed, before: snapshot(root, ['.fhir-packages']), cacheBefore: snapshot(cache) };
}

async function attack(bytes: Buffer, options?: Parameters<typeof installPackageTarball>[2]) {
  const env = await setup();
  const file = join(env.root, 'attack.tgz');
  writeFileSync(file, bytes);
  const result = await installPackageTarball(env.cache, file, options).then(
    () => undefined,
    (e: Error) => e
  );
  return { ...env, error: result };
}

/** The project outside the cache is byte-for-byte what it was, and the installed package is complete. */
function expectUnharmed(env: Awaited<ReturnType<typeof attack>>): void {
  expect(snapshot(env.root, ['.fhir-packages', 'attack.tgz'])).toEqual(new Map([...env.before].filter(([k]) => k !== 'attack.tgz')));
  expect(installedPackageProblem(env.installed)).toBeUndefined();
  expect(JSON.parse(readFileSync(join(env.installed, 'package', 'package.json'), 'utf8'))).toMatchObject({ name: 'example.good' });
}

describe('package name and version are never used as a path', () => {
  it.each([
    ['version 1.0.0/../../fsh (deleted fsh/)', 'example.good', '1.0.0/../../fsh'],
    ['name ../input with version x/.. (deleted the project root)', '../input', 'x/..'],
    ['an absolute name', '/tmp/vm-ig-evil', '1.0.0'],
    ['a name with a separator', 'example/good', '1.0.0'],
    ['version ..', 'example.good', '..'],
    ['a control character in the version', 'example.good', '1.0.0\u001b[2J'],
    ['an upper-case name', 'Example.Good', '1.0.0'],
    ['a name without a dot', 'good', '1.0.0'],
    ['a non-string version', 'example.good', 1]
  ])('refuses %s', async (_label, name, version) => {
    const env = await attack(manifestOnly(name, version));
    expect(env.error?.message).toMatch(/not a FHIR package (name|version)|has no version/);
    expect(env.error?.message).toMatch(/nothing was installed/);
    expectUnharmed(env);
    expect(snapshot(env.cache)).toEqual(env.cacheBefore);
    expect(existsSync('/tmp/vm-ig-evil#1.0.0')).toBe(false);
  });

  it('accepts the FHIR package forms: prerelease, build label and current', async () => {
    for (const version of ['1.0.0-ballot', '4.0.1', '0.1', 'current', '2.0.0+20240101']) {
      const env = await attack(manifestOnly('hl7.fhir.uv.ips', version));
      expect(env.error).toBeUndefined();
      expect(existsSync(join(env.cache, `hl7.fhir.uv.ips#${version}`, 'package', 'package.json'))).toBe(true);
    }
  });
});

describe('entries that would land outside the package are refused', () => {
  it.each([['package/../../../evil.txt'], ['../evil.txt'], ['/tmp/vm-ig-evil-abs.txt'], ['package/..\\..\\evil.txt'], ['package/a\u001b[2Jb.json']])(
    '%s',
    async name => {
      const env = await attack(
        tgz([
          { name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '1.0.0' }) },
          { name, data: 'pwned' }
        ])
      );
      expect(env.error?.message).toMatch(/climbs out|absolute|control characters/);
      expectUnharmed(env);
      expect(existsSync('/tmp/vm-ig-evil-abs.txt')).toBe(false);
    }
  );

  it('a pax header path with .. is refused too', async () => {
    const env = await attack(
      tgz([
        { name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '2.0.0' }) },
        paxPath('../../escaped.txt'),
        { name: 'innocent.txt', data: 'pwned' }
      ])
    );
    expect(env.error?.message).toMatch(/climbs out/);
    expectUnharmed(env);
  });

  it('drops links, devices and FIFOs, and installs files without setuid or setgid bits', async () => {
    const env = await attack(
      tgz([
        { name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '3.0.0' }) },
        { name: 'package/passwd.json', type: '2', linkname: '/etc/passwd' },
        { name: 'package/hard.json', type: '1', linkname: '../../../etc/passwd' },
        { name: 'package/tty', type: '3' },
        { name: 'package/disk', type: '4' },
        { name: 'package/pipe', type: '6' },
        { name: 'package/tool.sh', data: '#!/bin/sh\n', mode: 0o6755 }
      ])
    );
    expect(env.error).toBeUndefined();
    const dir = join(env.cache, 'example.good#3.0.0', 'package');
    expect(readdirSync(dir).sort()).toEqual(['package.json', 'tool.sh']);
    expect(statSync(join(dir, 'tool.sh')).mode & 0o7777).toBe(0o644);
    expectUnharmed(env);
  });
});

describe('corrupt archives are rejected and the installed package stays', () => {
  const manifest = { name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '1.0.0' }) };

  it('a bad header checksum', async () => {
    const env = await attack(tgz([{ ...manifest, checksumDelta: 1 }]));
    expect(env.error?.message).toMatch(/bad checksum/);
    expectUnharmed(env);
    expect(snapshot(env.cache)).toEqual(env.cacheBefore);
  });

  it('a corrupted entry after a good package.json (only package.json would have been installed)', async () => {
    const bytes = tarBytes([manifest, { name: 'package/StructureDefinition-x.json', data: '{}' }]);
    bytes.writeUInt8(bytes.readUInt8(BLOCK_OF_SECOND_HEADER + 5) ^ 0xff, BLOCK_OF_SECOND_HEADER + 5);
    const env = await attack(gzipSync(bytes));
    expect(env.error?.message).toMatch(/bad checksum/);
    expectUnharmed(env);
    expect(snapshot(env.cache)).toEqual(env.cacheBefore);
  });

  it('trailing junk after the end of the archive', async () => {
    const env = await attack(tgz([manifest], { trailing: Buffer.from('junk'.repeat(300)) }));
    expect(env.error?.message).toMatch(/trailing junk/);
    expectUnharmed(env);
  });

  it('junk after the gzip stream', async () => {
    const env = await attack(Buffer.concat([tgz([manifest]), Buffer.from('not gzip at all')]));
    expect(env.error?.message).toMatch(/gzip/);
    expectUnharmed(env);
  });

  it('a truncated archive', async () => {
    const env = await attack(tgz([manifest, { name: 'package/big.json', data: 'x'.repeat(5000) }], { noEnd: true }).subarray(0, 200));
    expect(env.error?.message).toMatch(/truncated|gzip/);
    expectUnharmed(env);
  });

  it('a file that is not gzip at all', async () => {
    const env = await attack(Buffer.from('hello, I am a text file'));
    expect(env.error?.message).toMatch(/gzip/);
    expectUnharmed(env);
  });

  it('an .index.json that lists files the package does not have', async () => {
    const env = await attack(
      tgz([
        manifest,
        {
          name: 'package/.index.json',
          data: JSON.stringify({ 'index-version': 2, files: [{ filename: 'StructureDefinition-gone.json', resourceType: 'StructureDefinition' }] })
        }
      ])
    );
    expect(env.error?.message).toMatch(/\.index\.json lists 1 files but 1 of them are not in the package/);
    expectUnharmed(env);
  });
});

const BLOCK_OF_SECOND_HEADER = 1024;

describe('gzip bombs are capped', () => {
  it('total unpacked bytes: refused before the data is written', async () => {
    // 64 MB of zeros compress to about 64 KB.
    const env = await attack(
      tgz([
        { name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '1.0.0' }) },
        { name: 'package/bomb.json', data: Buffer.alloc(64 * 1024 * 1024) }
      ]),
      { limits: { maxBytes: 8 * 1024 * 1024 } }
    );
    expect(env.error?.message).toMatch(/unpacks to more than 8 MB/);
    expectUnharmed(env);
    expect(snapshot(env.cache)).toEqual(env.cacheBefore);
  });

  it('a size field claiming terabytes is refused at the header', async () => {
    const lying = Buffer.concat([header({ name: 'package/huge.json', size: 0o77777777777 }, 0)]);
    const env = await attack(gzipSync(Buffer.concat([entryBytes({ name: 'package/package.json', data: '{}' }), lying, Buffer.alloc(1024)])));
    expect(env.error?.message).toMatch(/unpacks to more than/);
    expectUnharmed(env);
  });

  it('zeros after the end-of-archive marker count too', async () => {
    const env = await attack(
      tgz([{ name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '1.0.0' }) }], { trailing: Buffer.alloc(32 * 1024 * 1024) }),
      { limits: { maxBytes: 4 * 1024 * 1024 } }
    );
    expect(env.error?.message).toMatch(/unpacks to more than 4 MB/);
    expectUnharmed(env);
  });

  it('file count', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({ name: `package/f${i}.json`, data: '{}' }));
    const env = await attack(tgz([{ name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '1.0.0' }) }, ...entries]), {
      limits: { maxEntries: 50 }
    });
    expect(env.error?.message).toMatch(/more than 50 entries/);
    expectUnharmed(env);
  });

  it('has sane defaults', async () => {
    const { DEFAULT_ARCHIVE_LIMITS } = await import('../../scripts/fhir/tar-reader.ts');
    expect(DEFAULT_ARCHIVE_LIMITS.maxBytes).toBeLessThanOrEqual(2 * 1024 ** 3);
    expect(DEFAULT_ARCHIVE_LIMITS.maxBytes).toBeGreaterThanOrEqual(256 * 1024 ** 2);
    expect(DEFAULT_ARCHIVE_LIMITS.maxEntries).toBeGreaterThanOrEqual(100_002);
  });
});

describe('replacement is atomic and the cache trusts only complete packages', () => {
  it('replaces a package by rename and leaves no work folders', async () => {
    const env = await attack(goodPackage('example.good', '1.0.0', [{ name: 'package/extra.json', data: '{}' }]));
    expect(env.error).toBeUndefined();
    expect(readdirSync(join(env.installed, 'package')).sort()).toEqual(['.index.json', 'StructureDefinition-x.json', 'extra.json', 'package.json']);
    expect(readdirSync(env.cache)).toEqual(['example.good#1.0.0']);
  });

  it('a half-installed package is not used, and adding it again rebuilds it', async () => {
    const env = await setup();
    const cache = () => new LayeredPackageCache(env.cache);
    expect(cache().getPackageJSONPath('example.good', '1.0.0')).toBeDefined();
    writeFileSync(join(env.installed, 'package', '.index.json'), JSON.stringify({ files: [] }));
    const { rmSync } = await import('node:fs');
    rmSync(join(env.installed, 'package', 'StructureDefinition-x.json'));
    expect(installedPackageProblem(env.installed)).toMatch(/has 2 of the 3 files/);
    expect(cache().getPackageJSONPath('example.good', '1.0.0')).toBeUndefined();
    expect(cache().isPackageInCache('example.good', '1.0.0')).toBe(false);
    await installPackageTarball(env.cache, join(env.root, 'good.tgz'));
    expect(cache().getPackageJSONPath('example.good', '1.0.0')).toBeDefined();
  });

  it('a package folder without an install record or index (an interrupted copy) is not used', async () => {
    const cacheDir = tempDir();
    mkdirSync(join(cacheDir, 'example.partial#1.0.0', 'package'), { recursive: true });
    writeFileSync(join(cacheDir, 'example.partial#1.0.0', 'package', 'package.json'), '{"name":"example.partial","version":"1.0.0"}');
    expect(new LayeredPackageCache(cacheDir).isPackageInCache('example.partial', '1.0.0')).toBe(false);
  });

  it('work left by a killed install is cleaned up; an old package whose swap never finished is put back', async () => {
    const env = await setup();
    const { renameSync } = await import('node:fs');
    const deadPid = 2 ** 22 + 12345;
    mkdirSync(join(env.cache, `.vm-ig-staging.staging-${deadPid}-abc123`, 'package'), { recursive: true });
    renameSync(env.installed, `${env.installed}.old-${deadPid}`);
    const other = join(env.root, 'other.tgz');
    writeFileSync(other, goodPackage('example.other', '1.0.0'));
    await installPackageTarball(env.cache, other);
    expect(readdirSync(env.cache).sort()).toEqual(['example.good#1.0.0', 'example.other#1.0.0']);
    expect(installedPackageProblem(env.installed)).toBeUndefined();
  });
});

describe('kill -9 in the middle of an install', () => {
  it('leaves the installed package complete, and the next install removes the half-written staging folder', async () => {
    const { spawn } = await import('node:child_process');
    const env = await setup();
    const files = Array.from({ length: 20_000 }, (_, i) => ({ name: `package/Basic-${i}.json`, data: `{"resourceType":"Basic","id":"b${i}"}` }));
    const big = join(env.root, 'big.tgz');
    writeFileSync(big, tgz([{ name: 'package/package.json', data: JSON.stringify({ name: 'example.good', version: '1.0.0' }) }, ...files]));
    const script = `import { installPackageTarball } from ${JSON.stringify(join(process.cwd(), 'scripts/fhir/packages-add.ts'))};\nawait installPackageTarball(${JSON.stringify(env.cache)}, ${JSON.stringify(big)});\n`;
    writeFileSync(join(env.root, 'install.mts'), script);
    const child = spawn(process.execPath, ['--import', 'tsx', join(env.root, 'install.mts')], { stdio: 'ignore' });
    const exited = new Promise(done => child.on('exit', done));
    let killedMidway = false;
    for (let i = 0; i < 6000 && child.exitCode === null; i++) {
      const staging = readdirSync(env.cache).find(n => n.startsWith('.vm-ig-staging'));
      const pkg = staging && join(env.cache, staging, 'package');
      if (pkg && existsSync(pkg) && readdirSync(pkg).length > 500) {
        child.kill('SIGKILL');
        killedMidway = true;
        break;
      }
      await new Promise(r => setTimeout(r, 5));
    }
    await exited;
    expect(killedMidway).toBe(true);
    expect(readdirSync(env.cache).some(n => n.startsWith('.vm-ig-staging'))).toBe(true);
    expect(installedPackageProblem(env.installed)).toBeUndefined();
    expect(readdirSync(join(env.installed, 'package'))).toContain('StructureDefinition-x.json');
    expect(new LayeredPackageCache(env.cache).getPackageJSONPath('example.good', '1.0.0')).toBeDefined();
    await installPackageTarball(env.cache, join(env.root, 'good.tgz'));
    expect(readdirSync(env.cache)).toEqual(['example.good#1.0.0']);
  }, 60_000);
});
