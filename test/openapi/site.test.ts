/**
 * The site carries the OpenAPI description, an API reference page rendered from it, a download
 * link, and the generated "Sandbox test scenarios" table on the Using the API page.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContext } from '../../scripts/pipeline/sequencer.ts';
import { renderSite, type SiteOutput } from '../../scripts/stages/render/site.ts';
import { readImages, readPageSources } from '../../scripts/stages/render/stage.ts';
import { sandboxGuide } from '../../scripts/lib/spine/guide.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { THEME_DIR } from '../render/site-fixture.ts';
import { compiledGuide } from '../sandbox/fixture.ts';

let site: SiteOutput;
let scenarioKeys: string[];

beforeAll(async () => {
  const { ctx } = loadContext(REPO_ROOT, { packageCache: SHARED_PACKAGE_CACHE });
  const resources = await compiledGuide();
  scenarioKeys = sandboxGuide(resources).scenarios.map(s => s.key);
  site = renderSite({
    config: ctx!.config,
    resources,
    pageSources: readPageSources(ctx!.paths.pagecontent),
    images: readImages(join(ctx!.paths.input, 'images')),
    themeDir: THEME_DIR
  });
});

describe('the site', () => {
  it('has the OpenAPI file, the API reference page and a download link, with no broken link', () => {
    expect(JSON.parse(String(site.files.get('vm-spine-capability.openapi.json'))).openapi).toMatch(/^3\./);
    const page = String(site.files.get('api-reference.html'));
    expect(page).toContain('href="vm-spine-capability.openapi.json"');
    expect(page).toContain('GET /Observation');
    expect(page).toContain('<code>urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:observation</code>');
    expect(String(site.files.get('downloads.html'))).toContain('href="vm-spine-capability.openapi.json"');
    // (This render has no check page, which other pages link to; the full site is checked in test/render/guide.test.ts.)
    expect(site.brokenLinks.filter(b => b.href !== 'check.html')).toEqual([]);
    expect(site.diagnostics.filter(d => d.rule !== 'site-broken-link')).toEqual([]);
  });

  it('renders the sandbox scenario table from the scenario code system', () => {
    const page = String(site.files.get('using-the-api.html'));
    expect(page).toContain('Sandbox test scenarios');
    for (const key of scenarioKeys) expect(page, key).toContain(`<code>${key}</code>`);
    expect(page).toContain('href="Observation-vm-status-category-a.html"');
  });
});
