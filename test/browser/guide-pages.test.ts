/**
 * The real guide's profile, Using the API and privacy pages in chromium at 1280 px and 390 px
 * and in print: trees with no clipped description and visible view headings, no page-wide
 * horizontal scroll; search ranking for "package", "download" and "vm-obs-1"; canonical
 * redirects and the 404 page at any depth, served over loopback HTTP as a web server would.
 * Screenshots of each page at both widths go to test-results/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFsh } from '../../scripts/stages/compile/compile.ts';
import { narrativeStage } from '../../scripts/stages/narrative/stage.ts';
import { loadContext } from '../../scripts/pipeline/sequencer.ts';
import { renderSite } from '../../scripts/stages/render/site.ts';
import { readImages, readPageSources } from '../../scripts/stages/render/stage.ts';
import { writeSiteAtomically } from '../../scripts/stages/render/write.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { THEME_DIR } from '../render/site-fixture.ts';
import { launchChromium, watchPage, type LaunchedBrowser } from './chromium.ts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const PROFILE = 'StructureDefinition-vm-chargeable-status-observation.html';
const WIDTHS = [1280, 390];
let launched: LaunchedBrowser;
let siteDir: string;
let server: Server;
let origin: string;

beforeAll(async () => {
  const { ctx } = loadContext(REPO_ROOT, { packageCache: SHARED_PACKAGE_CACHE });
  if (!ctx) throw new Error('cannot read the guide config');
  ctx.compiled = (await compileFsh(ctx.paths, ctx.config, { stagingDir: tempDir('vm-ig-pages-') })).result;
  await narrativeStage(ctx);
  const site = renderSite({
    config: ctx.config,
    resources: ctx.compiled.resources,
    implementationGuide: ctx.compiled.implementationGuide,
    pageSources: readPageSources(ctx.paths.pagecontent),
    images: readImages(join(ctx.paths.input, 'images')),
    // The downloads page lists package.tgz when the package stage produced one; its bytes do not matter here.
    packageTgz: new Uint8Array([0x1f, 0x8b]),
    themeDir: THEME_DIR
  });
  siteDir = join(tempDir('vm-ig-pages-site-'), 'site');
  writeSiteAtomically(site.files, siteDir);
  server = await serve(siteDir);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mkdirSync(SCREENSHOTS, { recursive: true });
  launched = await launchChromium();
});

afterAll(async () => {
  await launched?.close();
  await new Promise(resolve => server?.close(resolve));
});

/** A static server like a host's: directory index.html, and 404.html for anything missing. */
function serve(root: string): Promise<Server> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.css': 'text/css',
    '.js': 'text/javascript',
    '.svg': 'image/svg+xml',
    '.json': 'application/json'
  };
  const s = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const found = file.startsWith(root) && existsSync(file) && statSync(file).isFile();
    res.writeHead(found ? 200 : 404, { 'content-type': (found ? types[extname(file)] : types['.html']) ?? 'application/octet-stream' });
    res.end(readFileSync(found ? file : join(root, '404.html')));
  });
  return new Promise(resolve => s.listen(0, '127.0.0.1', () => resolve(s)));
}

async function open(path: string, width: number, query = ''): Promise<Page> {
  const page = await launched.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(pathToFileURL(join(siteDir, path)).href + query);
  return page;
}

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** Description cells whose text is cut off (content wider than the cell and hidden). */
async function clippedDescriptions(page: Page): Promise<string[]> {
  return page
    .locator('.vm-tree-table .vm-el__desc')
    .evaluateAll(cells =>
      cells.filter(c => (c as HTMLElement).offsetParent !== null && c.scrollWidth > c.clientWidth + 1).map(c => c.closest('tr')?.id ?? '?')
    );
}

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).options({ preload: false }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id}: ${v.nodes
          .slice(0, 2)
          .map(n => n.target.join(' '))
          .join('; ')}`
    );
}

describe('the profile tree', () => {
  it.each(WIDTHS)(
    'reads at %i px: no page-wide scroll, no clipped description, view headings where panels stack',
    async width => {
      const page = await open(PROFILE, width);
      const watch = watchPage(page);
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      expect(await clippedDescriptions(page)).toEqual([]);
      const headings = page.locator('.vm-tab-heading');
      expect(await headings.count()).toBe(3);
      if (width < 641) {
        for (let i = 0; i < 3; i++) expect(await headings.nth(i).isVisible()).toBe(true);
        expect(await page.locator('.nhsuk-breadcrumb__list').isVisible()).toBe(true);
      } else {
        await page.click('.nhsuk-tabs__tab[href="#tab-snapshot"]');
        expect(await pageWidth(page)).toBeLessThanOrEqual(width);
        expect(await clippedDescriptions(page)).toEqual([]);
      }
      const basic = page.locator('[id="Observation.component:basicStatus"]').first();
      expect(await basic.locator('.vm-icon--slice-item').count()).toBe(1);
      expect(await basic.locator('.vm-el__name').textContent()).toContain('component:basicStatus');
      expect(await page.locator('.vm-legend summary').isVisible()).toBe(true);
      expect(await axe(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `guide-profile-${width}.png`), fullPage: true });
      expect(watch.errors).toEqual([]);
      await page.close();
    },
    180_000
  );

  it('prints every view with its heading and without the site chrome, in a bounded number of pages', async () => {
    const page = await open(PROFILE, 1280);
    await page.emulateMedia({ media: 'print' });
    for (const id of ['tab-key', 'tab-diff', 'tab-snapshot']) expect(await page.locator(`#${id}`).isVisible(), id).toBe(true);
    for (let i = 0; i < 3; i++) expect(await page.locator('.vm-tab-heading').nth(i).isVisible()).toBe(true);
    expect(await page.locator('.nhsuk-header').isVisible()).toBe(false);
    expect(await page.locator('.nhsuk-tabs__list').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThan(40);
    await page.close();
  });

  it('links each element to the detailed descriptions page, which has definition, binding and mappings', async () => {
    const page = await open(PROFILE, 1280);
    await page.click('.nhsuk-tabs__tab[href="#tab-snapshot"]');
    await page.locator('#tab-snapshot [id="Observation.component:basicStatus.value[x]"] .vm-el__name a').click();
    await page.waitForLoadState('load');
    expect(page.url()).toContain('StructureDefinition-vm-chargeable-status-observation-definitions.html#Observation.component:basicStatus.value');
    const section = page.locator('[id="Observation.component:basicStatus.value[x]"]');
    expect(await section.locator('dt', { hasText: 'Binding' }).count()).toBe(1);
    expect(await page.locator('dt', { hasText: 'Mappings' }).count()).toBeGreaterThan(0);
    await page.close();
  }, 180_000);
});

