/**
 * FHIR package dependencies from a real npm registry: Verdaccio 6.8 on 127.0.0.1 serving the
 * seven published packages of ../shared/corpus/packages, with `FPL_REGISTRY` pointing at it and
 * an empty HOME, the CLI run as users run it (bin/vm-ig.js in a child process; every proxy refuses,
 * so nothing leaves loopback). The guides of ../shared/corpus/igs-deps build with one command and
 * compile byte-identical to SUSHI's fingerprint; bdcore changes as SUSHI's output does when the
 * registry offers hl7.fhir.uv.extensions.r4; the packages land in ~/.fhir/packages (and the
 * toolchain's own FHIR core never does); cached packages need no connection; `latest` and
 * wildcards resolve as in SUSHI; a private registry gets `FPL_REGISTRY_TOKEN`.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineCliEnv, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/project.ts';
import { CORPUS, corpusPackages, startStandIn, startVerdaccio, type StandIn, type Verdaccio } from './registries.ts';

let registry: Verdaccio;
/** Stands in for packages.fhir.org and build.fhir.org: any request to it fails the test. */
let sentinel: StandIn;

beforeAll(async () => {
  registry = await startVerdaccio();
  for (const pkg of await corpusPackages()) await registry.publish(pkg);
  sentinel = await startStandIn((_, res) => {
    res.writeHead(599);
    res.end();
  });
});

afterAll(async () => {
  expect(sentinel.requests).toEqual([]);
  await registry?.close();
  await sentinel?.close();
});

function env(home = tempDir('vm-ig-home-'), extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return onlineCliEnv({ HOME: home, FPL_REGISTRY: registry.url, VM_IG_TEST_FHIR_REGISTRIES: sentinel.url, VM_IG_TEST_BUILD_FHIR_ORG: sentinel.url, ...extra });
}

function unpack(tgz: string): string {
  const dir = tempDir('vm-ig-guide-');
  execFileSync('tar', ['xzf', tgz, '-C', dir]);
  return dir;
}

/** `./File.json` -> sha256, as `sha256sum ./* | sort -k2` lists them. */
function fingerprint(dir: string): Map<string, string> {
  const resources = join(dir, 'fsh-generated', 'resources');
  return new Map(
    readdirSync(resources).map(f => [
      `./${f}`,
      createHash('sha256')
        .update(readFileSync(join(resources, f)))
        .digest('hex')
    ])
  );
}

function sushiFingerprint(file: string): Map<string, string> {
  return new Map(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map(line => {
        const [hash, name] = line.split(/\s+/);
        return [name!, hash!];
      })
  );
}

