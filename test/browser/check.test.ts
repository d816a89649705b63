/**
 * "Check a message" in Chromium: every example of the guide, every "try an error" sample and
 * every invalid (and valid) fixture of the validator's corpora is loaded into the page and its
 * issues must equal, issue by issue, what `vm-ig validate --format json` reports for the same
 * file. Also: no request after load leaves the page (file:// and http://), hostile input stays
 * text, a 10 MB message keeps the page responsive (Worker), non-FHIR input gets clear words,
 * line:col jumps, and axe finds no serious or critical violation.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { launchChromium, watchPage, type LaunchedBrowser } from './chromium.ts';
import { buildGuideCopy, cliIssues, pageIssues, runCheck, serveStatic, shown, type IssueRow } from './check-page.ts';
import { outsidePayload, parsePayloadScript } from '../render/check/omitted.ts';

const CORPORA = ['test/fixtures/validate/profile-invalid', 'test/fixtures/validate/base-invalid', 'test/fixtures/validate/base-valid'];

interface Input {
  label: string;
  file: string;
  sample?: { set: 'examples' | 'errors'; index: number };
}

let launched: LaunchedBrowser;
let project: string;
let siteDir: string;
let inputs: Input[] = [];
let expected: IssueRow[][] = [];

beforeAll(async () => {
  project = tempDir('vm-ig-check-');
  siteDir = await buildGuideCopy(REPO_ROOT, project, SHARED_PACKAGE_CACHE);
  const html = readFileSync(join(siteDir, 'check.html'), 'utf8');
  const data = JSON.parse(decodeEntities(/data-json="([^"]*)"/.exec(html)![1]!)) as { examples: { name: string }[]; errors: { name: string }[] };
  // Corpus cases on types the page's payload leaves out get a "not carried here" answer there.
  const outside = outsidePayload(parsePayloadScript(readFileSync(payloadScript(siteDir), 'utf8')).omitted);
  inputs = [
    ...data.examples.map((s, index) => ({ label: `example ${s.name}`, file: join(siteDir, s.name), sample: { set: 'examples' as const, index } })),
    ...data.errors.map((s, index) => ({
      label: `error ${s.name}`,
      file: join(project, 'input', 'check-errors', s.name),
      sample: { set: 'errors' as const, index }
    })),
    ...CORPORA.flatMap(dir =>
      readdirSync(join(REPO_ROOT, dir))
        .filter(f => f !== 'manifest.json' && !outside(readFileSync(join(REPO_ROOT, dir, f))))
        .sort()
        .map(f => ({ label: `${dir}/${f}`, file: join(REPO_ROOT, dir, f) }))
    )
  ];
  expected = cliIssues(
    REPO_ROOT,
    project,
    inputs.map(i => i.file),
    SHARED_PACKAGE_CACHE
  );
  launched = await launchChromium();
}, 300_000);

/** The content-hashed definitions script the check page loads lazily (assets/check/definitions-HASH.js). */
function payloadScript(dir: string): string {
  const found = readdirSync(join(dir, 'assets', 'check')).find(f => /^definitions-[0-9a-f]+\.js$/.test(f));
  if (!found) throw new Error('no definitions payload in the built site');
  return join(dir, 'assets', 'check', found);
}

afterAll(async () => {
  await launched?.close();
});

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#96;/g, '`')
    .replace(/&#61;/g, '=')
    .replace(/&amp;/g, '&');
}

async function openCheck(base = pathToFileURL(siteDir).href + '/'): Promise<{ page: Page; requests: Request[] }> {
  const page = await launched.context.newPage();
  const requests: Request[] = [];
  await page.goto(`${base}check.html`);
  await page.waitForLoadState('load');
  page.on('request', r => requests.push(r));
  return { page, requests };
}

async function setText(page: Page, text: string): Promise<void> {
  await page.evaluate(t => {
    const area = document.getElementById('vm-check-input') as HTMLTextAreaElement;
    area.value = t;
    area.dispatchEvent(new Event('input'));
  }, text);
}

