/**
 * Hostile guides, round two (issue #27), built with the installed CLI as users run it: resource ids
 * that are paths, FSH through symbolic links out of the project, inputs too big or too deep for
 * the readers (a 20 MB string, JSON and XML nested 5,000 levels, a half-million-concept CodeSystem),
 * an XML resource with a DOCTYPE, a `pages:` entry with `../`, Liquid that runs away, includes
 * refused in resource text. Each is a located error or warning saying why, the build exits 1 (never
 * 70 with a stack trace), and nothing is written outside build/ and the caches.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { outputPath, UnsafeOutputPath } from '../../scripts/util/atomic.ts';
import { packGuide } from '../../scripts/stages/package/write.ts';
import { parseProjectConfig } from '../../scripts/project/config.ts';
import { FSH_LIMITS, readFshFiles } from '../../scripts/project/fsh-files.ts';
import { BUILD_RENDER_MS, renderLiquid, startRenderBudget } from '../../scripts/stages/render/liquid.ts';
import { highlightCode } from '../../scripts/stages/render/highlight.ts';
import { writeSiteAtomically } from '../../scripts/stages/render/write.ts';
import { parseInput } from '../../scripts/lib/validator/parse.ts';
import { loadConformance } from '../../scripts/lib/validator/load.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { MINIMAL_CONFIG, makeProject, REPO_ROOT, tempDir } from '../helpers/project.ts';
import { MINI_FIXTURE } from '../render/helpers.ts';
import { snapshot } from './snapshot.ts';

const DEPTH = 5_000;
const deepJson = (id: string) =>
  `{"resourceType":"Patient","id":"${id}","extension":${'[{"url":"http://x","extension":'.repeat(DEPTH)}[]${'}]'.repeat(DEPTH)}}`;
const deepXml = (id: string) =>
  `<Patient xmlns="http://hl7.org/fhir"><id value="${id}"/>${'<extension url="http://x">'.repeat(DEPTH)}<valueString value="a"/>${'</extension>'.repeat(DEPTH)}</Patient>`;
const DOCTYPE_XML =
  '<?xml version="1.0"?>\n<!DOCTYPE Patient [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Patient xmlns="http://hl7.org/fhir"><id value="dtd"/><name><family value="&x;"/></name></Patient>\n';

/** A CodeSystem of `n` concepts in FSH (half a million is about 14 MB). */
function bigCodeSystem(n: number): string {
  const lines = ['CodeSystem: Big', 'Id: big', 'Title: "Big"'];
  for (let i = 0; i < n; i++) lines.push(`* #c${i} "Concept ${i}"`);
  return `${lines.join('\n')}\n`;
}

function errorsAt(run: CliRun, file: string) {
  return run.report!.diagnostics.filter(d => d.severity === 'error' && d.location?.file === file);
}

function expectNoCrash(run: CliRun): void {
  expect(run.stderr).not.toMatch(/ {4}at |Maximum call stack|internal error/);
  expect(run.status).toBe(1);
}

