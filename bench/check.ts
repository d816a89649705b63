/**
 * The "Check a message" page in Chromium, served from loopback: payload size (gzipped), the first
 * check including the lazy load of the validator and definitions (cold cache, a fresh page per
 * run), and the latency of one example once loaded (every example of the guide, several times;
 * round trip click to table, and the validator's own time in the worker).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runPipeline } from '../scripts/pipeline/sequencer.ts';
import { launchChromium } from '../test/browser/chromium.ts';
import { runCheck, serveStatic } from '../test/browser/check-page.ts';
import { row, summarise } from './stats.ts';
import { copyProject, SHARED_CACHE } from './workspace.ts';

export async function benchCheck(runs: number): Promise<string[]> {
  const project = copyProject();
  const build = await runPipeline(project, ['site'], { packageCache: SHARED_CACHE });
  if (build.diagnostics.some(d => d.severity === 'error')) throw new Error('the guide did not build');
  const site = join(project, 'build', 'site');
  const gz = (path: string) => gzipSync(readFileSync(join(site, path)), { level: 9 }).length;
  const payload = readdirSync(join(site, 'assets', 'check'))
    .filter(f => /^(validator|definitions)-/.test(f))
    .map(f => [f, gz(`assets/check/${f}`)] as const);
  const pageScript = readdirSync(join(site, 'assets', 'js')).find(f => f.startsWith('check-'))!;
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const total = payload.reduce((s, [, n]) => s + n, 0);
  const lines = [
    'check (the check page in chromium, from a loopback server)',
    `  validator payload, gzipped                   ${kb(total).padStart(9)} (${payload.map(([f, n]) => `${f.split('-')[0]} ${kb(n)}`).join(', ')})  target <= 1.5 MB: ${total <= 1.5 * 1024 * 1024 ? 'met' : 'NOT met'}`,
    `  page without the payload, gzipped            ${kb(gz('check.html') + gz(`assets/js/${pageScript}`)).padStart(9)} (check.html and its script)`
  ];
  const server = await serveStatic(site);
  const browser = await launchChromium();
  const first: number[] = [];
  const after: number[] = [];
  const worker: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const page = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await page.goto(`${server.url}check.html`);
      const examples = await page.locator('.vm-check__sample[data-set="examples"]').count();
      await page.click('.vm-check__sample[data-set="examples"][data-index="0"]');
      await runCheck(page);
      first.push(Number(await page.locator('#vm-check-results').getAttribute('data-total')));
      for (let i = 0; i < examples; i++) {
        await page.click(`.vm-check__sample[data-set="examples"][data-index="${i}"]`);
        await runCheck(page);
        after.push(Number(await page.locator('#vm-check-results').getAttribute('data-total')));
        worker.push(Number(await page.locator('#vm-check-results').getAttribute('data-ms')));
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  lines.push(
    row('first check, incl. lazy load', summarise(first), 'ms', { max: 1500, text: '<= 1.5 s' }),
    row('one example once loaded (click to table)', summarise(after), 'ms', { max: 100, text: '<= 100 ms' }),
    row('one example once loaded (validator in worker)', summarise(worker), 'ms')
  );
  return lines;
}