describe('check a message in chromium', () => {
  it('gives the same issues as vm-ig validate --format json for every example and fixture', async () => {
    const { page } = await openCheck();
    const watch = watchPage(page);
    const mismatches: string[] = [];
    let issues = 0;
    for (const [i, input] of inputs.entries()) {
      if (input.sample) await page.click(`.vm-check__sample[data-set="${input.sample.set}"][data-index="${input.sample.index}"]`);
      else await page.setInputFiles('#vm-check-file', input.file);
      await runCheck(page);
      const got = await pageIssues(page);
      const want = expected[i]!.map(shown);
      issues += want.length;
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${input.label}:\n  page ${JSON.stringify(got)}\n  cli  ${JSON.stringify(want)}`);
    }
    const agreement = `${inputs.length - mismatches.length}/${inputs.length} files agree (${issues} CLI issues)`;
    writeFileSync(join(project, 'agreement.txt'), `${agreement}\n`);
    console.log(`check page vs CLI: ${agreement}`);
    expect(mismatches).toEqual([]);
    expect(inputs.length).toBeGreaterThan(100);
    expect(issues).toBeGreaterThan(100);
    expect(watch.errors).toEqual([]);
    await page.close();
  }, 600_000);

  for (const scheme of ['file', 'http'] as const) {
    it(`sends nothing anywhere after load (${scheme}://): only the page's own payload scripts are read, once`, async () => {
      const server = scheme === 'http' ? await serveStatic(siteDir) : undefined;
      try {
        const { page, requests } = await openCheck(server?.url);
        const marker = 'Zz-private-marker-9990079197';
        await setText(page, JSON.stringify({ resourceType: 'Patient', name: [{ family: marker }] }));
        await runCheck(page);
        const firstCheck = requests.length;
        for (let n = 0; n < 3; n++) await runCheck(page);
        await page.click('.vm-check__sample[data-set="examples"][data-index="0"]');
        await runCheck(page);
        const urls = requests.map(r => r.url());
        expect(requests.length).toBe(firstCheck);
        // The browser may fetch the page's favicon late (it carries nothing); every other request is the payload.
        const own = urls
          .filter(u => !u.startsWith('blob:'))
          .map(u => u.replace(server?.url ?? `${pathToFileURL(siteDir).href}/`, ''))
          .filter(u => u !== 'assets/images/favicon.svg');
        expect(own.sort()).toEqual([
          expect.stringMatching(/^assets\/check\/definitions-[0-9a-f]{12}\.js$/),
          expect.stringMatching(/^assets\/check\/validator-[0-9a-f]{12}\.js$/)
        ]);
        for (const r of requests) {
          expect(r.method()).toBe('GET');
          expect(r.postData()).toBeNull();
          expect(r.url()).not.toContain(marker);
        }
        await page.close();
      } finally {
        await server?.close();
      }
    }, 120_000);
  }

  it('shows hostile input as text and never runs it', async () => {
    const { page } = await openCheck();
    const watch = watchPage(page);
    const div =
      '<div xmlns="http://www.w3.org/1999/xhtml"><script>window.__pwned=1</script><img src="x" onerror="window.__pwned=2"/><a href="javascript:window.__pwned=3">x</a></div>';
    const hostile = {
      resourceType: 'Observation',
      status: '<img src=x onerror="window.__pwned=4">',
      text: { status: 'generated', div },
      code: { text: '<script>window.__pwned=5</script>' },
      'x<b onmouseover=alert(1)>': 1
    };
    await setText(page, JSON.stringify(hostile, null, 2));
    await runCheck(page);
    const table = await page.locator('#vm-check-results').innerText();
    expect(table).toContain('narrative-unsafe');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#vm-check-results img, #vm-check-results script, #vm-check-results b').count()).toBe(0);
    expect(watch.dialogs).toEqual([]);
    await page.close();
  });

  it('says clearly when the input is not FHIR, nested too deeply, or beyond the definitions carried', async () => {
    const { page } = await openCheck();
    await setText(page, 'Dear colleague, please check this patient.');
    await runCheck(page);
    expect(await page.locator('#vm-check-summary').innerText()).toBe('This is not a FHIR message');
    await setText(page, '{"resourceType":"Patient","extension":' + '['.repeat(3000) + ']'.repeat(3000) + '}');
    await runCheck(page);
    expect(await page.locator('#vm-check-results').innerText()).toMatch(/nested \d+ levels deep/);
    await setText(page, JSON.stringify({ resourceType: 'Claim', status: 'active' }));
    await runCheck(page);
    expect(await page.locator('#vm-check-results .nhsuk-warning-callout').innerText()).toContain('http://hl7.org/fhir/StructureDefinition/Claim');
    await page.close();
  });

  it('keeps the page responsive while a 10 MB message is checked in the worker', async () => {
    const { page } = await openCheck();
    const example = JSON.parse(readFileSync(join(siteDir, 'Observation-vm-status-category-a.json'), 'utf8')) as Record<string, unknown>;
    const big = { ...example, note: Array.from({ length: 45_000 }, (_, i) => ({ text: `Note ${i}: ${'synthetic text '.repeat(14)}` })) };
    const text = JSON.stringify(big, null, 1);
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    await setText(page, text);
    const frames = await page.evaluate(async () => {
      let count = 0;
      let done = false;
      const tick = () => {
        count++;
        if (!done) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const results = document.getElementById('vm-check-results')!;
      const before = Number(results.dataset.checks ?? 0);
      const start = count;
      (document.getElementById('vm-check-run') as HTMLButtonElement).click();
      while (Number(results.dataset.checks ?? 0) === before && results.dataset.state !== 'failed') await new Promise(r => setTimeout(r, 20));
      done = true;
      return count - start;
    });
    expect(await page.locator('#vm-check-results').getAttribute('data-state')).toBe('done');
    expect(frames).toBeGreaterThan(5);
    await page.close();
  }, 120_000);

  it("jumps to an issue's line and column, and passes axe with results shown", async () => {
    const { page } = await openCheck();
    await page.click('.vm-check__sample[data-set="errors"][data-index="1"]');
    await runCheck(page);
    const jump = page.locator('.vm-check__jump').first();
    const [line, col] = (await jump.innerText()).split(':').map(Number);
    await jump.click();
    const caret = await page.evaluate(() => {
      const area = document.getElementById('vm-check-input') as HTMLTextAreaElement;
      const before = area.value.slice(0, area.selectionStart);
      return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n'), focused: document.activeElement === area };
    });
    expect(caret).toEqual({ line, column: col, focused: true });
    expect(await page.locator('#vm-check-position').innerText()).toBe(`Line ${line}, column ${col}`);
    const link = page.locator('#vm-check-results td a').first();
    expect(await link.getAttribute('href')).toMatch(/^StructureDefinition-[\w-]+\.html#Observation/);
    const results = await new AxeBuilder({ page }).options({ preload: false }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)).toEqual([]);
    await page.close();
  });

  it('is linked from the home page, Using the API and every example page', () => {
    const examples = readdirSync(siteDir).filter(f => f.endsWith('.html') && readFileSync(join(siteDir, f), 'utf8').includes('<h2 id="narrative">'));
    expect(examples.length).toBeGreaterThan(10);
    for (const page of ['index.html', 'using-the-api.html', ...examples])
      expect(readFileSync(join(siteDir, page), 'utf8'), page).toContain('href="check.html"');
  });
});