describe('Using the API and privacy pages', () => {
  for (const [name, path] of [
    ['using-the-api', 'using-the-api.html'],
    ['privacy', 'privacy-and-safeguards.html']
  ] as const) {
    it.each(WIDTHS)(`${name} at %i px: no horizontal overflow, boxed code with copy buttons, clean axe`, async width => {
      const page = await open(path, width);
      const watch = watchPage(page);
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      if (name === 'using-the-api') {
        const boxes = page.locator('.vm-codebox');
        expect(await boxes.count()).toBeGreaterThan(5);
        expect(await boxes.first().locator('button.vm-copy').isVisible()).toBe(true);
        expect(await page.locator('.nhsuk-card--warning').count()).toBe(1);
        expect(await page.locator('.nhsuk-list--tick li').count()).toBeGreaterThan(2);
        const overflowing = await page
          .locator('.vm-content pre')
          .evaluateAll(pres => pres.filter(p => p.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length);
        expect(overflowing).toBe(0);
      }
      if (width >= 641) {
        expect(await page.locator('.vm-side-nav [aria-current="page"]').count()).toBe(1);
        expect(await page.locator('.nhsuk-pagination a[rel="next"], .nhsuk-pagination a[rel="prev"]').count()).toBeGreaterThan(0);
      }
      expect(await axe(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `guide-${name}-${width}.png`), fullPage: true });
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    });
  }

  it('the Guidance menu lands on a page that links to every guidance page', async () => {
    const page = await open('index.html', 1280);
    await page.locator('.nhsuk-header__navigation-link', { hasText: 'Guidance' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.vm-side-nav a').count()).toBeGreaterThan(4);
    expect(await page.locator('.nhsuk-pagination a[rel="next"]').count()).toBe(1);
    await page.close();
  });
});

describe('search', () => {
  const first = async (q: string) => {
    const page = await open('searchform.html', 1280, `?q=${encodeURIComponent(q)}`);
    const link = page.locator('.vm-search-results li a').first();
    await link.waitFor();
    const out = { href: await link.getAttribute('href'), snippets: await page.locator('.vm-search-snippet').count() };
    await page.close();
    return out;
  };
  it('ranks the downloads page first for "package" and "download"', async () => {
    expect((await first('package')).href).toBe('downloads.html');
    expect((await first('download')).href).toBe('downloads.html');
  });
  it('ranks the profile that defines vm-obs-1 first, and shows snippets', async () => {
    const hit = await first('vm-obs-1');
    expect(hit.href).toBe(PROFILE);
    expect(hit.snippets).toBeGreaterThan(0);
  });
  it('finds the table of contents and the quality report, which are indexed too', async () => {
    expect((await first('Table of contents')).href).toBe('toc.html');
    expect((await first('Quality report')).href).toBe('qa.html');
  });
});

describe('served over HTTP', () => {
  it('canonical URLs redirect to their pages', async () => {
    const page = await launched.context.newPage();
    for (const [canonical, target] of [
      ['StructureDefinition/vm-chargeable-status-observation', PROFILE],
      ['ValueSet/vm-basic-chargeable-status', 'ValueSet-vm-basic-chargeable-status.html'],
      ['CodeSystem/vm-spine-error-code/', 'CodeSystem-vm-spine-error-code.html']
    ]) {
      await page.goto(`${origin}/${canonical}`);
      await page.waitForURL(`**/${target}`);
      expect(new URL(page.url()).pathname).toBe(`/${target}`);
    }
    await page.close();
  });

  it('the 404 page works at any depth: styles load and links lead to real pages', async () => {
    const page = await launched.context.newPage();
    const response = await page.goto(`${origin}/StructureDefinition/no-such/deeper/still/missing.html`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    const headerColour = await page.locator('.nhsuk-header').evaluate(e => getComputedStyle(e).backgroundColor);
    expect(headerColour).toBe('rgb(0, 94, 184)');
    await page.locator('.vm-content a', { hasText: 'table of contents' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/toc.html');
    expect(await page.locator('h1').textContent()).toBe('Table of contents');
    await page.close();
  });
});
