/** Page-only re-rendering for the dev loop: the edited page and the search index change, nothing else. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { renderStage } from '../../scripts/stages/render/stage.ts';
import { compiledContext } from './helpers.ts';
import { THEME_DIR } from './site-fixture.ts';

let ctx: BuildContext;
const sitePath = (p: string) => join(ctx.paths.site, p);
const mtimes = () =>
  new Map(
    readdirSync(ctx.paths.site)
      .filter(f => f.endsWith('.html'))
      .map(f => [f, statSync(sitePath(f)).mtimeMs])
  );

beforeAll(async () => {
  const compiled = await compiledContext();
  ctx = { ...compiled, paths: { ...compiled.paths, theme: THEME_DIR } };
  await renderStage(ctx);
});

/** The site stage as the dev loop runs it after a page edit. */
async function renderPages(context: BuildContext, pages: string[]) {
  context.pagesChanged = pages;
  try {
    return await renderStage(context);
  } finally {
    context.pagesChanged = undefined;
  }
}

describe('the site stage after a page edit (ctx.pagesChanged)', () => {
  it('re-renders only the edited page and the search index', async () => {
    const before = mtimes();
    await new Promise(r => setTimeout(r, 20));
    writeFileSync(join(ctx.paths.pagecontent, 'guidance.md'), '### Using it\n\nEdited text about zebras.\n');
    const outcome = await renderPages(ctx, ['guidance.md']);
    expect(outcome.summary).toBe('1 pages re-rendered, 0 broken links');
    const html = readFileSync(sitePath('guidance.html'), 'utf8');
    expect(html).toContain('Using it');
    expect(html).toContain('Edited text about zebras.');
    expect(readFileSync(sitePath('assets/js/search-index.js'), 'utf8')).toContain('zebras');
    const after = mtimes();
    const changed = [...after].filter(([f, t]) => t !== before.get(f)).map(([f]) => f);
    expect(changed).toEqual(['guidance.html']);
  });

  it('reports an anchor another page uses when the edit removes it', async () => {
    writeFileSync(join(ctx.paths.pagecontent, 'guidance.md'), '### Renamed heading\n');
    const outcome = await renderPages(ctx, ['guidance.md']);
    expect(outcome.diagnostics).toContainEqual(
      expect.objectContaining({ rule: 'site-broken-link', message: "broken link 'guidance.html#using-it' on index.html" })
    );
  });

  it('reports a broken link on the edited page, and drops it once fixed', async () => {
    writeFileSync(join(ctx.paths.pagecontent, 'guidance.md'), '### Links\n\nSee [nowhere](no-such-page.html).\n');
    const broken = await renderPages(ctx, ['guidance.md']);
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ rule: 'site-broken-link', message: expect.stringContaining('no-such-page.html') }));
    writeFileSync(join(ctx.paths.pagecontent, 'guidance.md'), '### Using it\n\nSee [artifacts](artifacts.html).\n');
    const fixed = await renderPages(ctx, ['guidance.md']);
    expect(fixed.diagnostics.filter(d => d.rule === 'site-broken-link')).toEqual([]);
  });

  it('falls back to a full render for a context it has not rendered', async () => {
    const other = { ...ctx };
    const outcome = await renderPages(other, ['guidance.md']);
    expect(outcome.diagnostics.filter(d => d.rule === 'site-broken-link')).toEqual([]);
    expect(outcome.summary).toMatch(/^\d+ pages, 0 broken links$/);
  });
});