function cached(home: string): string[] {
  const dir = join(home, '.fhir', 'packages');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('guides with dependencies, from an empty cache, against Verdaccio', () => {
  for (const [guide, usCore] of [
    ['paciort', 'hl7.fhir.us.core#3.1.1'],
    ['idmatch', 'hl7.fhir.us.core#6.1.0']
  ] as const) {
    it(`${guide} builds with one command; compile equals SUSHI's; ${usCore} lands in ~/.fhir/packages`, async () => {
      const home = tempDir('vm-ig-home-');
      const dir = unpack(join(CORPUS, 'igs-deps', `${guide}.tgz`));
      const run = await runCli(dir, ['build'], { env: env(home) });
      expect(run.stderr).not.toMatch(/\n\s+at /);
      // Every stage ran and nothing but validation findings on the published guide's own
      // instances (the validator's business, not the packages') is an error.
      expect(run.report?.ran).toEqual(['compile', 'narrative', 'diff', 'validate', 'package', 'site']);
      expect(run.report?.diagnostics.filter(d => d.severity === 'error' && !d.location?.file?.startsWith('fsh-generated/'))).toEqual([]);
      expect(run.status).toBeLessThanOrEqual(1);
      expect(fingerprint(dir)).toEqual(sushiFingerprint(join(CORPUS, 'igs-deps', `${guide}.sushi.sha`)));
      // The declared package and SUSHI's automatic extensions pack (its `latest`), in the standard layout, and nothing else.
      expect(cached(home)).toEqual([usCore, 'hl7.fhir.uv.extensions.r4#5.3.0']);
      expect(JSON.parse(readFileSync(join(home, '.fhir', 'packages', usCore, 'package', 'package.json'), 'utf8'))).toMatchObject({
        name: 'hl7.fhir.us.core',
        version: usCore.split('#')[1]
      });
      // Progress and the automatic packages the registry lacks (warnings, as in SUSHI).
      expect(run.stderr).toContain(`downloaded ${usCore}`);
      const warnings = run.report!.diagnostics.filter(d => d.rule === 'dependency-automatic').map(d => d.message);
      expect(warnings).toHaveLength(2);
      expect(warnings.join('\n')).toMatch(/hl7\.fhir\.uv\.tools\.r4#latest.*HTTP 404/);
      expect(warnings.join('\n')).toMatch(/hl7\.terminology\.r4#latest.*HTTP 404/);
    });
  }

  it("bdcore: SUSHI's output with the registry (extensions.r4 outranks core in 2 files), and its offline output with --offline", async () => {
    const offline = sushiFingerprint(join(CORPUS, 'igs', 'bdcore.sushi.sha'));
    const online = unpack(join(CORPUS, 'igs', 'bdcore.tgz'));
    const run = await runCli(online, ['compile'], { env: env() });
    expect(run.status, run.stderr).toBe(0);
    const got = fingerprint(online);
    const changed = [...offline.keys()].filter(f => got.get(f) !== offline.get(f)).sort();
    expect(changed).toEqual(['./StructureDefinition-bd-patient.json', './StructureDefinition-language.json']);
    expect([...got.keys()].sort()).toEqual([...offline.keys()].sort());
    const language = JSON.parse(readFileSync(join(online, 'fsh-generated', 'resources', 'StructureDefinition-language.json'), 'utf8')) as {
      snapshot: { element: { id: string; definition?: string }[] };
    };
    expect(JSON.stringify(language.snapshot)).toContain('http://hl7.org/fhir/R4/extensibility.html');

    const home = tempDir('vm-ig-home-');
    const before = registry.requests.length;
    const quiet = unpack(join(CORPUS, 'igs', 'bdcore.tgz'));
    const offlineRun = await runCli(quiet, ['compile', '--offline'], { env: env(home) });
    expect(offlineRun.status, offlineRun.stderr).toBe(0);
    expect(fingerprint(quiet)).toEqual(offline);
    expect(registry.requests.length).toBe(before);
    expect(cached(home)).toEqual([]);
  });
});

describe('the shared cache', () => {
  it('a build whose packages are all cached opens no connection; the toolchain never writes its own FHIR core there', async () => {
    const home = tempDir('vm-ig-home-');
    const install = await runCli(tempDir(), ['packages', 'install', 'hl7.fhir.us.core#3.1.1', 'hl7.fhir.uv.extensions.r4#5.3.0'], { env: env(home) });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/2 installed \(1\.4 MB downloaded\), 0 already cached/);
    // SUSHI's other two automatic packages, as another tool would have cached them (no resources).
    for (const id of ['hl7.fhir.uv.tools.r4', 'hl7.terminology.r4']) {
      const dir = join(home, '.fhir', 'packages', `${id}#0.1.0`, 'package');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: id, version: '0.1.0', fhirVersions: ['4.0.1'] }));
    }
    const before = registry.requests.length;
    const dir = unpack(join(CORPUS, 'igs-deps', 'paciort.tgz'));
    const run = await runCli(dir, ['compile'], { env: env(home) });
    expect(run.status, run.stderr).toBe(0);
    expect(registry.requests.slice(before)).toEqual([]);
    expect(run.report!.diagnostics.filter(d => d.rule.startsWith('dependency'))).toEqual([]);
    expect(fingerprint(dir)).toEqual(sushiFingerprint(join(CORPUS, 'igs-deps', 'paciort.sushi.sha')));
    expect(cached(home).some(p => p.startsWith('hl7.fhir.r4.core'))).toBe(false);

    const list = await runCli(dir, ['packages', 'list'], { env: env(home) });
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(join(home, '.fhir', 'packages'));
    expect(list.stdout).toMatch(/hl7\.fhir\.us\.core#3\.1\.1\s+\d+(\.\d)? MB/);
    expect(list.stdout).toMatch(/hl7\.fhir\.r4\.core#4\.0\.1/);
  });

  it('--offline names a missing package, the caches searched and how to supply it, and opens no connection', async () => {
    const home = tempDir('vm-ig-home-');
    const before = registry.requests.length;
    const dir = unpack(join(CORPUS, 'igs-deps', 'idmatch.tgz'));
    const run = await runCli(dir, ['build', '--offline'], { env: env(home) });
    expect(run.status).toBe(1);
    const errors = run.report!.diagnostics.filter(d => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('hl7.fhir.us.core#6.1.0 is not available offline');
    expect(errors[0]!.message).toContain(join(home, '.fhir', 'packages'));
    expect(errors[0]!.message).toContain('vm-ig packages add path/to/hl7.fhir.us.core-6.1.0.tgz');
    expect(errors[0]!.message).toContain('vm-ig packages install hl7.fhir.us.core#6.1.0');
    expect(errors[0]!.location).toMatchObject({ file: 'sushi-config.yaml' });
    expect(registry.requests.length).toBe(before);

    const install = await runCli(dir, ['packages', 'install', '--offline'], { env: env(home) });
    expect(install.status).toBe(1);
    expect(install.stderr).toContain('hl7.fhir.us.core#6.1.0 is not available offline');
    expect(registry.requests.length).toBe(before);
  });
});

describe('versions as SUSHI resolves them', () => {
  it('latest is US Core 8.0.0; 6.1.x is 6.1.0; 3.x is refused; a guide depending on latest compiles', async () => {
    const home = tempDir('vm-ig-home-');
    const install = await runCli(tempDir(), ['packages', 'install', 'hl7.fhir.us.core#6.1.x', 'hl7.fhir.us.core'], { env: env(home) });
    expect(install.status, install.stderr).toBe(0);
    expect(cached(home)).toEqual(['hl7.fhir.us.core#6.1.0', 'hl7.fhir.us.core#8.0.0']);
    const bad = await runCli(tempDir(), ['packages', 'install', 'hl7.fhir.us.core#3.x'], { env: env(home) });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/wildcard must give major and minor versions, as in 3\.0\.x/);

    const project = tempDir('vm-ig-latest-');
    mkdirSync(join(project, 'input', 'fsh'), { recursive: true });
    writeFileSync(
      join(project, 'sushi-config.yaml'),
      'canonical: http://example.org/latest\nfhirVersion: 4.0.1\nFSHOnly: true\ndependencies:\n  hl7.fhir.us.core: latest\n'
    );
    writeFileSync(join(project, 'input', 'fsh', 'patient.fsh'), 'Profile: LatestPatient\nParent: USCorePatientProfile\n* birthDate 1..1\n');
    const fresh = tempDir('vm-ig-home-');
    const run = await runCli(project, ['compile'], { env: env(fresh) });
    expect(run.status, run.stderr).toBe(0);
    expect(cached(fresh)).toContain('hl7.fhir.us.core#8.0.0');
    const profile = JSON.parse(readFileSync(join(project, 'fsh-generated', 'resources', 'StructureDefinition-LatestPatient.json'), 'utf8')) as {
      baseDefinition: string;
    };
    expect(profile.baseDefinition).toBe('http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient');
  });

  it("a package's own dependencies the registry lacks fail nothing (SUSHI does not follow them)", async () => {
    // US Core 8.0.0 depends on six packages Verdaccio does not have; installing it asks for none of them.
    const home = tempDir('vm-ig-home-');
    const before = registry.requests.length;
    const run = await runCli(tempDir(), ['packages', 'install', 'hl7.fhir.us.core#8.0.0'], { env: env(home) });
    expect(run.status, run.stderr).toBe(0);
    expect(registry.requests.slice(before).every(r => r.includes('hl7.fhir.us.core'))).toBe(true);
  });
});

describe('a private registry', () => {
  let secured: Verdaccio;
  let token: string;

  beforeAll(async () => {
    secured = await startVerdaccio({ authenticated: true });
    token = await secured.addUser('ig-author', 'correct horse battery staple');
    const [usCore] = await corpusPackages(f => f.includes('#3.1.1'));
    await secured.publish(usCore!, token);
  });

  afterAll(async () => {
    await secured?.close();
  });

  it('refuses without FPL_REGISTRY_TOKEN (a clear 401) and serves with it, sent as SUSHI sends it', async () => {
    const home = tempDir('vm-ig-home-');
    const base = { HOME: home, FPL_REGISTRY: secured.url, VM_IG_TEST_FHIR_REGISTRIES: sentinel.url };
    const refused = await runCli(tempDir(), ['packages', 'install', 'hl7.fhir.us.core#3.1.1'], { env: onlineCliEnv(base) });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/hl7\.fhir\.us\.core#3\.1\.1.*127\.0\.0\.1.*HTTP 401.*FPL_REGISTRY_TOKEN/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(cached(home)).toEqual([]);

    const served = await runCli(tempDir(), ['packages', 'install', 'hl7.fhir.us.core#3.1.1'], { env: onlineCliEnv({ ...base, FPL_REGISTRY_TOKEN: token }) });
    expect(served.status, served.stderr).toBe(0);
    expect(cached(home)).toEqual(['hl7.fhir.us.core#3.1.1']);
  });
});
