/**
 * The real guide in chromium: one page of every kind (each content page, the first artifact of
 * each kind, the generated lists) loads from file:// with no console error or outside request,
 * and axe finds no serious or critical violation. Screenshots go to test-results/screenshots/guide-*.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFsh } from '../../scripts/stages/compile/compile.ts';
import { loadContext } from '../../scripts/pipeline/sequencer.ts';
import { buildArtifactIndex, KIND_HEADINGS } from '../../scripts/stages/render/model.ts';
import { writeSiteAtomically } from '../../scripts/stages/render/write.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { checkAssetsFor, renderContext } from '../render/site-fixture.ts';
import { launchChromium, watchPage, type LaunchedBrowser } from './chromium.ts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
let launched: LaunchedBrowser;
let siteDir: string;
let pages: string[] = [];

beforeAll(async () => {
  const { ctx } = loadContext(REPO_ROOT, { packageCache: SHARED_PACKAGE_CACHE });
  if (!ctx) throw new Error('cannot read the guide config');
  ctx.compiled = (await compileFsh(ctx.paths, ctx.config, { stagingDir: tempDir('vm-ig-guide-') })).result;
  const site = renderContext(ctx, await checkAssetsFor(ctx));
  siteDir = join(tempDir('vm-ig-guide-site-'), 'site');
  writeSiteAtomically(site.files, siteDir);
  const index = buildArtifactIndex(ctx.compiled.resources, ctx.compiled.implementationGuide?.resource);
  const firstOfKind = KIND_HEADINGS.map(([kind]) => index.artifacts.find(a => a.kind === kind)?.page).filter((p): p is string => Boolean(p));
  const content = ctx.config.pages.map(p => p.file.replace(/\.md$/, '.html'));
  pages = [...content, ...firstOfKind, 'artifacts.html', 'toc.html', 'qa.html', 'downloads.html'];
  mkdirSync(SCREENSHOTS, { recursive: true });
  launched = await launchChromium();
});

afterAll(async () => {
  await launched?.close();
});

describe('the real guide in chromium', () => {
  it('every page kind loads cleanly and passes axe (serious and critical)', async () => {
    expect(pages.length).toBeGreaterThan(8);
    const problems: string[] = [];
    for (const path of pages) {
      const page = await launched.context.newPage();
      const watch = watchPage(page);
      await page.goto(pathToFileURL(join(siteDir, path)).href);
      const results = await new AxeBuilder({ page }).options({ preload: false }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of results.violations.filter(x => x.impact === 'serious' || x.impact === 'critical'))
        problems.push(
          `${path}: ${v.id} ${v.nodes
            .slice(0, 2)
            .map(n => n.target.join(' '))
            .join('; ')}`
        );
      problems.push(...watch.errors.map(e => `${path}: console ${e}`), ...watch.external.map(u => `${path}: request ${u}`));
      await page.screenshot({ path: join(SCREENSHOTS, `guide-${path.replace(/\.html$/, '')}.png`) });
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 400_000);
});
