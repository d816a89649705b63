/**
 * Integration: the real guide in this repository compiles and renders with no broken link, valid
 * page structure, no live user script, generated tables in place, and XML identical to FHIR.js's
 * own converter for every resource.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { compileFsh } from '../../scripts/stages/compile/compile.ts';
import { narrativeStage } from '../../scripts/stages/narrative/stage.ts';
import { loadContext } from '../../scripts/pipeline/sequencer.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';
import type { SiteOutput } from '../../scripts/stages/render/site.ts';
import { referenceXml, toFhirXml } from '../../scripts/fhir/xml-writer.ts';
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
  await narrativeStage(ctx);
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

  const resource = (base: string): FhirResource => ctx.compiled!.resources.find(r => `${r.resource.resourceType}-${r.resource.id}` === base)!.resource;
  const html = (path: string) => String(site.files.get(path));

  it('gives every conformance artifact the configured metadata, FMM and standards status, shown on its page', () => {
    const artifacts = ctx.compiled!.resources.filter(r => r.usage !== 'example' && typeof r.resource.url === 'string');
    expect(artifacts.length).toBeGreaterThan(20);
    for (const { resource: r } of artifacts) {
      expect([r.version, r.publisher, r.date], String(r.id)).toEqual([ctx.config.version, 'NHS England', ctx.config.date]);
      expect(JSON.stringify(r.jurisdiction), String(r.id)).toContain('"code":"GB"');
      expect(JSON.stringify(r.contact), String(r.id)).toContain('NHS England');
      expect(JSON.stringify(r.extension), String(r.id)).toContain('structuredefinition-fmm');
      const page = html(`${r.resourceType}-${r.id}.html`);
      expect(page, String(r.id)).toMatch(/Maturity level<\/dt><dd class="nhsuk-summary-list__value"><a href="versioning.html#maturity-levels">FMM 1<\/a>/);
      expect(page, String(r.id)).toContain('standards status draft');
      expect(page, String(r.id)).toContain('United Kingdom of Great Britain and Northern Ireland (GB)');
      expect(page, String(r.id)).toContain('<h2 id="usages">Usages</h2>');
    }
  });

  it('flags must-support elements and lists required children under their optional parents', () => {
    const obs = html('StructureDefinition-vm-chargeable-status-observation.html');
    expect(obs).toMatch(/id="Observation.component:basicStatus">[\s\S]*?vm-icon--slice-item[\s\S]*?component:basicStatus<\/a>[\s\S]*?title="Must support">S</);
    const mandatory = obs.slice(obs.indexOf('<h3 id="mandatory">'), obs.indexOf('<h3 id="must-support">'));
    expect(mandatory).toMatch(
      /When <a [^>]*>Observation.component:categoryStatus<\/a> is present \(0..1\), it must carry:<\/p><ul>[\s\S]*?Observation.component:categoryStatus.code</
    );
    expect(mandatory.slice(0, mandatory.indexOf('When '))).not.toContain('categoryStatus');
    const bundle = html('StructureDefinition-vm-searchset-bundle.html');
    expect(bundle).toMatch(/When <a [^>]*>Bundle.entry.search<\/a> is present \(0..1\), it must carry:<\/p><ul><li><a [^>]*>Bundle.entry.search.mode</);
  });

  it('calls NO_RECORD_FOUND a warning everywhere: code system, example, profiles and pages', () => {
    const cs = JSON.stringify(resource('CodeSystem-vm-spine-error-code'));
    expect(cs).toMatch(/"code":"NO_RECORD_FOUND"[\s\S]*?"code":"issueSeverity","valueCode":"warning"/);
    const outcome = resource('OperationOutcome-vm-warning-no-record-found') as unknown as { issue: { severity: string }[] };
    expect(outcome.issue[0]!.severity).toBe('warning');
    for (const path of site.pages) expect(html(path), path).not.toMatch(/information for (the )?NO_RECORD_FOUND|NO_RECORD_FOUND, severity `?information/);
    expect(html('using-the-api.html')).toContain('NO_RECORD_FOUND, severity <code>warning</code>');
  });

  it('gives every canonical URL a redirect page at {Type}/{id}/index.html', () => {
    for (const r of ctx.compiled!.resources.filter(x => String(x.resource.url ?? '').startsWith(`${ctx.config.canonical}/`))) {
      const { resourceType: type, id } = r.resource;
      expect(String(site.files.get(`${type}/${id}/index.html`)), String(id)).toContain(`url=../../${type}-${id}.html`);
    }
  });

  it('shows the complete walk-through reply exactly as the example Bundle', () => {
    const source = ctx.paths && String(site.files.get('using-the-api.html'));
    const block = /HTTP\/1.1 200 OK\nContent-Type: application\/fhir\+json;charset=utf-8\n\n([\s\S]*?)<\/code>/.exec(source)![1]!;
    const decoded = block
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#61;/g, '=')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    expect(JSON.parse(decoded)).toEqual(resource('Bundle-vm-search-response-found'));
  });
});
