/**
 * The tool as users get it: `npm pack` (which runs the bundle step, as publishing does), then
 * `npm ci` of that tarball into an empty folder, then the installed `vm-ig` builds a five-line
 * guide that has no `site/` theme of its own into a full site. The install runs offline, from the
 * npm cache the repository's own `npm ci` filled (tests send no traffic beyond loopback): the
 * user's lock file is this repository's, minus its development packages, with the packed tarball
 * as the one dependency and each package's registry URL written in (this repository's lock leaves
 * them out), so npm needs no registry metadata.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, type CliRun } from '../helpers/cli.ts';
import { dedent, makeProject, REPO_ROOT, tempDir } from '../helpers/project.ts';

interface LockEntry {
  version?: string;
  resolved?: string;
  dev?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

/** This repository's lock file as a user's whose one dependency is the packed tool. */
function userLock(spec: string): unknown {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
  const root = lock.packages['']!;
  const packages: Record<string, LockEntry> = {
    '': { name: 'a-user', version: '1.0.0', dependencies: { 'uk-nhs-vm-ig': spec } },
    'node_modules/uk-nhs-vm-ig': { version: root.version, resolved: spec, dependencies: root.dependencies, bin: root.bin, engines: root.engines }
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.dev) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const resolved = entry.resolved ?? (entry.link ? undefined : `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`);
    packages[path] = { ...entry, ...(resolved ? { resolved } : {}) };
  }
  return { name: 'a-user', version: '1.0.0', lockfileVersion: lock.lockfileVersion, requires: true, packages };
}

let installed: string;
let guide: string;
let run: CliRun;

beforeAll(() => {
  const packs = tempDir('vm-ig-pack-');
  execFileSync('npm', ['pack', '--pack-destination', packs, '--silent'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 280_000 });
  const tarball = readdirSync(packs).find(f => f.endsWith('.tgz'))!;
  const spec = `file:${join(packs, tarball)}`;
  installed = tempDir('vm-ig-installed-');
  writeFileSync(
    join(installed, 'package.json'),
    `${JSON.stringify({ name: 'a-user', version: '1.0.0', private: true, dependencies: { 'uk-nhs-vm-ig': spec } }, null, 2)}\n`
  );
  writeFileSync(join(installed, 'package-lock.json'), `${JSON.stringify(userLock(spec), null, 2)}\n`);
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: installed, encoding: 'utf8', timeout: 280_000 });
}, 300_000);

describe('the packed tool, installed', () => {
  it('ships its bundle, the default theme and no test or guide content', () => {
    const pkg = join(installed, 'node_modules', 'uk-nhs-vm-ig');
    expect(existsSync(join(pkg, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(pkg, 'scripts', 'stages', 'render', 'default-theme', 'layouts', 'page.hbs'))).toBe(true);
    for (const absent of ['test', 'fsh', 'input', 'site', 'bench']) expect(existsSync(join(pkg, absent)), absent).toBe(false);
  });

  it('builds a five-line guide without a theme to a full site', async () => {
    guide = makeProject({
      'sushi-config.yaml': dedent(`
        id: example.five.lines
        canonical: http://example.org/five
        name: FiveLines
        status: draft
        fhirVersion: 4.0.1
      `),
      'input/fsh/profile.fsh': 'Profile: FivePatient\nParent: Patient\n* name 1..*\n',
      'input/pagecontent/index.md': '# Five lines\n\nA guide of five lines.\n'
    });
    run = await runCli(guide, ['build'], { cli: join(installed, 'node_modules', '.bin', 'vm-ig'), env: cliEnv() });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const site = join(guide, 'build', 'site');
    for (const page of ['index.html', 'toc.html', 'artifacts.html', 'qa.html', 'StructureDefinition-FivePatient.html'])
      expect(existsSync(join(site, page)), page).toBe(true);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain('A guide of five lines.');
    expect(run.report!.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  });
});
