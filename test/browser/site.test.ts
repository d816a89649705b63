/**
 * The built site in Debian's chromium, opened from file:// (so it works without a server):
 * home, a profile page's tabs and tree, an example's JSON/XML switch and copy, search, hostile
 * content staying inert, and axe finding no serious or critical violation on each page type.
 * Screenshots go to test-results/screenshots/ for review.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSiteAtomically } from '../../scripts/stages/render/write.ts';
import { REPO_ROOT, tempDir } from '../helpers/project.ts';
import { compiledContext } from '../render/helpers.ts';
import { HOSTILE_FILES } from '../render/safety-fixture.ts';
import { renderContext } from '../render/site-fixture.ts';
import { launchChromium, watchPage, type LaunchedBrowser, type PageWatch } from './chromium.ts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
let launched: LaunchedBrowser;
let context: BrowserContext;
let siteDir: string;

beforeAll(async () => {
  const site = renderContext(await compiledContext(HOSTILE_FILES));
  siteDir = join(tempDir('vm-ig-browser-'), 'site');
  writeSiteAtomically(site.files, siteDir);
  mkdirSync(SCREENSHOTS, { recursive: true });
  launched = await launchChromium();
  context = launched.context;
});

afterAll(async () => {
  await launched?.close();
});

async function open(path: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(pathToFileURL(join(siteDir, path)).href + (path.includes('?') ? '' : ''));
  await page.waitForLoadState('load');
  return { page, watch };
}

async function openUrl(path: string, query: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${pathToFileURL(join(siteDir, path)).href}${query}`);
  return { page, watch };
}

/** No console error (a hostile page's broken `<img src=x>`, kept by the sanitiser without its handler, may fail to load), no dialog, no request off the machine. */
function clean(watch: PageWatch, { allowMissingImages = false } = {}) {
  expect(watch.errors.filter(e => !(allowMissingImages && e.startsWith('Failed to load resource')))).toEqual([]);
  expect(watch.dialogs).toEqual([]);
  expect(watch.external).toEqual([]);
}