describe('a resource id is never a path', () => {
  let run: CliRun;
  let victim: string;
  let root: string;
  let outside: Map<string, string>;

  beforeAll(async () => {
    victim = tempDir('vm-ig-victim-');
    writeFileSync(join(victim, 'keep.txt'), 'untouched');
    root = makeProject({}, MINI_FIXTURE);
    const id = `${'../'.repeat(40)}${victim.slice(1)}/package`;
    mkdirSync(join(root, 'input', 'examples'), { recursive: true });
    writeFileSync(join(root, 'input/examples/Patient-v.json'), JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'X' }] }));
    outside = snapshot(dirname(root), [root.slice(dirname(root).length + 1)].concat(readdirSync(dirname(root)).filter(n => n !== victim.split('/').pop())));
    run = await runCli(root, ['build']);
  }, 120_000);

  it('is a located error at its file, and the build exits 1', () => {
    expectNoCrash(run);
    expect(errorsAt(run, 'input/examples/Patient-v.json')).toMatchObject([{ rule: 'resource-id', message: expect.stringMatching(/not a valid FHIR id/) }]);
  });

  it('writes nothing outside the project: no package.json, .html or .xml beside the victim', () => {
    expect(readdirSync(victim)).toEqual(['keep.txt']);
    expect(
      snapshot(dirname(root), [root.slice(dirname(root).length + 1)].concat(readdirSync(dirname(root)).filter(n => n !== victim.split('/').pop())))
    ).toEqual(outside);
  });

  it('leaves the resource out of the package and the site', () => {
    const tgz = join(root, 'build', 'package.tgz');
    if (existsSync(tgz)) expect(gunzipSync(readFileSync(tgz)).toString('latin1')).not.toContain('Patient-..');
    const site = join(root, 'build', 'site');
    if (existsSync(site)) expect(readdirSync(site).filter(n => n.includes('Patient-'))).toEqual([]);
  });

  it('an instance of a logical model (its type a URL, no id) is kept, its pages named Binary-{id} as SUSHI names its file', async () => {
    const project = makeProject(
      {
        'fsh/lm.fsh':
          'Logical: MyModel\nId: my-model\nTitle: "My model"\nDescription: "A model."\n* name 0..1 string "Name" "A name."\n\nInstance: my-model-example\nInstanceOf: MyModel\nUsage: #example\n* name = "x"\n'
      },
      MINI_FIXTURE
    );
    const built = await runCli(project, ['build']);
    expect(built.report!.diagnostics.filter(d => d.rule === 'resource-id')).toEqual([]);
    expect(existsSync(join(project, 'build', 'site', 'Binary-my-model-example.html'))).toBe(true);
  }, 120_000);

  it('every writer refuses a path outside its folder (site, package entries)', () => {
    const dir = tempDir();
    const target = join(dir, 'site');
    expect(() => writeSiteAtomically(new Map([['../escaped.html', 'x']]), target)).toThrow(UnsafeOutputPath);
    expect(() => writeSiteAtomically(new Map([['/tmp/escaped.html', 'x']]), target)).toThrow(UnsafeOutputPath);
    expect(existsSync(join(dir, 'escaped.html'))).toBe(false);
    for (const bad of ['a/../../b', '..', 'a\\..\\b', 'x\u0000y', '']) expect(() => outputPath(dir, bad), bad).toThrow(UnsafeOutputPath);
    expect(outputPath(dir, 'Patient-a.b-c.html')).toBe(join(dir, 'Patient-a.b-c.html'));
    const config = parseProjectConfig(MINIMAL_CONFIG, 'sushi-config.yaml').config!;
    const resource = { fileName: 'Patient-../../x.json', resource: { resourceType: 'Patient', id: '../../x' }, usage: 'example' };
    expect(() => packGuide({ config, resources: [resource] })).toThrow(UnsafeOutputPath);
  });
});

describe('the other hostile inputs of a guide, built together', () => {
  let run: CliRun;
  let root: string;
  let elsewhere: string;
  let victim: string;
  let before: Map<string, string>;

  beforeAll(async () => {
    root = makeProject({}, MINI_FIXTURE);
    elsewhere = tempDir('vm-ig-elsewhere-');
    writeFileSync(join(elsewhere, 'secret.fsh'), 'Instance: Leaked\nInstanceOf: Patient\n* name.family = "Leaked"\n');
    before = snapshot(elsewhere);
    symlinkSync(elsewhere, join(root, 'fsh', 'linked'));
    symlinkSync('/etc/passwd', join(root, 'fsh', 'passwd.fsh'));
    writeFileSync(join(root, 'fsh', 'big.fsh'), bigCodeSystem(500_000));
    const examples = join(root, 'input', 'examples');
    mkdirSync(examples, { recursive: true });
    writeFileSync(join(examples, 'Patient-deep.json'), deepJson('deep'));
    writeFileSync(join(examples, 'Patient-deepx.xml'), deepXml('deepx'));
    writeFileSync(join(examples, 'Patient-dtd.xml'), DOCTYPE_XML);
    victim = tempDir('vm-ig-victim-');
    writeFileSync(join(examples, 'Patient-v.json'), JSON.stringify({ resourceType: 'Patient', id: `${'../'.repeat(40)}${victim.slice(1)}/package` }));
    run = await runCli(root, ['build'], { timeoutMs: 120_000 });
  }, 150_000);

  it('exits 1 with located errors, without a stack trace, and writes nothing outside the project', () => {
    expectNoCrash(run);
    expect(errorsAt(run, 'input/examples/Patient-v.json')).toMatchObject([{ rule: 'resource-id' }]);
    expect(readdirSync(victim)).toEqual([]);
    expect(snapshot(elsewhere)).toEqual(before);
  });

  it('refuses FSH through symbolic links out of the project, with the same rule and message as pages and images', () => {
    const skipped = run.report!.diagnostics.filter(d => d.rule === 'source-skipped');
    expect(skipped.find(d => d.location?.file === 'fsh/linked')?.message).toMatch(/symbolic link to something outside the project/);
    expect(skipped.find(d => d.location?.file === 'fsh/passwd.fsh')?.message).toMatch(/symbolic link to something outside the project/);
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    expect(run.stdout + run.stderr).not.toContain(firstLine);
    expect(JSON.stringify(run.report)).not.toContain('Leaked');
    expect(snapshot(elsewhere)).toEqual(before);
  });

  it('bounds FSH before SUSHI parses it', () => {
    expect(errorsAt(run, 'fsh/big.fsh')).toMatchObject([{ rule: 'fsh-too-large', message: expect.stringMatching(/MB/) }]);
    expect(FSH_LIMITS.maxFileBytes).toBeLessThan(14 * 1024 * 1024);
  });

  it('reports predefined JSON and XML nested too deeply, and a DOCTYPE, with the reason', () => {
    expect(errorsAt(run, 'input/examples/Patient-deep.json')).toMatchObject([
      { rule: 'predefined-unreadable', message: expect.stringMatching(/nested more than 100/) }
    ]);
    expect(errorsAt(run, 'input/examples/Patient-deepx.xml')).toMatchObject([
      { rule: 'predefined-unreadable', message: expect.stringMatching(/nested more than 100/) }
    ]);
    expect(errorsAt(run, 'input/examples/Patient-dtd.xml')).toMatchObject([{ rule: 'predefined-unreadable', message: expect.stringMatching(/DOCTYPE/) }]);
    expect(run.stdout + run.stderr).not.toMatch(/Failed to register resource/);
  });
});

