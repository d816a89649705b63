/**
 * Hostile site sources in a temp copy of a project: menu URLs, page names, symbolic links out of
 * the project, loops and FIFOs, I/O failures during a build, work folders left by a killed build,
 * includes inside code blocks and the search index under different locales.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { runPipeline, type PipelineEvent } from '../../scripts/pipeline/sequencer.ts';
import { parseProjectConfig } from '../../scripts/project/config.ts';
import { renderStage } from '../../scripts/stages/render/stage.ts';
import { MINIMAL_CONFIG, REPO_ROOT, SHARED_PACKAGE_CACHE, makeProject, tempDir } from '../helpers/project.ts';
import { compiledContext, MINI_FIXTURE } from '../render/helpers.ts';

/** A temp copy of the mini fixture with the default theme. */
function project(files: Record<string, string> = {}): string {
  const root = makeProject(files, MINI_FIXTURE);
  cpSync(join(REPO_ROOT, 'site'), join(root, 'site'), { recursive: true });
  return root;
}

/** Every file under `dir` with its text. */
function siteText(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(full.slice(dir.length + 1), readFileSync(full, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

describe('menu URLs in sushi-config.yaml', () => {
  const config = (url: string) => `${MINIMAL_CONFIG.replace('  Home: index.html\n', '')}  Home: index.html\n  Evil: ${JSON.stringify(url)}\n`;
  const line = MINIMAL_CONFIG.replace('  Home: index.html\n', '').split('\n').length + 1;

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    ' javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'vbscript:msgbox',
    'file:///etc/passwd',
    '\\\\evil.example/x'
  ])('%j is a located error', url => {
    const { config: parsed, diagnostics } = parseProjectConfig(config(url), 'sushi-config.yaml');
    expect(parsed).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', rule: 'config-menu-url', location: { file: 'sushi-config.yaml', line, column: 9 } });
    expect(diagnostics[0]!.message).toMatch(/menu item 'Evil'/);
  });

  it.each([
    'index.html',
    'pages/guidance.html#top',
    '../other/index.html',
    'https://digital.nhs.uk/',
    'http://example.org/x',
    '#section',
    '//cdn.example.org/x'
  ])('%j is allowed', url => {
    expect(parseProjectConfig(config(url), 'sushi-config.yaml').diagnostics).toEqual([]);
  });

  it('a nested menu is checked too, and a build with a bad menu writes no site', async () => {
    const root = makeProject({ 'sushi-config.yaml': `${MINIMAL_CONFIG}  Group:\n    Ok: index.html\n    Bad: "data:text/html,x"\n` });
    const result = await runPipeline(root, ['site'], { packageCache: SHARED_PACKAGE_CACHE, userPackageCache: tempDir() });
    expect(result.diagnostics).toMatchObject([{ rule: 'config-menu-url', location: { line: MINIMAL_CONFIG.split('\n').length + 2 } }]);
    expect(existsSync(join(root, 'build', 'site'))).toBe(false);
  });
});

describe('hostile page names, links, loops and FIFOs', () => {
  let ctx: BuildContext;
  let site: Map<string, string>;
  let diagnostics: { rule: string; message: string; location?: { file?: string } }[];

  beforeAll(async () => {
    ctx = await compiledContext({
      'input/pagecontent/javascript:alert(1).md': '# Evil\n\nclick\n',
      'input/pagecontent/"onmouseover=alert(1) x=".md': '# Quote\n',
      'input/pagecontent/code.md': '# Code\n\n```liquid\n{% include error-table.md %}\n```\n\n~~~\n  {% include maturity-model.md %}\n~~~\n'
    });
    const root = ctx.paths.root;
    cpSync(join(REPO_ROOT, 'site'), join(root, 'site'), { recursive: true });
    const images = join(root, 'input', 'images');
    const pages = join(root, 'input', 'pagecontent');
    symlinkSync('/etc/passwd', join(images, 'passwd.svg'));
    symlinkSync('/etc', join(images, 'etc'));
    symlinkSync('.', join(images, 'loop'));
    symlinkSync('self.svg', join(images, 'self.svg'));
    symlinkSync('../../fsh/profiles.fsh', join(images, 'inside.txt'));
    symlinkSync('/etc/passwd', join(pages, 'secret.md'));
    execFileSync('mkfifo', [join(images, 'pipe.svg')]);
    execFileSync('mkfifo', [join(pages, 'pipe.md')]);
    const outcome = await renderStage(ctx);
    diagnostics = outcome.diagnostics;
    site = siteText(ctx.paths.site);
  }, 120_000);

  const located = (file: string) => diagnostics.find(d => d.location?.file === file);

  it('refuses page names that cannot be safe links, with a located error', () => {
    expect(located('input/pagecontent/javascript:alert(1).md')).toMatchObject({ rule: 'page-name' });
    expect(located('input/pagecontent/"onmouseover=alert(1) x=".md')).toMatchObject({ rule: 'page-name' });
    expect([...site.keys()].some(f => f.includes('javascript'))).toBe(false);
    for (const [file, text] of site) {
      expect(text, file).not.toMatch(/href="\s*javascript:/i);
      expect(text, file).not.toContain('javascript:alert(1)');
      expect(text, file).not.toContain('onmouseover=alert(1)');
    }
  });

  it('never follows a link out of the project (nothing of /etc/passwd in the site)', () => {
    const passwd = readFileSync('/etc/passwd', 'latin1');
    for (const [file, text] of site) expect(text.includes(passwd.split('\n')[0]!), file).toBe(false);
    expect(site.has('passwd.svg')).toBe(false);
    expect([...site.keys()].some(f => f.startsWith('etc/'))).toBe(false);
    expect(located('input/images/passwd.svg')?.message).toMatch(/symbolic link to something outside the project/);
    expect(located('input/images/etc')?.message).toMatch(/outside the project/);
    expect(located('input/pagecontent/secret.md')?.message).toMatch(/outside the project/);
  });

  it('follows a link that stays inside the project', () => {
    expect(site.get('inside.txt')).toBe(readFileSync(join(ctx.paths.root, 'fsh', 'profiles.fsh'), 'latin1'));
  });

  it('reports loops and FIFOs instead of hanging or crashing', () => {
    expect(located('input/images/loop')?.message).toMatch(/loop/);
    expect(located('input/images/self.svg')?.message).toMatch(/loop/);
    expect(located('input/images/pipe.svg')?.message).toMatch(/not a regular file \(a FIFO\)/);
    expect(located('input/pagecontent/pipe.md')?.message).toMatch(/not a regular file \(a FIFO\)/);
  });

  it('keeps {% include %} literal inside fenced code blocks', () => {
    const code = site.get('code.html')!;
    expect(code).toContain('{% include error-table.md %}');
    expect(code).toContain('{% include maturity-model.md %}');
    expect(diagnostics.filter(d => d.rule === 'site-include')).toEqual([]);
  });
});

describe('I/O failures during a build', () => {
  it('a file where build/ should be: a diagnostic and exit 2, not a stack trace and exit 70', async () => {
    const root = project();
    writeFileSync(join(root, 'build'), 'not a folder');
    const { code, stderr, stdout } = await new Promise<{ code: number; stderr: string; stdout: string }>(done => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'cli.ts'), '-C', root, 'site'],
        { cwd: REPO_ROOT, env: { ...process.env, VM_IG_PACKAGE_CACHE: SHARED_PACKAGE_CACHE, FHIR_PACKAGE_CACHE: tempDir() }, timeout: 120_000 },
        (e, out, err) => done({ code: (e as { code?: number } | null)?.code ?? 0, stdout: out, stderr: err })
      );
    });
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/internal error| {4}at /);
    expect(stderr).toMatch(/^build: error \w+: cannot \w+ build\b.*\((EEXIST|ENOTDIR)\); the previous output was left as it was$/m);
    expect(stdout).toMatch(/1 error,/);
    expect(readFileSync(join(root, 'build'), 'utf8')).toBe('not a folder');
  }, 120_000);

  it('disk full while writing the package: the previous package stays, and the error is located', async () => {
    const root = project();
    const options = { packageCache: SHARED_PACKAGE_CACHE, userPackageCache: tempDir() };
    expect((await runPipeline(root, ['package'], options)).ioFailure).toBeUndefined();
    const before = readFileSync(join(root, 'build', 'package.tgz'));
    // Without its build cache entry the package stage writes the package again.
    rmSync(join(root, '.vm-ig-cache', 'package'), { recursive: true, force: true });
    // The temp file the atomic write uses, pointed at /dev/full: every write fails with ENOSPC.
    symlinkSync('/dev/full', join(root, 'build', `.package.tgz.${process.pid}.tmp`));
    const events: PipelineEvent[] = [];
    const result = await runPipeline(root, ['package'], { ...options, onEvent: e => events.push(e) });
    expect(result.ioFailure).toBe(true);
    // The failing stage still ends with its diagnostic, so the dev overlay and progress show it.
    const end = events.find(e => e.type === 'stage-end' && e.stage === 'package');
    expect(end?.type === 'stage-end' ? end.outcome.diagnostics.map(d => d.rule) : []).toEqual(['io-error']);
    expect(result.diagnostics.filter(d => d.severity === 'error')).toMatchObject([
      { rule: 'io-error', message: expect.stringMatching(/the disk is full \(ENOSPC\)/) }
    ]);
    expect(readFileSync(join(root, 'build', 'package.tgz'))).toEqual(before);
  }, 120_000);

  it('staging and old folders left by an interrupted build are removed by the next one', async () => {
    const root = project();
    const dead = 99_999_999;
    for (const dir of [`build/site.staging-${dead}`, `build/site.old-${dead}`, `fsh-generated.staging-${dead}`, `fsh-generated.old-${dead}`]) {
      mkdirSync(join(root, dir, 'half'), { recursive: true });
    }
    mkdirSync(join(root, 'fsh-generated'), { recursive: true });
    const result = await runPipeline(root, ['site'], { packageCache: SHARED_PACKAGE_CACHE, userPackageCache: tempDir() });
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(readdirSync(join(root, 'build')).filter(n => /\.(staging|old)-/.test(n))).toEqual([]);
    expect(existsSync(join(root, 'build', 'site', 'index.html'))).toBe(true);
    expect(readdirSync(root).filter(n => n.startsWith('fsh-generated'))).toEqual(['fsh-generated']);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);
});

