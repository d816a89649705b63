/**
 * Project conventions beyond the standard fixture: a guide with no `pages:` or menu (every
 * source is a page except included fragments), pages in input/pages and input/resource-docs,
 * a logical model, packageId names; the FSH folder rules; theme errors as located diagnostics.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGuide, type GuideBuild, copyGuide, leftovers, mainOf, readText } from './helpers.ts';

describe('a guide with no pages: or menu in its configuration', () => {
  let root: string;
  let result: GuideBuild;
  const site = (p: string) => readText(join(root, 'build', 'site', p));

  beforeAll(async () => {
    root = copyGuide('free-pages');
    result = await buildGuide(root);
  }, 120_000);

  it('builds every source of input/pages and input/resource-docs as a page, but not a fragment', () => {
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    const pages = result.sitePages;
    for (const p of ['guidance.html', 'model-notes-page.html', 'downloads.html', 'index.html']) expect(pages, p).toContain(p);
    expect(pages).not.toContain('steps.html');
    expect(mainOf(site('guidance.html'))).toMatch(/<ol>\s*<li>Find the patient.<\/li>/);
    expect(mainOf(site('guidance.html'))).toContain('<h2 id="how">How to refer</h2>');
  });

  it("keeps the author's downloads page, with the zips named by packageId below it", () => {
    const downloads = mainOf(site('downloads.html'));
    expect(downloads.indexOf("The author's own words")).toBeGreaterThan(0);
    expect(downloads.indexOf("The author's own words")).toBeLessThan(downloads.indexOf('example.fixture.freepkg-json.zip'));
    expect(existsSync(join(root, 'build', 'site', 'example.fixture.freepkg-xml.zip'))).toBe(true);
    expect(site('index.html')).toContain('package example.fixture.freepkg version 0.3.0');
  });

  it('renders the logical model with its notes from input/resource-docs, and 0 broken links', () => {
    const model = mainOf(site('StructureDefinition-fixture-referral.html'));
    expect(model).toContain('patientName');
    expect(model).toContain('These <strong>notes</strong> come from input/resource-docs.');
    expect(result.diagnostics.filter(d => d.rule === 'site-broken-link')).toEqual([]);
    for (const p of result.sitePages) expect(leftovers(site(p)), p).toEqual([]);
  });
});

describe('the FSH folder', () => {
  it('is an error naming both folders when the project has neither', async () => {
    const root = copyGuide('free-pages');
    rmSync(join(root, 'input', 'fsh'), { recursive: true });
    const result = await buildGuide(root, 'compile');
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        rule: 'project-layout',
        message: expect.stringMatching(/no FSH folder: looked for input\/fsh\/ and fsh\/ in /)
      })
    ]);
  });

  it('is an error when both input/fsh/ and fsh/ exist', async () => {
    const root = copyGuide('free-pages');
    mkdirSync(join(root, 'fsh'));
    const result = await buildGuide(root, 'compile');
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'project-layout', message: expect.stringContaining('both input/fsh/ and fsh/ exist') })
    ]);
  });

  it("may be fsh/ (this guide's layout)", async () => {
    const root = copyGuide('free-pages');
    renameSync(join(root, 'input', 'fsh'), join(root, 'fsh'));
    const result = await buildGuide(root, 'compile');
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(result.counts.logicals).toBe(1);
  });

  it('never compiles nothing silently: no .fsh file and no predefined resource is an error', async () => {
    const root = copyGuide('free-pages');
    rmSync(join(root, 'input', 'fsh', 'model.fsh'));
    const result = await buildGuide(root, 'compile');
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'compile-empty', location: { file: 'input/fsh' } }));
  });
});

describe('theme errors', () => {
  it('are located diagnostics; the diagnostics gathered before them are kept and the build does not crash', async () => {
    const root = copyGuide('free-pages');
    mkdirSync(join(root, 'site', 'layouts'), { recursive: true });
    writeFileSync(join(root, 'site', 'layouts', 'page.hbs'), '<html>{{#if title}}<h1>{{title}}</h1></html>\n');
    mkdirSync(join(root, 'input', 'examples'));
    writeFileSync(
      join(root, 'input', 'examples', 'Observation-ask-one.json'),
      JSON.stringify({ resourceType: 'Observation', id: 'ask-one', status: 'final', code: { text: 'x' } })
    );
    const result = await buildGuide(root);
    expect(result.ran).toContain('site');
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', rule: 'site-theme', location: expect.objectContaining({ file: 'site/layouts/page.hbs' }) })
    );
    // A compile-stage warning gathered before the theme failed is still reported.
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'warning', rule: 'predefined-overrides', location: { file: 'input/examples/Observation-ask-one.json' } })
    );
    expect(existsSync(join(root, 'build', 'package.tgz'))).toBe(true);
  });

  it('a theme without a page layout is named with the file it needs', async () => {
    const root = copyGuide('free-pages');
    mkdirSync(join(root, 'site', 'partials'), { recursive: true });
    const result = await buildGuide(root);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        rule: 'site-theme',
        message: expect.stringContaining("no layout 'page'"),
        location: expect.objectContaining({ file: 'site/layouts/page.hbs' })
      })
    );
  });
});