describe('FSH limits', () => {
  it('counts concept rules before SUSHI parses: one past the limit is an error on its line', () => {
    const root = makeProject({ 'fsh/ok.fsh': 'Alias: $x = http://x\n', 'fsh/many.fsh': bigCodeSystem(FSH_LIMITS.maxConceptsPerFile + 5) });
    const { files, diagnostics } = readFshFiles(join(root, 'fsh'), root);
    expect(files.map(f => f.path)).toEqual([join(root, 'fsh', 'ok.fsh')]);
    expect(diagnostics).toMatchObject([
      { severity: 'error', rule: 'fsh-too-large', location: { file: 'fsh/many.fsh', line: 3 + FSH_LIMITS.maxConceptsPerFile + 1 } }
    ]);
    expect(diagnostics[0]!.message).toMatch(/more than 20,000 concept rules/);
  });
});

describe('a 20 MB string in a predefined resource', () => {
  it('is a located validation error; the site renders it without a stack overflow', async () => {
    const root = makeProject({}, MINI_FIXTURE);
    mkdirSync(join(root, 'input', 'examples'), { recursive: true });
    writeFileSync(
      join(root, 'input/examples/Patient-big.json'),
      JSON.stringify({ resourceType: 'Patient', id: 'big', name: [{ family: 'x'.repeat(20 << 20) }] })
    );
    const run = await runCli(root, ['build'], { timeoutMs: 120_000 });
    expectNoCrash(run);
    expect(errorsAt(run, 'input/examples/Patient-big.json')[0]?.message).toMatch(/characters long/);
    expect(existsSync(join(root, 'build', 'site', 'Patient-big.html'))).toBe(true);
  }, 150_000);

  it('the highlighter shows such code escaped, never recursing', () => {
    const json = JSON.stringify({ a: `<${'x'.repeat(20 << 20)}>` });
    const out = highlightCode(json, 'json');
    expect(out).toContain('&lt;xxx');
    expect(highlightCode(`<a b="c">${'&amp;x'.repeat(300_000)}</a>`, 'xml')).toContain('hljs-symbol');
  });
});

