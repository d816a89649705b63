/**
 * The built-in default theme (a guide without site/) in chromium at 1280 and 390 px (#28): no page
 * is wider than the window (the element tree, summary lists, long URLs and code stay inside it),
 * the element tree's notes never run into the words before them, the release banner is on every
 * page, and the home page is titled as SUSHI titles it. Screenshots: test-results/screenshots/default-theme-*.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSite } from '../../scripts/stages/render/site.ts';
import { DEFAULT_THEME_DIR } from '../../scripts/stages/render/theme.ts';
import { writeSiteAtomically } from '../../scripts/stages/render/write.ts';
import { readPageSources } from '../../scripts/stages/render/stage.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { compiledContext } from '../render/helpers.ts';
import { launchChromium, watchPage, type LaunchedBrowser } from './chromium.ts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
let launched: LaunchedBrowser;
let siteDir: string;
let pages: string[] = [];

beforeAll(async () => {
  const ctx = await compiledContext({
    'input/pagecontent/index.md':
      '# Welcome\n\nA very long address: https://example.org/an/extremely/long/path/that/never/breaks/on/its/own/because/it/has/no/spaces/at/all.html and `AVeryLongIdentifierInCodeThatWouldOtherwiseRunPastTheRightEdgeOfAPhone`.\n'
  });
  const site = renderSite({
    config: { ...ctx.config, pages: [] },
    resources: ctx.compiled!.resources,
    implementationGuide: ctx.compiled!.implementationGuide,
    pageSources: readPageSources(ctx.paths.pagecontent),
    themeDir: DEFAULT_THEME_DIR,
    builtInTheme: true,
    packageCache: SHARED_PACKAGE_CACHE
  });
  siteDir = join(tempDir('vm-ig-default-theme-'), 'site');
  writeSiteAtomically(site.files, siteDir);
  const profile = site.pages.find(p => /^StructureDefinition-[^.]*\.html$/.test(p) && !/-(definitions|mappings|examples)\.html$/.test(p))!;
  const example = site.pages.find(p => /^Observation-[^.]*\.html$/.test(p))!;
  pages = [
    'index.html',
    'artifacts.html',
    'downloads.html',
    profile,
    profile.replace('.html', '-definitions.html'),
    example,
    example.replace('.html', '.ttl.html')
  ];
  mkdirSync(SCREENSHOTS, { recursive: true });
  launched = await launchChromium();
});

afterAll(async () => {
  await launched?.close();
});

describe.each([1280, 390])('default theme at %i px', width => {
  it('no page is wider than the window; the banner is on each page', async () => {
    const page = await launched.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    const watch = watchPage(page);
    for (const path of pages) {
      await page.goto(pathToFileURL(join(siteDir, path)).href);
      const { scroll, client, banner } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        banner: document.querySelector('.ig-banner')?.textContent ?? ''
      }));
      expect(scroll, `${path} at ${width} px`).toBeLessThanOrEqual(client);
      expect(banner, path).toMatch(/continuous integration build \(version /);
      await page.screenshot({ path: join(SCREENSHOTS, `default-theme-${width}-${path.replace(/\W+/g, '-')}.png`), fullPage: false });
    }
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it('element notes and short descriptions are blocks of their own: no words run together', async () => {
    const page = await launched.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(pathToFileURL(join(siteDir, pages[3]!)).href);
    const inline = await page.evaluate(() =>
      [...document.querySelectorAll('.vm-el__short, .vm-el__note')].filter(e => getComputedStyle(e).display !== 'block').map(e => e.className)
    );
    expect(inline).toEqual([]);
    // A row's cells never overlap (narrow screens stack them with spaces between).
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('.vm-tree-table tr.vm-el')].slice(0, 10).map(tr => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim())
    );
    for (const text of rows) expect(text).not.toMatch(/[a-z]\.\.[0-9*]|[0-9*][A-Z][a-z]/);
    await page.close();
  });

  it('the home page is titled Home (as SUSHI titles an index no pages: entry lists)', async () => {
    const page = await launched.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(pathToFileURL(join(siteDir, 'index.html')).href);
    expect(await page.locator('h1').textContent()).toBe('Home');
    await page.close();
  });
});