describe('the search index under any LANG', () => {
  it('is byte-identical whatever the locale', async () => {
    const script = `import { buildSearchScript } from ${JSON.stringify(join(REPO_ROOT, 'scripts/stages/render/search.ts'))};
const ids = ['z', 'ä', 'a', 'aa', 'å', 'I', 'ı', 'i', 'Ö', 'o', 'ch', 'c', 'h'];
process.stdout.write(buildSearchScript(ids.map(id => ({ id: id + '.html', title: id, kind: 'Page', text: 'x ' + id }))));`;
    const dir = tempDir();
    writeFileSync(join(dir, 'search.mts'), script);
    const outputs = await Promise.all(
      ['C', 'en_GB.UTF-8', 'sv_SE.UTF-8', 'tr_TR.UTF-8', 'da_DK.UTF-8', 'cs_CZ.UTF-8'].map(
        lang =>
          new Promise<string>((done, fail) => {
            execFile(
              process.execPath,
              ['--import', 'tsx', join(dir, 'search.mts')],
              { cwd: REPO_ROOT, env: { ...process.env, LANG: lang, LC_ALL: lang } },
              (e, out) => (e ? fail(e) : done(out))
            );
          })
      )
    );
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toMatch(/VMIG_SEARCH/);
  }, 60_000);
});
