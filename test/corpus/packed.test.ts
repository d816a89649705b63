/**
 * The tool as users get it: `npm pack` (which runs the bundle step, as publishing does), the
 * tarball unpacked where npm installs a dependency (node_modules/uk-nhs-vm-ig, with the
 * node_modules/.bin/vm-ig link), and the installed `vm-ig` building a five-line guide that has no
 * `site/` theme of its own into a full site. npm itself cannot install offline here (the lock file
 * keeps no registry URLs and the npm cache holds no metadata), and tests send no traffic beyond
 * loopback, so the libraries come from this checkout's node_modules, linked in beside the tool.
 * What this checks is what the tarball carries (package.json `files`) and that the bundle finds
 * its runtime files from an installed location.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, type CliRun } from '../helpers/cli.ts';
import { dedent, makeProject, REPO_ROOT, tempDir } from '../helpers/project.ts';

let installed: string;
let guide: string;
let run: CliRun;

beforeAll(() => {
  const packs = tempDir('vm-ig-pack-');
  execFileSync('npm', ['pack', '--pack-destination', packs, '--silent'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 280_000 });
  const tarball = readdirSync(packs).find(f => f.endsWith('.tgz'))!;
  installed = tempDir('vm-ig-installed-');
  const modules = join(installed, 'node_modules');
  const tool = join(modules, 'uk-nhs-vm-ig');
  mkdirSync(tool, { recursive: true });
  execFileSync('tar', ['-xzf', join(packs, tarball), '-C', tool, '--strip-components=1']);
  for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (name.startsWith('.')) continue;
    symlinkSync(join(REPO_ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  mkdirSync(join(modules, '.bin'));
  symlinkSync(join('..', 'uk-nhs-vm-ig', 'bin', 'vm-ig.js'), join(modules, '.bin', 'vm-ig'));
}, 300_000);

describe('the packed tool, installed', () => {
  it('ships its bundle, the default theme and no test or guide content', () => {
    const pkg = join(installed, 'node_modules', 'uk-nhs-vm-ig');
    expect(existsSync(join(pkg, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(pkg, 'scripts', 'render', 'default-theme', 'layouts', 'page.hbs'))).toBe(true);
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
