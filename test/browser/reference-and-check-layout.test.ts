/**
 * Issue #28, items 8 and 9, in Chromium at 1280 px and 390 px on the real guide's site. The API
 * reference stands on its own (base URL per environment, the `Authorization: Bearer` row with what
 * the token holds) and no parameter name breaks inside a word. The check page's issues table keeps
 * the FHIRPath and rule columns readable and nothing overflows its cell on a desktop; on a phone
 * the stacked cards keep their column labels. Screenshots go to test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { buildGuideCopy } from './check-page.ts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const WIDTHS = [1280, 390] as const;
let launched: LaunchedBrowser;
let siteDir: string;

beforeAll(async () => {
  siteDir = await buildGuideCopy(REPO_ROOT, tempDir('vm-ig-layout-'), SHARED_PACKAGE_CACHE);
  mkdirSync(SCREENSHOTS, { recursive: true });
  launched = await launchChromium();
}, 300_000);

afterAll(async () => {
  await launched?.close();
});

async function open(path: string, width: number): Promise<Page> {
  const page = await launched.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(pathToFileURL(join(siteDir, path)).href);
  return page;
}

/**
 * Where the text of each element wraps onto a new line, as `before|after` character pairs (in the
 * page: the top of each character's box, from a Range over its text nodes).
 */
async function wraps(page: Page, selector: string): Promise<{ text: string; wraps: string[] }[]> {
  return page.$$eval(selector, elements =>
    elements.map(el => {
      const chars: { c: string; top: number }[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n as Text;
        for (let i = 0; i < text.data.length; i++) {
          const r = document.createRange();
          r.setStart(text, i);
          r.setEnd(text, i + 1);
          const box = r.getClientRects()[0];
          if (box) chars.push({ c: text.data[i]!, top: box.top });
        }
      }
      const out: string[] = [];
      for (let i = 1; i < chars.length; i++) if (chars[i]!.top > chars[i - 1]!.top + 2) out.push(`${chars[i - 1]!.c}|${chars[i]!.c}`);
      return { text: el.textContent ?? '', wraps: out };
    })
  );
}

/** A wrap between two letters or digits: inside a word. */
const midWord = (w: string) => /^[A-Za-z0-9]\|[A-Za-z0-9]$/.test(w);

describe('the API reference page', () => {
  it.each(WIDTHS)('at %i px: parameter names never break inside a word, and the page does not scroll sideways', async width => {
    const page = await open('api-reference.html', width);
    // The first cell of every parameter table (the tables whose first column is "Name").
    const names = await page.$$eval('table', tables => tables.filter(t => t.querySelector('th')?.textContent?.trim() === 'Name').length);
    expect(names).toBeGreaterThanOrEqual(2);
    const found = await wraps(page, 'table:has(th:first-child) tbody tr td:first-child code');
    const params = found.filter(f => /^(Ssp-|subject:|code$|_format$|Authorization$)/.test(f.text));
    for (const p of params) expect(p.wraps.filter(midWord), `${p.text} at ${width}px`).toEqual([]);
    expect(params.map(p => p.text)).toEqual(expect.arrayContaining(['Ssp-InteractionID', 'subject:Patient.identifier', 'Authorization']));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: join(SCREENSHOTS, `api-reference-${width}.png`), fullPage: true });
    await page.close();
  });

  it('stands on its own: a base URL for each environment, and the Authorization row with what the token holds', async () => {
    const page = await open('api-reference.html', 1280);
    const text = await page.locator('.vm-content').innerText();
    expect(text).toMatch(/Base URLs/);
    for (const env of ['Sandbox', 'Path to Live', 'Live']) expect(text).toContain(env);
    expect(text).toContain('http://127.0.0.1:8090');
    expect(text).toContain('https://{sspHost}/{endpoint}');
    const authorization = await page
      .locator('tr', { has: page.locator('td:first-child code', { hasText: /^Authorization$/ }) })
      .first()
      .innerText();
    expect(authorization).toMatch(/Bearer <JWT>/);
    for (const claim of [
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'reason_for_request',
      'requested_record',
      'requested_scopes',
      'requesting_device',
      'requesting_organization',
      'requesting_practitioner'
    ])
      expect(authorization).toContain(claim);
    expect(authorization).toMatch(/MISSING_OR_INVALID_HEADER/);
    await page.close();
  });
});

