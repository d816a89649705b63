/**
 * A SUSHI project laid out as HL7 publishes them (input/fsh, input/pagecontent and input/pages,
 * intro/notes, predefined JSON and XML resources, path-resource, menu.xml, raw HTML, kramdown,
 * Liquid, no theme), built end to end with nothing moved: compile output byte-identical to
 * `sushi build -s`, every page, intro and predefined resource present, 0 broken links.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGuide, type GuideBuild, copyGuide, leftovers, listFiles, mainOf, readText, runSushiCli } from './helpers.ts';

let root: string;
let result: GuideBuild;
const site = (p: string) => readText(join(root, 'build', 'site', p));

beforeAll(async () => {
  root = copyGuide('standard');
  result = await buildGuide(root);
}, 120_000);

describe('a guide in the standard SUSHI layout', () => {
  it('builds with no error and only the expected warnings', () => {
    expect(result.ran).toEqual(['compile', 'narrative', 'diff', 'validate', 'package', 'site']);
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    const warnings = result.diagnostics.filter(d => d.severity === 'warning').map(d => `${d.location?.file}:${d.location?.line ?? ''} ${d.rule}`);
    expect(warnings).toEqual(['input/pagecontent: fsh']);
  });

  it('writes exactly what `sushi build -s` writes to fsh-generated/', async () => {
    const ours = copyGuide('standard');
    await buildGuide(ours, 'compile');
    const theirs = copyGuide('standard');
    const sushi = runSushiCli(theirs);
    expect(sushi.status, sushi.output).toBe(0);
    const files = listFiles(join(theirs, 'fsh-generated'));
    expect(files).toContain('resources/ImplementationGuide-example.fixture.standard.json');
    expect(listFiles(join(ours, 'fsh-generated'))).toEqual(files);
    for (const f of files) expect(readText(join(ours, 'fsh-generated', f)), f).toBe(readText(join(theirs, 'fsh-generated', f)));
  }, 180_000);

  it('has every page of the pages: tree, with its titles, and no page for a fragment', () => {
    for (const p of ['index.html', 'background.html', 'details.html', 'security.html', 'artifacts.html', 'downloads.html', 'toc.html'])
      expect(existsSync(join(root, 'build', 'site', p)), p).toBe(true);
    expect(existsSync(join(root, 'build', 'site', 'shared-note.html'))).toBe(false);
    expect(site('background.html')).toContain('<h1>Background and scope</h1>');
    expect(site('details.html')).toMatch(/<a href="index.html">Home<\/a><\/li>\s*<li><a href="background.html">Background and scope<\/a>/);
    expect(result.sitePages).not.toContain('Patient-patient-one-intro.html');
  });

  it('renders raw HTML through the allow-list, kramdown ids and classes, and XHTML pages', () => {
    const index = mainOf(site('index.html'));
    expect(index).toContain('<div class="note-to-balloters" id="ballot-note">');
    expect(index).toContain('<table class="grid" id="facts">');
    expect(index).toContain('<h2 id="welcome">');
    expect(index).toContain('<p id="important" class="highlight">An important paragraph.</p>');
    expect(index).not.toMatch(/<script|onclick|javascript:/);
    expect(mainOf(site('background.html'))).toContain('<table class="grid">');
    expect(mainOf(site('details.html'))).toContain('<p id="details-start">Detailed notes written as an XHTML page.</p>');
    expect(mainOf(site('security.html'))).toContain('<h3 id="transport">Transport</h3>');
  });

  it('runs Liquid: variables, assign, if, for, raw, includes of pages, includes/ and inline SVG', () => {
    const index = mainOf(site('index.html'));
    expect(index).toContain('Welcome to Standard layout fixture guide');
    expect(index).toContain('<code>example.fixture.standard</code> version 1.2.0');
    expect(index).toContain('published at\nhttp://example.org/fhir/standard');
    expect(index).toContain('<a href="http://hl7.org/fhir/R4/index.html">FHIR 4.0.1</a>');
    expect(index).toContain('See the <a href="security.html">Security</a> page.');
    expect(index).toContain('<li>Kind 2: examples</li>');
    expect(index).toContain('<code>{{ not.a.variable }}</code>');
    expect(index).toContain('a fragment included from a sibling page');
    expect(index).toContain('<em>This guide is a test fixture; it is not for clinical use.</em>');
    expect(index).toMatch(/<figure>\s*<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*><rect/);
    expect(index).not.toMatch(/<text[^>]*onclick/);
    expect(index).toContain('<pre><code class="language-liquid">{% include kept-literal.md %}\n</code></pre>');
    // A part of an artifact's page the IG Publisher generates: here, a link to that page.
    expect(index).toContain('<p>See <a href="StructureDefinition-fixture-patient.html">');
  });

  it('leaves no literal Liquid or kramdown syntax and no escaped tag on any page', () => {
    for (const p of result.sitePages) expect(leftovers(site(p)), p).toEqual([]);
  });

  it('shows intro above and notes below the generated content, from input/intro-notes and beside the pages', () => {
    const profile = mainOf(site('StructureDefinition-fixture-patient.html'));
    const intro = profile.indexOf("This profile's <strong>intro</strong>");
    const notes = profile.indexOf('The <strong>notes</strong> come below');
    expect(intro).toBeGreaterThan(0);
    expect(notes).toBeGreaterThan(profile.indexOf('id="formats"'));
    expect(mainOf(site('Patient-patient-one.html'))).toContain('An intro for the example patient, kept beside the pages.');
  });

  it("keeps the author's artifacts page and adds the generated list below it", () => {
    const artifacts = mainOf(site('artifacts.html'));
    expect(artifacts).toContain('<h1>Artifacts summary</h1>');
    expect(artifacts.indexOf("the author's own words")).toBeLessThan(artifacts.indexOf('href="StructureDefinition-fixture-patient.html"'));
  });

  it('loads predefined JSON and XML resources (path-resource too): validated, packaged, rendered, listed once', () => {
    const predefined = ['Patient/patient-two', 'Observation/height-one', 'OperationDefinition/fixture-lookup', 'SearchParameter/fixture-code'];
    const ig = result.implementationGuide!;
    for (const ref of predefined)
      expect(
        ig.definition!.resource!.filter(r => r.reference.reference === ref),
        ref
      ).toHaveLength(1);
    const validated = result.validatedFiles;
    expect(validated).toContain('input/examples/Observation-height-one.xml');
    expect(validated).toContain('input/extra/search/SearchParameter-fixture-code.json');
    const tar = new TextDecoder().decode(gunzipSync(readFileSync(join(root, 'build', 'package.tgz'))));
    for (const f of [
      'package/example/Observation-height-one.json',
      'package/example/Patient-patient-two.json',
      'package/OperationDefinition-fixture-lookup.json',
      'package/SearchParameter-fixture-code.json'
    ])
      expect(tar, f).toContain(f);
    expect(JSON.parse(site('Observation-height-one.json')).valueQuantity.value).toBe(180);
    for (const p of ['Patient-patient-two.html', 'Observation-height-one.html', 'OperationDefinition-fixture-lookup.html', 'SearchParameter-fixture-code.html'])
      expect(result.sitePages).toContain(p);
    expect(existsSync(join(root, 'fsh-generated', 'resources', 'Patient-patient-two.json'))).toBe(false);
  });

  it('tables the OperationDefinition parameters with nested parts, and details the SearchParameter', () => {
    const op = mainOf(site('OperationDefinition-fixture-lookup.html'));
    expect(op).toContain('<code>$lookup</code>');
    expect(op).toMatch(
      /<td class="nhsuk-table__cell">IN<\/td><td class="nhsuk-table__cell"><span class="vm-indent-0"><code>nhsNumber<\/code><\/span><\/td><td class="nhsuk-table__cell">1..1<\/td>/
    );
    expect(op).toMatch(/<span class="vm-indent-1"><code>score<\/code><\/span><\/td><td class="nhsuk-table__cell">0..1<\/td>/);
    expect(op).toMatch(/The patient('|&#39;)s NHS Number\./);
    const sp = mainOf(site('SearchParameter-fixture-code.html'));
    expect(sp).toContain('<code>Observation.code</code>');
    expect(sp).toMatch(/Type<\/dt>\s*<dd class="nhsuk-summary-list__value">token/);
  });

  it('uses the built-in default theme, the menu from input/includes/menu.xml, and the packageId in names', () => {
    const index = site('index.html');
    expect(index).toContain('<link rel="stylesheet" href="assets/css/ig.css">');
    expect(index).not.toContain('nhsuk-frontend');
    expect(index).toMatch(/<li><a href="background.html">Guidance<\/a><\/li>/);
    expect(index).toContain('package example.fixture.standard version 1.2.0');
    expect(existsSync(join(root, 'build', 'site', 'example.fixture.standard-json.zip'))).toBe(true);
    expect(existsSync(join(root, 'site'))).toBe(false);
  });

  it('has no broken link', () => {
    expect(result.diagnostics.filter(d => d.rule === 'site-broken-link')).toEqual([]);
    expect(result.sitePages.length).toBeGreaterThan(15);
  });
});