describe('site in chromium', () => {
  it('home page renders with the NHS header, menu and generated maturity table', async () => {
    const { page, watch } = await open('index.html');
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('.nhsuk-header__service-name').textContent()).toBe('Render fixture guide');
    expect(await page.locator('table caption', { hasText: 'Maturity model phases' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.body.classList.contains('nhsuk-frontend-supported'))).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });
    clean(watch);
    await page.close();
  });

  it('profile page switches element tabs and shows the tree', async () => {
    const { page, watch } = await open('StructureDefinition-status-observation.html');
    const key = page.locator('#tab-key');
    const snapshot = page.locator('#tab-snapshot');
    expect(await key.isVisible()).toBe(true);
    expect(await snapshot.isVisible()).toBe(false);
    await page.click('.nhsuk-tabs__tab[href="#tab-snapshot"]');
    expect(await snapshot.isVisible()).toBe(true);
    expect(await key.isVisible()).toBe(false);
    const row = page.locator('[id="Observation.component:basic"]');
    expect(await row.isVisible()).toBe(true);
    expect(await row.locator('.vm-tree').count()).toBeGreaterThan(0);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'profile-snapshot.png') });
    clean(watch);
    await page.close();
  });

  it('opening an element anchor reveals its tab', async () => {
    const { page, watch } = await openUrl('StructureDefinition-status-observation.html', '#Observation.identifier');
    expect(await page.locator('[id="Observation.identifier"]').isVisible()).toBe(true);
    clean(watch);
    await page.close();
  });

  it('example page switches between JSON and XML and copies', async () => {
    const { page, watch } = await open('Observation-status-example.html');
    expect(await page.locator('#json').isVisible()).toBe(true);
    expect(await page.locator('#xml').isVisible()).toBe(false);
    await page.click('.nhsuk-tabs__tab[href="#xml"]');
    expect(await page.locator('#xml').isVisible()).toBe(true);
    expect(await page.locator('#xml-code').textContent()).toContain('<Observation xmlns="http://hl7.org/fhir">');
    await page.click('.nhsuk-tabs__tab[href="#json"]');
    const copy = page.locator('button[data-copy-target="json-code"]');
    expect(await copy.isVisible()).toBe(true);
    await copy.click();
    await expect.poll(() => copy.getAttribute('data-copied')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOTS, 'example.png'), fullPage: false });
    clean(watch);
    await page.close();
  });

  it('search finds a profile by name', async () => {
    const { page, watch } = await openUrl('searchform.html', '?q=status%20observation');
    const first = page.locator('.vm-search-results li a').first();
    await first.waitFor();
    expect(await page.locator('.vm-search-results a', { hasText: /^Profile: Status observation$/ }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'search-results.png') });
    clean(watch);
    await page.close();
  });

  it('hostile content stays inert', async () => {
    for (const path of ['hostile.html', 'StructureDefinition-hostile-profile.html', 'Patient-hostile-example.html']) {
      const { page, watch } = await open(path);
      const hrefs = await page.locator('a[href]').evaluateAll(links => links.map(a => a.getAttribute('href') ?? ''));
      expect(
        hrefs.filter(h => /^\s*(javascript|data):/i.test(h)),
        path
      ).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), path).toBeUndefined();
      clean(watch, { allowMissingImages: true });
      await page.close();
    }
  });

  it('without JavaScript, tabs are plain sections and every panel shows', async () => {
    const noJs = await launchChromium({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      const watch = watchPage(page);
      await page.goto(pathToFileURL(join(siteDir, 'StructureDefinition-status-observation.html')).href);
      for (const id of ['tab-key', 'tab-diff', 'tab-snapshot']) expect(await page.locator(`#${id}`).isVisible(), id).toBe(true);
      expect(await page.locator('#tab-snapshot h3.vm-tab-heading').isVisible()).toBe(true);
      await page.goto(pathToFileURL(join(siteDir, 'Observation-status-example.html')).href);
      expect(await page.locator('#json').isVisible()).toBe(true);
      expect(await page.locator('#xml').isVisible()).toBe(true);
      expect(await page.locator('button.vm-copy').first().isVisible()).toBe(false);
      await page.screenshot({ path: join(SCREENSHOTS, 'example-no-js.png') });
      clean(watch);
    } finally {
      await noJs.close();
    }
  });

  const PAGE_TYPES: [string, string][] = [
    ['home', 'index.html'],
    ['content', 'guidance.html'],
    ['profile', 'StructureDefinition-status-observation.html'],
    ['extension', 'StructureDefinition-status-source.html'],
    ['example', 'Observation-status-example.html'],
    ['value set', 'ValueSet-status-vs.html'],
    ['code system', 'CodeSystem-status-cs.html'],
    ['concept map', 'ConceptMap-status-to-other.html'],
    ['capability statement', 'CapabilityStatement-vm-capability.html'],
    ['artifacts', 'artifacts.html'],
    ['toc', 'toc.html'],
    ['qa', 'qa.html'],
    ['search', 'searchform.html'],
    ['downloads', 'downloads.html'],
    ['404', '404.html']
  ];

  it.each(PAGE_TYPES)('axe: no serious or critical violations on the %s page', async (name, path) => {
    const { page, watch } = await open(path);
    // No CSSOM preload: from file:// axe's stylesheet XHRs are blocked (origin null) and would log errors.
    const results = await new AxeBuilder({ page }).options({ preload: false }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = results.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map(
        v =>
          `${v.id}: ${v.help} (${v.nodes
            .slice(0, 3)
            .map(n => n.target.join(' '))
            .join('; ')})`
      )
    ).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `page-${name.replace(/\s+/g, '-')}.png`) });
    clean(watch);
    await page.close();
  });
});