describe('the check page issues table', () => {
  /** Load each "try an error" sample in turn and check it; `inspect` runs on each result. */
  async function eachErrorSample(width: number, inspect: (page: Page, index: number) => Promise<void>): Promise<void> {
    const page = await open('check.html', width);
    const samples = await page.locator('button.vm-check__sample[data-set="errors"]').count();
    expect(samples).toBeGreaterThan(0);
    for (let i = 0; i < samples; i++) {
      await page.locator('button.vm-check__sample[data-set="errors"]').nth(i).click();
      const before = Number((await page.locator('#vm-check-results').getAttribute('data-checks')) ?? 0);
      await page.click('#vm-check-run');
      await page.waitForFunction(n => Number(document.getElementById('vm-check-results')?.dataset.checks ?? 0) > n, before, { timeout: 60_000 });
      await inspect(page, i);
    }
    await page.close();
  }

  it('at 1280 px: FHIRPath and rule columns stay readable, names wrap only at their separators, nothing overflows', async () => {
    await eachErrorSample(1280, async (page, i) => {
      const layout = await page.evaluate(() => {
        const table = document.querySelector<HTMLTableElement>('.vm-check__table')!;
        const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent ?? '');
        const widths = Object.fromEntries([...table.querySelectorAll('thead th')].map((th, j) => [heads[j]!, th.getBoundingClientRect().width]));
        const overflowing = [...table.querySelectorAll('tbody td')]
          .filter(td => td.scrollWidth > td.clientWidth + 1)
          .map(td => `${heads[(td as HTMLTableCellElement).cellIndex]}: ${td.textContent}`);
        return { widths, overflowing, table: table.getBoundingClientRect().width, box: table.parentElement!.clientWidth };
      });
      expect(layout.widths.FHIRPath, `sample ${i}`).toBeGreaterThanOrEqual(160);
      expect(layout.widths.Rule, `sample ${i}`).toBeGreaterThanOrEqual(110);
      expect(layout.widths.Message, `sample ${i}`).toBeGreaterThanOrEqual(200);
      expect(layout.overflowing, `sample ${i}`).toEqual([]);
      expect(layout.table).toBeLessThanOrEqual(layout.box + 1);
      const names = await wraps(
        page,
        '.vm-check__table tbody td:nth-child(3) code, .vm-check__table tbody td:nth-child(5) code, .vm-check__table tbody td:nth-child(6) a'
      );
      for (const n of names) expect(n.wraps.filter(midWord), `sample ${i}: ${n.text}`).toEqual([]);
      if (i === 1) await page.locator('#vm-check-results').screenshot({ path: join(SCREENSHOTS, 'check-results-1280.png') });
    });
  });

  it('at 390 px: every stacked card shows each value under its column label, within the screen', async () => {
    await eachErrorSample(390, async (page, i) => {
      const cards = await page.$$eval('.vm-check__table tbody tr', (rows: Element[]) => {
        const heads = [...document.querySelectorAll('.vm-check__table thead th')].map(th => th.textContent ?? '');
        return rows.map(tr =>
          [...tr.querySelectorAll('td')].map((td, j) => ({
            label: heads[j]!,
            shown: (td as HTMLElement).innerText.trim(),
            right: td.getBoundingClientRect().right
          }))
        );
      });
      expect(cards.length, `sample ${i}`).toBeGreaterThan(0);
      for (const card of cards)
        for (const c of card) {
          if (c.shown === '') continue; // an empty Element cell (no profile element) has nothing to label
          expect(c.shown.startsWith(c.label), `sample ${i}: "${c.shown}" should start with ${c.label}`).toBe(true);
          expect(c.right).toBeLessThanOrEqual(390);
        }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      if (i === 1) await page.locator('#vm-check-results').screenshot({ path: join(SCREENSHOTS, 'check-results-390.png') });
    });
  });
});