describe('deep XML in vm-ig validate and the check page', () => {
  it('is a structure-depth error, not "Maximum call stack size exceeded"', async () => {
    const parsed = parseInput(deepXml('x'), 'deep.xml');
    expect(parsed.problem).toMatchObject({ rule: 'structure-depth', message: expect.stringMatching(/nested more than 100/) });
    // The check page's worker reads through the validator's own XML reader: refused before it.
    const own = parseInput(deepXml('x'), 'deep.xml', () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(own.problem?.rule).toBe('structure-depth');
    const dir = tempDir();
    writeFileSync(join(dir, 'deep.xml'), deepXml('x'));
    const run = await runCli(REPO_ROOT, ['validate', join(dir, 'deep.xml')], { timeoutMs: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toMatch(/Maximum call stack/);
    expect(run.stdout).toMatch(/nested more than 100 levels deep/);
  }, 90_000);
});

describe('deep JSON through validate --load', () => {
  it('is refused with the same limit, not read into a recursive walk', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deep.json'), deepJson('x'));
    const loaded = await loadConformance([join(dir, 'deep.json')]);
    expect(loaded.diagnostics).toMatchObject([{ severity: 'error', message: expect.stringMatching(/nested more than 100 levels/) }]);
  });
});

describe('silent refusals', () => {
  it('a pages: entry with ../ is a located error, and nothing is built with it', async () => {
    const config = `${MINIMAL_CONFIG}pages:\n  index.md:\n    title: Home\n  ../../../tmp/evil.md:\n    title: Evil\n`;
    const { diagnostics } = parseProjectConfig(config, 'sushi-config.yaml');
    const line = config.split('\n').findIndex(l => l.includes('evil.md')) + 1;
    expect(diagnostics).toMatchObject([{ severity: 'error', rule: 'config-page-name', location: { file: 'sushi-config.yaml', line, column: 3 } }]);
    expect(diagnostics[0]!.message).toMatch(/never a path/);
    const root = makeProject({ 'sushi-config.yaml': config, 'fsh/x.fsh': '', 'input/pagecontent/index.md': '# Home\n' });
    const run = await runCli(root, ['build'], { timeoutMs: 60_000 });
    expect(run.status).toBe(1);
    expect(run.report!.diagnostics.some(d => d.rule === 'config-page-name')).toBe(true);
    expect(existsSync(join(root, 'build', 'site'))).toBe(false);
  }, 90_000);

  it('an include refused in a resource description is a located warning, not silence', async () => {
    const root = makeProject({}, MINI_FIXTURE);
    const fsh = join(root, 'fsh', 'terminology.fsh');
    writeFileSync(
      fsh,
      readFileSync(fsh, 'utf8').replace('Description: "Basic *chargeable* status."', 'Description: "Basic {% include ../../etc/passwd %} status."')
    );
    const run = await runCli(root, ['site'], { timeoutMs: 90_000 });
    const d = run.report!.diagnostics.find(x => x.rule === 'site-include');
    expect(d?.message).toMatch(/cannot include '..\/..\/etc\/passwd'.*resource's text/);
    expect(d?.location).toMatchObject({ file: 'fsh/terminology.fsh', line: 1 });
  }, 120_000);
});

describe('Liquid limits', () => {
  const loop = '{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}';

  it('a runaway loop is an error on its own line, after code blocks and front matter', () => {
    startRenderBudget();
    const page = `---\ntitle: T\n---\n# T\n\n\`\`\`\na\nb\n\`\`\`\n\n${loop}\n`;
    const out = renderLiquid(page, { file: 'p.md', markdown: true, variables: {}, resolveInclude: () => undefined });
    expect(out.diagnostics).toMatchObject([{ severity: 'error', rule: 'site-liquid-limit', location: { file: 'p.md', line: 11 } }]);
    expect(out.diagnostics[0]!.message).not.toMatch(/line:\d/);
    expect(out.text).toContain('```\na\nb\n```');
  });

  it('the whole build has one render budget: 40 pages of long loops stop early, each an error', () => {
    startRenderBudget(1_500);
    const started = performance.now();
    const results = Array.from({ length: 40 }, (_, i) =>
      renderLiquid(`# Page ${i}\n\n${loop}\n`, { file: `p${i}.md`, markdown: true, variables: {}, resolveInclude: () => undefined })
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    for (const r of results) expect(r.diagnostics).toMatchObject([{ severity: 'error', rule: 'site-liquid-limit' }]);
    expect(results.at(-1)!.diagnostics[0]!.message).toMatch(/budget/);
    startRenderBudget();
    expect(BUILD_RENDER_MS).toBeGreaterThan(0);
  });

  it('a build whose page runs away exits 1 with the error on the loop’s line', async () => {
    const root = makeProject({ 'input/pagecontent/guidance.md': `# Guidance\n\n\`\`\`\ncode\nmore\n\`\`\`\n\n${loop}\n` }, MINI_FIXTURE);
    const run = await runCli(root, ['site'], { timeoutMs: 90_000 });
    expect(run.status).toBe(1);
    expect(run.report!.diagnostics.filter(d => d.rule === 'site-liquid-limit')).toMatchObject([
      { severity: 'error', location: { file: 'input/pagecontent/guidance.md', line: 8 } }
    ]);
  }, 120_000);
});
