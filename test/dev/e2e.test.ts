/**
 * End to end: `startDev` on a temp copy of a small project, with the real stages from the
 * pipeline table, the guide's theme (site/), the real watcher and server. Edits files on disk and reads what is served.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type RunningDev } from '../../scripts/commands/dev.ts';
import { EVENTS_PATH } from '../../scripts/apps/dev/client.ts';
import { makeProject, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { connectSse, type SseClient } from './sse.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'small');

describe('vm-ig dev, end to end', () => {
  let root: string;
  let dev: RunningDev;
  let sse: SseClient;
  const page = async (path: string) => {
    const res = await fetch(new URL(path, dev.server.url));
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const edit = (rel: string, change: (text: string) => string) => writeFileSync(join(root, rel), change(readFileSync(join(root, rel), 'utf8')));

  beforeAll(async () => {
    root = makeProject({}, FIXTURE);
    cpSync(join(REPO_ROOT, 'site'), join(root, 'site'), { recursive: true });
    dev = await startDev({ root, packageCache: SHARED_PACKAGE_CACHE });
    sse = await connectSse(new URL(EVENTS_PATH, dev.server.url).href);
    await sse.next('diagnostics');
  });
  afterAll(async () => {
    sse?.close();
    await dev?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the first build on loopback', async () => {
    expect(dev.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await page('/');
    expect(home.status).toBe(200);
    expect(home.type).toBe('text/html; charset=utf-8');
    expect(home.body).toContain('/__vm-ig/client.js');
    expect(JSON.parse((await page('/CodeSystem-dev-colours.json')).body)).toMatchObject({ id: 'dev-colours', description: 'Colours for the dev loop test.' });
  });

  it('updates the served home page after a markdown edit', async () => {
    const from = sse.events.length;
    edit('input/pagecontent/index.md', t => `${t}\nKumquatMarker appears here.\n`);
    const reload = await sse.next('reload', from);
    expect(reload.data).toMatchObject({ kind: 'page', pages: ['index.md'] });
    expect((await page('/')).body).toContain('KumquatMarker');
    // The search index follows right after the reload (the page is served first).
    let index = '';
    for (let i = 0; i < 100 && !index.includes('kumquatmarker'); i++) {
      index = (await page('/assets/js/search-index.js')).body.toLowerCase();
      if (!index.includes('kumquatmarker')) await new Promise(r => setTimeout(r, 50));
    }
    expect(index).toContain('kumquatmarker');
  });

  it('updates the served resource after an FSH edit', async () => {
    const from = sse.events.length;
    edit('fsh/colours.fsh', t => t.replace('Colours for the dev loop test.', 'Colours, edited while serving.'));
    const reload = await sse.next('reload', from);
    expect(reload.data).toMatchObject({ kind: 'compile' });
    expect(JSON.parse((await page('/CodeSystem-dev-colours.json')).body).description).toBe('Colours, edited while serving.');
  });

  it('renders the edited resource page', async () => {
    expect((await page('/CodeSystem-dev-colours.html')).body).toContain('Colours, edited while serving.');
    expect((await page('/index.html')).body).toContain('KumquatMarker');
  });

  it('serves the edited page first, then brings the site check, the QA page and the check page up to date', async () => {
    const check = (await page('/check.html')).body;
    const oldDefinitions = /assets\/check\/definitions-[0-9a-f]+\.js/.exec(check)?.[0];
    expect(oldDefinitions).toBeDefined();
    const from = sse.events.length;
    edit('fsh/colours.fsh', t =>
      t
        .replace('All dev colours.', 'All dev colours; see [the palette](index.html#no-palette-here).')
        .replace('* #blue "Blue"', '* #blue "Blue"\n* #green "Green"')
    );
    await sse.next('reload', from);
    // After the reload: the QA page is shown again where it is open, and the overlay lists the new broken link.
    const refresh = (await sse.next('refresh', from)).data as { pages: string[] };
    expect(refresh.pages).toContain('qa.html');
    const overlay = sse.events
      .slice(from)
      .filter(e => e.event === 'diagnostics')
      .at(-1)?.data as { lines: string[] };
    expect(overlay.lines).toContainEqual(expect.stringContaining("broken link 'index.html#no-palette-here' on ValueSet-dev-colour-set.html"));
    expect((await page('/qa.html')).body).toContain('index.html#no-palette-here');
    // The check page carries definitions with the new code; the old payload is gone.
    const newCheck = (await page('/check.html')).body;
    const newDefinitions = /assets\/check\/definitions-[0-9a-f]+\.js/.exec(newCheck)?.[0];
    expect(newDefinitions).not.toBe(oldDefinitions);
    expect((await page(`/${newDefinitions!}`)).body).toContain('green');
    expect((await page(`/${oldDefinitions!}`)).status).toBe(404);
    edit('fsh/colours.fsh', t =>
      t.replace('All dev colours; see [the palette](index.html#no-palette-here).', 'All dev colours.').replace('\n* #green "Green"', '')
    );
    await sse.next('refresh', sse.events.length);
  });

  it('picks up theme template and asset edits', async () => {
    const from = sse.events.length;
    edit('site/layouts/page.hbs', t => `${t}\n<!-- ThemeMarker -->\n`);
    await sse.next('reload', from);
    expect((await page('/index.html')).body).toContain('<!-- ThemeMarker -->');
    const next = sse.events.length;
    edit('site/assets/css/site.css', t => `${t}\n.theme-marker { color: red }\n`);
    await sse.next('reload', next);
    const css = await page('/assets/css/site.css');
    expect(css.type).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('.theme-marker');
  });

  it('shows an FSH error in the overlay without reloading, then recovers', async () => {
    const baseline = dev.session.overlayState().errors;
    let from = sse.events.length;
    edit('fsh/colours.fsh', t => `${t}\nProfile: Broken\nParent: NoSuchParent\n`);
    const bad = (await sse.next('diagnostics', from)).data as { errors: number; lines: string[] };
    expect(bad.errors).toBe(baseline + 1);
    expect(bad.lines).toContainEqual(expect.stringMatching(/^fsh\/colours\.fsh:15:1: error .*NoSuchParent/));
    expect(sse.events.slice(from).some(e => e.event === 'reload')).toBe(false);
    expect(JSON.parse((await page('/CodeSystem-dev-colours.json')).body).description).toBe('Colours, edited while serving.');
    from = sse.events.length;
    edit('fsh/colours.fsh', t => t.replace(/\nProfile: Broken\nParent: NoSuchParent\n/, ''));
    await sse.next('reload', from);
    const good = sse.events.slice(from).find(e => e.event === 'diagnostics')?.data as { errors: number; lines: string[] };
    expect(good.errors).toBe(baseline);
    expect(good.lines.some(l => l.includes('NoSuchParent'))).toBe(false);
  });
});
