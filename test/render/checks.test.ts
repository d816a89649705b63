/**
 * Runs the site stage on the fixture guide and crawls what it wrote to build/site: no broken
 * internal link or missing anchor, one h1 per page, headings in order, alt text on images.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { findBrokenLinks } from '../../scripts/stages/render/links.ts';
import { renderStage } from '../../scripts/stages/render/stage.ts';
import { compiledContext } from './helpers.ts';
import { structureProblems } from './html-checks.ts';

let ctx: BuildContext;
let files: Map<string, string | Uint8Array>;

function readTree(dir: string): Map<string, string | Uint8Array> {
  const out = new Map<string, string | Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full), /\.(html|js|css|xml|json)$/.test(name) ? readFileSync(full, 'utf8') : readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  ctx = await compiledContext();
  ctx.paths = { ...ctx.paths, theme: join(import.meta.dirname, '..', '..', 'site') };
  const outcome = await renderStage!(ctx);
  expect(outcome.diagnostics).toEqual([]);
  files = readTree(ctx.paths.site);
});

describe('site stage output', () => {
  it('sets ctx.sitePages to the HTML pages it wrote', () => {
    expect(ctx.sitePages).toContain('index.html');
    for (const p of ctx.sitePages!) expect(files.has(p), p).toBe(true);
  });

  it('copies input/images to the site root for pages to use', () => {
    expect(files.get('flow.svg')).toBeInstanceOf(Buffer);
    expect(String(files.get('guidance.html'))).toMatch(/<img src="flow.svg" alt="Request flow from the client to Spine" ?\/?>/);
  });

  it('has no broken internal link or missing anchor', () => {
    expect(findBrokenLinks(files)).toEqual([]);
  });

  it('catches a broken link and a missing anchor when there is one', () => {
    const broken = new Map(files);
    broken.set('extra.html', '<a href="nowhere.html">x</a><a href="index.html#no-such-anchor">y</a><a href="#here">z</a><p id="here"></p>');
    expect(findBrokenLinks(broken)).toEqual([
      { page: 'extra.html', href: 'nowhere.html' },
      { page: 'extra.html', href: 'index.html#no-such-anchor' }
    ]);
  });

  it('gives every page one h1, headings in order and alt text on images', () => {
    for (const page of ctx.sitePages!) expect(structureProblems(String(files.get(page))), page).toEqual([]);
  });

  it('flags a skipped heading level, a second h1 and a missing alt', () => {
    expect(structureProblems('<h1>a</h1><h3>b</h3><h1>c</h1><img src="x.png">')).toEqual([
      '2 h1 elements',
      'h3 follows h1',
      'img without alt: <img src="x.png">'
    ]);
  });

  it('loads nothing from outside the site', () => {
    for (const [path, content] of files) {
      if (typeof content !== 'string' || !/\.(html|css)$/.test(path)) continue;
      expect(content, path).not.toMatch(/<(link|script|img)\b[^>]*(href|src)="(https?:)?\/\//);
      expect(content, path).not.toMatch(/url\((["']?)(https?:)?\/\//);
    }
  });

  it('replaces the previous site atomically on a second run', async () => {
    const before = readTree(ctx.paths.site);
    await renderStage!(ctx);
    const after = readTree(ctx.paths.site);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(readdirSync(join(ctx.paths.root, 'build')).sort()).toEqual(['site']);
  });
});
