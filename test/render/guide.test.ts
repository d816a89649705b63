/**
 * Integration: the real guide in this repository compiles and renders with no broken link, valid
 * page structure, no live user script, generated tables in place, and XML identical to FHIR.js's
 * own converter for every resource.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext } from '../../scripts/context.ts';
import { compileFsh } from '../../scripts/compile/compile.ts';
import { loadContext } from '../../scripts/pipeline.ts';
import type { SiteOutput } from '../../scripts/render/site.ts';
import { referenceXml, toFhirXml } from '../../scripts/render/xml.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';
import { liveScriptProblems, structureProblems } from './html-checks.ts';
import { checkAssetsFor, renderContext } from './site-fixture.ts';

let ctx: BuildContext;
let site: SiteOutput;

beforeAll(async () => {
  const loaded = loadContext(REPO_ROOT, { packageCache: SHARED_PACKAGE_CACHE });
  if (!loaded.ctx) throw new Error('cannot read the guide config');
  ctx = loaded.ctx;
  const { result, diagnostics } = await compileFsh(ctx.paths, ctx.config, { stagingDir: tempDir('vm-ig-guide-') });
  expect(diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  ctx.compiled = result;
  site = renderContext(ctx, await checkAssetsFor(ctx));
});

describe('the real guide', () => {
  it('renders a page per resource and per pagecontent file, with no broken link or warning', () => {
    expect(site.brokenLinks).toEqual([]);
    expect(site.diagnostics).toEqual([]);
    for (const r of ctx.compiled!.resources) expect(site.pages).toContain(`${r.resource.resourceType}-${r.resource.id}.html`);
    for (const p of ctx.config.pages) expect(site.pages).toContain(p.file.replace(/\.md$/, '.html'));
  });

  it('has valid structure and no live script on every page', () => {
    for (const path of site.pages) {
      const html = String(site.files.get(path));
      expect(structureProblems(html), path).toEqual([]);
      expect(liveScriptProblems(html), path).toEqual([]);
    }
  });

  it('leaves no include directive unreplaced', () => {
    for (const path of site.pages) expect(String(site.files.get(path)), path).not.toMatch(/\{%\s*include/);
  });

  it('writes the same XML as FHIR.js for every resource', () => {
    for (const r of ctx.compiled!.resources) expect(toFhirXml(r.resource), r.fileName).toBe(referenceXml(r.resource));
  });
});
