/**
 * Registries that answer badly, stood in by a node:http server on 127.0.0.1: a wrong shasum or
 * integrity, entries that climb out of the package, links, a compression bomb, a tarball cut short
 * (by the connection or inside the gzip stream), 404, 500, a registry that never answers and one
 * that stalls mid-tarball, and a run killed with SIGKILL mid-download. Each gives a clear error
 * naming the package, the registry and the HTTP status or network error (never a stack trace or a
 * hang) and leaves the FHIR package cache as it was. The packages.fhir.org protocol (with its
 * secondary as fallback) is answered by stand-ins named through the tests-only override.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, onlineCliEnv, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/project.ts';
import { goodPackage, tarBytes, tgz } from '../security/tar.ts';
import { corpusPackages, npmDocument, sendBytes, sendJson, startStandIn, type PackageFile, type StandIn } from './registries.ts';

const ID = 'hl7.fhir.us.core';
let usCore: PackageFile;
let registry: StandIn;
/** Bytes sent of the tarball being stalled, for the SIGKILL test. */
let stalledBytes = 0;

/** Each scenario is a path prefix: FPL_REGISTRY=<stand-in>/<scenario>/. */
const SCENARIOS: Record<string, { tarball?: () => Buffer; dist?: Record<string, string>; document?: number | 'stall'; body?: 'cut' | 'stall' }> = {
  good: {},
  'bad-shasum': { dist: { shasum: '0000000000000000000000000000000000000000', integrity: '' } },
  'bad-integrity': { dist: { integrity: `sha512-${Buffer.alloc(64).toString('base64')}` } },
  traversal: { tarball: () => hostile([{ name: 'package/../../evil.json', data: '{}' }]) },
  absolute: { tarball: () => hostile([{ name: '/tmp/evil.json', data: '{}' }]) },
  links: { tarball: () => goodPackageAs([{ name: 'package/passwd.json', type: '2', linkname: '/etc/passwd' }]) },
  bomb: {
    tarball: () =>
      gzipSync(
        tarBytes([
          { name: 'package/package.json', data: JSON.stringify({ name: ID, version: '3.1.1' }) },
          { name: 'package/zeros.json', data: Buffer.alloc(48 * 1024 * 1024) }
        ])
      )
  },
  'truncated-gzip': { tarball: () => usCore.bytes.subarray(0, Math.floor(usCore.bytes.length / 2)) },
  'cut-connection': { body: 'cut' },
  'not-found': { document: 404 },
  'server-error': { document: 500 },
  'no-answer': { document: 'stall' },
  'stalled-body': { body: 'stall' },
  'wrong-package': { tarball: () => goodPackage('example.other', '3.1.1') }
};

function hostile(extra: Parameters<typeof tgz>[0]): Buffer {
  return tgz([{ name: 'package/package.json', data: JSON.stringify({ name: ID, version: '3.1.1', fhirVersions: ['4.0.1'] }) }, ...extra]);
}

function goodPackageAs(extra: Parameters<typeof tgz>[0]): Buffer {
  return tgz([
    { name: 'package/package.json', data: JSON.stringify({ name: ID, version: '3.1.1', fhirVersions: ['4.0.1'] }) },
    { name: 'package/StructureDefinition-x.json', data: JSON.stringify({ resourceType: 'StructureDefinition', id: 'x', url: 'http://example.org/x' }) },
    ...extra
  ]);
}

beforeAll(async () => {
  usCore = (await corpusPackages(f => f.includes('us.core#3.1.1')))[0]!;
  registry = await startStandIn((_req, res, url) => {
    const [, scenario, ...rest] = url.split('/');
    const s = SCENARIOS[scenario ?? ''];
    const base = `${registry.url}/${scenario}`;
    if (!s) return sendJson(res, 404, { error: 'not found' });
    const bytes = s.tarball?.() ?? usCore.bytes;
    if (rest.length === 1 && rest[0] === ID) {
      if (s.document === 'stall') return 'stall';
      if (typeof s.document === 'number') return sendJson(res, s.document, { error: `HTTP ${s.document}` });
      return sendJson(res, 200, npmDocument(base, [{ name: ID, version: '3.1.1', bytes, dist: s.dist }]));
    }
    if (rest[0] === ID && rest[1] === '-') {
      if (s.body === 'cut' || s.body === 'stall') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        const half = bytes.subarray(0, Math.floor(bytes.length / 2));
        res.write(half, () => (stalledBytes = half.length));
        if (s.body === 'cut') setTimeout(() => res.destroy(), 20);
        return s.body === 'stall' ? 'stall' : undefined;
      }
      return sendBytes(res, bytes);
    }
    return sendJson(res, 404, { error: 'not found' });
  });
});

afterAll(async () => {
  await registry?.close();
});

/** A HOME whose FHIR cache already holds one package, to show it is left as it was. */
function homeWithCache(): string {
  const home = tempDir('vm-ig-home-');
  const dir = join(home, '.fhir', 'packages', 'example.kept#1.0.0', 'package');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'example.kept', version: '1.0.0' }));
  return home;
}

function cacheListing(home: string): string[] {
  const walk = (dir: string, rel = ''): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`]));
  return walk(join(home, '.fhir', 'packages')).sort();
}

function env(home: string, scenario: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return onlineCliEnv({
    HOME: home,
    FPL_REGISTRY: `${registry.url}/${scenario}/`,
    VM_IG_TEST_FHIR_REGISTRIES: `${registry.url}/never`,
    VM_IG_REGISTRY_TIMEOUT_MS: '1000',
    VM_IG_REGISTRY_RETRY_DELAY_MS: '20',
    ...extra
  });
}

async function install(scenario: string, home = homeWithCache()) {
  const before = cacheListing(home);
  const started = performance.now();
  const run = await runCli(tempDir(), ['packages', 'install', `${ID}#3.1.1`], { env: env(home, scenario), timeoutMs: 60_000 });
  return { run, home, before, after: cacheListing(home), ms: performance.now() - started };
}

describe('hostile registry answers: a clear error, the cache as it was', () => {
  const cases: [string, RegExp][] = [
    ['bad-shasum', /shasum does not match the registry's \(expected 0{40}, got [0-9a-f]{40}\)/],
    ['bad-integrity', /integrity does not match the registry's/],
    ['traversal', /climbs out of the archive with '\.\.'.*nothing was installed/],
    ['absolute', /absolute or Windows path.*nothing was installed/],
    ['bomb', /more than 200 times its compressed size/],
    ['truncated-gzip', /(not a valid gzip file|truncated archive).*nothing was installed/],
    ['cut-connection', /the tarball was cut short|download failed after \d+ bytes/],
    ['not-found', /HTTP 404 Not Found/],
    ['server-error', /HTTP 500 Internal Server Error/],
    ['no-answer', /no answer within 1 s/],
    ['stalled-body', /the download stalled: nothing received for 1 s/],
    ['wrong-package', /holds example\.other#3\.1\.1, not the hl7\.fhir\.us\.core#3\.1\.1 asked for/]
  ];
  for (const [scenario, message] of cases) {
    it(scenario, async () => {
      const { run, before, after, ms } = await install(scenario);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
      // The package and the registry tried, in one error line; no stack trace.
      expect(run.stderr).toMatch(
        new RegExp(`cannot (download|resolve) FHIR package ${ID.replace(/\./g, '\\.')}#3\\.1\\.1: http://127\\.0\\.0\\.1:\\d+/${scenario}/`)
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(after).toEqual(before);
      expect(ms).toBeLessThan(30_000);
    });
  }

  it('retries a 500 a bounded number of times', async () => {
    const before = registry.requests.filter(r => r.startsWith('GET /server-error/')).length;
    await install('server-error');
    expect(registry.requests.filter(r => r.startsWith('GET /server-error/')).length - before).toBe(3);
  });

  it('links are left out: nothing in the cache points outside it', async () => {
    const { run, home } = await install('links');
    expect(run.status, run.stderr).toBe(0);
    const pkg = join(home, '.fhir', 'packages', `${ID}#3.1.1`, 'package');
    expect(readdirSync(pkg).sort()).toEqual(['StructureDefinition-x.json', 'package.json']);
  });

  it('a configured dependency the registry fails is a located build error, not a crash', async () => {
    const project = tempDir('vm-ig-dep-');
    mkdirSync(join(project, 'input', 'fsh'), { recursive: true });
    writeFileSync(join(project, 'sushi-config.yaml'), `canonical: http://example.org/x\nfhirVersion: 4.0.1\nFSHOnly: true\ndependencies:\n  ${ID}: 3.1.1\n`);
    writeFileSync(join(project, 'input', 'fsh', 'a.fsh'), 'Profile: A\nParent: Patient\n');
    const home = homeWithCache();
    const run = await runCli(project, ['compile'], { env: env(home, 'server-error') });
    expect(run.status).toBe(1);
    const errors = run.report!.diagnostics.filter(d => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/cannot download FHIR package hl7\.fhir\.us\.core#3\.1\.1: .*HTTP 500/);
    expect(errors[0]!.location).toMatchObject({ file: 'sushi-config.yaml', line: 5, column: 3 });
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('SIGKILL mid-download leaves no package a later run trusts', async () => {
    const home = homeWithCache();
    const before = cacheListing(home);
    stalledBytes = 0;
    const child = spawn(process.execPath, [CLI, '-C', tempDir(), 'packages', 'install', `${ID}#3.1.1`], {
      env: env(home, 'stalled-body', { VM_IG_REGISTRY_TIMEOUT_MS: '60000' }),
      stdio: 'ignore'
    });
    const exited = new Promise(resolve => child.once('exit', resolve));
    for (let i = 0; i < 600 && stalledBytes === 0; i++) await new Promise(r => setTimeout(r, 50));
    expect(stalledBytes).toBeGreaterThan(0);
    await new Promise(r => setTimeout(r, 200));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(home, '.fhir', 'packages', `${ID}#3.1.1`))).toBe(false);
    const offline = await runCli(tempDir(), ['packages', 'install', '--offline', `${ID}#3.1.1`], { env: env(home, 'good') });
    expect(offline.status).toBe(1);
    expect(offline.stderr).toContain(`${ID}#3.1.1 is not available offline`);
    // The next download cleans up after the killed one and installs the package whole.
    const good = await runCli(tempDir(), ['packages', 'install', `${ID}#3.1.1`], { env: env(home, 'good') });
    expect(good.status, good.stderr).toBe(0);
    expect(cacheListing(home).filter(f => !f.startsWith(`${ID}#3.1.1/`))).toEqual(before);
    expect(readFileSync(join(home, '.fhir', 'packages', `${ID}#3.1.1`, 'package', 'package.json'), 'utf8')).toContain('"3.1.1"');
  });
});

describe('the packages.fhir.org protocol, with its secondary as fallback', () => {
  let primary: StandIn;
  let secondary: StandIn;

  beforeAll(async () => {
    primary = await startStandIn((_req, res) => sendJson(res, 503, { error: 'down' }));
    secondary = await startStandIn((_req, res, url) => {
      if (url === `/${ID}`) return sendJson(res, 200, npmDocument(`${secondary.url}`, [{ name: ID, version: '3.1.1', bytes: usCore.bytes }]));
      if (url === `/${ID}/3.1.1`) return sendBytes(res, usCore.bytes);
      return sendJson(res, 404, {});
    });
  });

  afterAll(async () => {
    await primary?.close();
    await secondary?.close();
  });

  it('falls back to the secondary when the primary fails, and names both when both fail', async () => {
    const home = tempDir('vm-ig-home-');
    const fhirEnv = (urls: string) =>
      onlineCliEnv({ HOME: home, VM_IG_TEST_FHIR_REGISTRIES: urls, VM_IG_REGISTRY_TIMEOUT_MS: '1000', VM_IG_REGISTRY_RETRY_DELAY_MS: '20' });
    const run = await runCli(tempDir(), ['packages', 'install', `${ID}#3.1.1`], { env: fhirEnv(`${primary.url},${secondary.url}`) });
    expect(run.status, run.stderr).toBe(0);
    expect(secondary.requests).toEqual([`GET /${ID}`, `GET /${ID}/3.1.1`]);
    expect(existsSync(join(home, '.fhir', 'packages', `${ID}#3.1.1`, 'package', 'package.json'))).toBe(true);

    const failing = await runCli(tempDir(), ['packages', 'install', `${ID}#4.0.0`], { env: fhirEnv(`${primary.url},${registry.url}/not-found`) });
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(new RegExp(`${primary.url}: HTTP 503.*; ${registry.url}/not-found: HTTP 404`));
  });
});

describe('current builds from build.fhir.org (a stand-in, through the tests-only override)', () => {
  let build: StandIn;
  const current = goodPackage('example.good', '0.2.0-cibuild');

  beforeAll(async () => {
    build = await startStandIn((_req, res, url) => {
      if (url === '/ig/qas.json')
        return sendJson(res, 200, [
          { 'package-id': 'example.good', repo: 'HL7/example/branches/main/qa.json', date: 'Mon, 01 Jun 2026 10:00:00 +0000' },
          { 'package-id': 'example.good', repo: 'HL7/example/branches/old/qa.json', date: 'Mon, 01 Jan 2024 10:00:00 +0000' }
        ]);
      if (url === '/ig/HL7/example/branches/main/package.tgz') return sendBytes(res, current);
      if (url === '/ig/HL7/example/branches/main/package.manifest.json') return sendJson(res, 200, { date: '20260601100000' });
      return sendJson(res, 404, {});
    });
  });

  afterAll(async () => {
    await build?.close();
  });

  it('current is cached as <id>#current; dev falls back to it; offline, the cached copy is used', async () => {
    const home = tempDir('vm-ig-home-');
    const buildEnv = (extra: Record<string, string> = {}) =>
      onlineCliEnv({ HOME: home, VM_IG_TEST_FHIR_REGISTRIES: `${registry.url}/never`, VM_IG_TEST_BUILD_FHIR_ORG: build.url, ...extra });
    const run = await runCli(tempDir(), ['packages', 'install', 'example.good#current'], { env: buildEnv() });
    expect(run.status, run.stderr).toBe(0);
    const manifest = join(home, '.fhir', 'packages', 'example.good#current', 'package', 'package.json');
    expect(JSON.parse(readFileSync(manifest, 'utf8'))).toMatchObject({ name: 'example.good', version: '0.2.0-cibuild' });
    expect(build.requests).toContain('GET /ig/HL7/example/branches/main/package.tgz');

    const dev = await runCli(tempDir(), ['packages', 'install', '--offline', 'example.good#dev'], { env: buildEnv() });
    expect(dev.status, dev.stderr).toBe(0);
    expect(dev.stdout).toContain('example.good#current (for example.good#dev)');
  });
});
