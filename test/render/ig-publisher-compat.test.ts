/**
 * Published guides render as the IG Publisher would: kramdown attribute lists in every position,
 * Liquid in resource text, Bundle narratives entry by entry, the fragments the IG Publisher
 * generates for pages to include, YAML front matter, the default theme linking only to pages the
 * guide has; and the site checker that finds what would show a reader the opposite.
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { parseProjectConfig } from '../../scripts/project/config.ts';
import { renderPageMarkdown } from '../../scripts/stages/render/markdown.ts';
import { checkSite } from '../../scripts/stages/render/qa/site-check.ts';
import { renderSite, type SiteOutput } from '../../scripts/stages/render/site.ts';
import { DEFAULT_THEME_DIR } from '../../scripts/stages/render/theme.ts';
import { splitFrontMatter } from '../../scripts/stages/render/front-matter.ts';
import { describedId } from '../../scripts/stages/render/pages/definition-links.ts';
import type { Artifact } from '../../scripts/stages/render/model.ts';

const CONFIG = `id: example.guide
canonical: http://example.org/guide
name: ExampleGuide
title: Example guide
description: A guide for renderer tests.
status: draft
version: 0.1.0
fhirVersion: 4.0.1
publisher:
  name: Example
`;

function config(extra = '') {
  const { config: c, diagnostics } = parseProjectConfig(CONFIG + extra, 'sushi-config.yaml');
  if (!c) throw new Error(diagnostics.map(d => d.message).join('; '));
  return c;
}

const div = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;

const PROFILE: FhirResource = {
  resourceType: 'StructureDefinition',
  id: 'example-patient',
  url: 'http://example.org/guide/StructureDefinition/example-patient',
  name: 'ExamplePatient',
  title: 'Example patient',
  status: 'draft',
  kind: 'resource',
  abstract: false,
  type: 'Patient',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
  derivation: 'constraint',
  description: 'A patient, as the [base resource]({{site.data.fhir.path}}patient.html) defines it.',
  purpose: 'Version {{ site.data.fhir.igVer }} of {{site.data.fhir.ig.title}}.',
  snapshot: { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*', definition: 'See {{site.data.fhir.path}}patient.html' }] },
  differential: { element: [{ id: 'Patient', path: 'Patient' }] }
};

const PATIENT: FhirResource = {
  resourceType: 'Patient',
  id: 'pat',
  text: { status: 'generated', div: div('<p>Jane <b>Doe</b></p><script>alert(1)</script>') }
};

const BUNDLE: FhirResource = {
  resourceType: 'Bundle',
  id: 'search',
  type: 'searchset',
  entry: [
    { fullUrl: 'http://example.org/Patient/pat', resource: PATIENT, search: { mode: 'match' } },
    {
      fullUrl: 'urn:uuid:1',
      resource: {
        resourceType: 'Composition',
        id: 'doc',
        status: 'final',
        section: [{ title: 'Allergies', text: { status: 'generated', div: div('<p>No known allergies</p>') } }]
      }
    }
  ]
};

function compiled(resource: FhirResource, usage?: string): CompiledResource {
  return { fileName: `${resource.resourceType}-${resource.id}.json`, resource, usage };
}

function render(pages: Record<string, string>, extraConfig = '', resources: CompiledResource[] = []): SiteOutput {
  return renderSite({
    config: config(extraConfig),
    resources: [compiled(PROFILE), compiled(BUNDLE, 'example'), ...resources],
    pageSources: new Map(Object.entries(pages)),
    themeDir: DEFAULT_THEME_DIR,
    builtInTheme: true
  });
}

const text = (site: SiteOutput, path: string) => String(site.files.get(path));
/** The page's main content, without the theme around it. */
const main = (site: SiteOutput, path: string) => /<main[\s\S]*<\/main>/.exec(text(site, path))![0];

describe('kramdown attribute lists', () => {
  const md = (source: string) => renderPageMarkdown(source).html;

  it('applies a list after a fenced code block to the code block', () => {
    expect(md('Text\n\n```\nplain\n```\n{:.language-text}\n\nAfter')).toContain('<pre><code class="language-text">plain');
    expect(md('```\nplain\n```\n{:.language-text}\n')).not.toContain('{:');
  });

  it('applies a list on the line after a paragraph, table, list, heading and quote to that block', () => {
    expect(md('A paragraph\n{: .note}')).toContain('<p class="note">A paragraph</p>');
    expect(md('| a | b |\n|---|---|\n| 1 | 2 |\n{:.grid}')).toContain('<table class="grid">');
    expect(md('* one\n* two\n{: .c}')).toContain('<ul class="c">');
    expect(md('### Styling\n{: #styling}')).toContain('<h2 id="styling">Styling</h2>');
    expect(md('> quoted\n{: .q}')).toContain('<blockquote class="q">');
  });

  it('applies a list standing alone before a block (after a blank line) to that block', () => {
    const out = md('Intro\n\n{: #styling}\n### How it looks\n\nText');
    expect(out).toContain('<p>Intro</p>');
    expect(out).toContain('<h2 id="styling">How it looks</h2>');
    expect(md('Intro\n\n{: .note}\nA paragraph')).toContain('<p class="note">A paragraph</p>');
  });

  it('keeps header ids, drops {:toc} lists, extensions and definitions, and applies span lists', () => {
    expect(md('## Head {#hid}')).toContain('<h2 id="hid">Head</h2>');
    expect(md('* TOC\n{:toc}\n\n## A')).not.toContain('TOC');
    const ext = md('{::options parse_block_html="true" /}\n\n{:ref: .x}\n\nText {::comment}hidden{:/comment}');
    expect(ext).toBe('<p>Text</p>\n');
    expect(md('This is *red*{: .red} text')).toContain('<em class="red">red</em>');
  });

  it('leaves attribute-list lookalikes in code alone', () => {
    expect(md('```\n{: .grid}\n```')).toContain('{: .grid}');
  });
});

describe('Liquid in resource text', () => {
  const site = render({ 'index.md': 'Home' });

  it('renders site.data variables in descriptions, purposes and element definitions', () => {
    const page = text(site, 'StructureDefinition-example-patient.html');
    expect(page).toContain('href="http://hl7.org/fhir/R4/patient.html"');
    expect(page).toContain('Version 0.1.0 of Example guide.');
    expect(page).not.toMatch(/\{\{\s*site/);
    const definitions = [...site.files.keys()].find(f => f.startsWith('StructureDefinition-example-patient-definitions'));
    if (definitions) expect(text(site, definitions)).toContain('See http://hl7.org/fhir/R4/patient.html');
  });

  it('leaves text that is not valid Liquid as written, for the checker to report', () => {
    const bad = render({ 'index.md': 'Home' }, '', [compiled({ ...PROFILE, id: 'bad', url: 'http://example.org/bad', description: 'Costs {{7*7}} units' })]);
    expect(text(bad, 'StructureDefinition-bad.html')).toContain('{{7*7}}');
    expect(bad.findings).toContainEqual(expect.objectContaining({ page: 'StructureDefinition-bad.html', kind: 'literal-liquid', detail: '{{7*7}}' }));
  });
});

describe('Bundle narratives', () => {
  const site = render({ 'index.md': 'Home' });
  const page = /<div class="vm-narrative">[\s\S]*?\n<h2/.exec(main(site, 'Bundle-search.html'))![0];

  it("shows each entry with its resource's narrative rendered and sanitised, never as escaped text", () => {
    expect(page).toContain('<b>Entry 1</b>');
    expect(page).toContain('<p>Jane <b>Doe</b></p>');
    expect(page).not.toContain('&lt;div');
    expect(page).not.toContain('<script');
    expect(page).toContain('mode = <code>match</code>');
  });

  it("renders a Composition's section narratives inside a generated narrative", () => {
    expect(page).toContain('<p>No known allergies</p>');
    expect(site.findings.filter(f => f.kind === 'escaped-markup')).toEqual([]);
  });
});

describe('generated includes', () => {
  const page = [
    '### IP',
    '{% include ip-statements.xhtml %}',
    '### Dependencies',
    '{% include dependency-table.xhtml %}',
    '### Globals',
    '{% include globals-table.xhtml %}',
    '### Cross version',
    '{% include cross-version-analysis.xhtml %}',
    '### Profiles',
    '{% include list-simple-structuredefinitions.xhtml %}',
    '<ul>{% include list-profiles.xhtml %}</ul>',
    '<table>{% include table-structuredefinitions.xhtml %}</table>',
    '{% include StructureDefinition-example-patient-snapshot.xhtml %}'
  ].join('\n\n');
  const loinc: CompiledResource = compiled(
    { resourceType: 'Observation', id: 'obs', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '1-8' }] } },
    'example'
  );
  const site = render({ 'index.md': page }, 'dependencies:\n  hl7.fhir.us.core: 6.1.0\n', [loinc]);
  const home = main(site, 'index.html');

  it('produces every one with real content, no placeholder and no warning', () => {
    expect(home).not.toContain('vm-generated-placeholder');
    expect(site.diagnostics.filter(d => d.rule === 'site-include')).toEqual([]);
  });

  it('lists the external IP the guide uses, with the artifacts that use it', () => {
    expect(home).toContain('This publication includes IP covered under the following statements.');
    expect(home).toContain('LOINC');
    expect(home).toContain('href="Observation-obs.html"');
    const none = main(render({ 'index.md': '{% include ip-statements.xhtml %}' }), 'index.html');
    expect(none).toContain('No use of external IP (other than from the FHIR specification)');
  });

  it('tables the dependencies and global profiles, and states the cross-version analysis', () => {
    expect(home).toContain('example.guide#0.1.0');
    expect(home).toContain('hl7.fhir.r4.core#4.0.1');
    expect(home).toContain('hl7.fhir.us.core#6.1.0');
    expect(home).toContain('There are no Global profiles defined');
    expect(home).toContain('This is an R4 IG.');
  });

  it('lists artifacts by type, as a list alone and as items or rows in the author’s own list or table', () => {
    expect(home).toMatch(/<ul><li><a href="StructureDefinition-example-patient.html">Example patient<\/a><\/li><\/ul>/);
    expect(home).toMatch(/<ul><li><a href="StructureDefinition-example-patient.html">Example patient<\/a>: A patient/);
    expect(home).toMatch(/<table><tr><td><a href="StructureDefinition-example-patient.html">/);
  });

  it("places a profile's element table from its {Type}-{id}-snapshot fragment", () => {
    expect(home).toContain('Patient');
    expect(home.match(/<table/g)!.length).toBeGreaterThanOrEqual(3);
  });
});

describe('links to detailed descriptions', () => {
  it('go to the snapshot element that describes a differential id: itself, its choice element or its parent', () => {
    const sd: FhirResource = {
      ...PROFILE,
      snapshot: {
        element: ['Device', 'Device.extension', 'Device.extension:n', 'Device.extension:n.value[x]'].map(id => ({ id, path: id.replace(/:[^.]*/g, '') }))
      }
    };
    const a = { resource: sd, base: 'StructureDefinition-x' } as unknown as Artifact;
    expect(describedId(a, 'Device.extension:n')).toBe('Device.extension:n');
    expect(describedId(a, 'Device.extension:n.valueUnsignedInt')).toBe('Device.extension:n.value[x]');
    expect(describedId(a, 'Device.extension:n.url')).toBe('Device.extension:n');
  });
});

describe('downloads', () => {
  it("offers the IG Publisher's definitions and examples zips, which its guides' pages link to", () => {
    const site = render({ 'index.md': '[defs](definitions.json.zip) [examples](examples.xml.zip)' });
    expect(Object.keys(unzipSync(site.files.get('definitions.json.zip') as Uint8Array))).toEqual(['StructureDefinition-example-patient.json']);
    expect(Object.keys(unzipSync(site.files.get('examples.xml.zip') as Uint8Array))).toEqual(['Bundle-search.xml']);
    expect(site.findings.filter(f => f.page === 'index.html')).toEqual([]);
  });
});

describe('YAML front matter', () => {
  it('is read as Jekyll reads it, never shown, and keeps line numbers', () => {
    const { data, body } = splitFrontMatter('---\ntitle: Background\nlayout: default\n---\n# Text\n');
    expect(data).toEqual({ title: 'Background', layout: 'default' });
    expect(body).toBe('\n\n\n\n# Text\n');
    expect(splitFrontMatter('--- not front matter').body).toBe('--- not front matter');
  });

  it('gives an unlisted page its title and `page` variables, and is not rendered', () => {
    const site = render({ 'index.md': 'Home', 'background.md': '---\ntitle: Our background\nowner: Team A\n---\nOwned by {{ page.owner }}.\n' });
    const page = text(site, 'background.html');
    expect(page).toContain('<h1>Our background</h1>');
    expect(page).toContain('Owned by Team A.');
    expect(page).not.toContain('title: Our background');
    expect(page).not.toContain('<hr');
  });
});

describe('the default theme', () => {
  it('links only to pages the guide has (no versioning, privacy, phases or error pages of another guide)', () => {
    const fmm = { url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fmm', valueInteger: 2 };
    const site = render({ 'index.md': 'Home' }, '', [compiled({ ...PROFILE, id: 'fmm', url: 'http://example.org/fmm', extension: [fmm] })]);
    expect(site.findings.filter(f => f.kind === 'broken-link' || f.kind === 'broken-anchor')).toEqual([]);
    for (const [path, content] of site.files) {
      if (!path.endsWith('.html')) continue;
      expect(String(content), path).not.toMatch(/href="(versioning|privacy[\w-]*|phases|errors|maturity-model|api-reference)\.html/);
    }
    expect(text(site, 'StructureDefinition-fmm.html')).toContain('href="https://hl7.org/fhir/R4/versions.html#maturity"');
  });

  it("links FMM to the guide's own maturity section when its versioning page has one", () => {
    const fmm = { url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fmm', valueInteger: 2 };
    const site = render({ 'index.md': 'Home', 'versioning.md': '### Maturity levels\n\nText' }, '', [
      compiled({ ...PROFILE, id: 'fmm', url: 'http://example.org/fmm', extension: [fmm] })
    ]);
    expect(text(site, 'StructureDefinition-fmm.html')).toContain('href="versioning.html#maturity-levels"');
    expect(site.findings.filter(f => f.kind === 'broken-anchor')).toEqual([]);
  });

  it('renders Liquid and drops new-tab in menu URLs', () => {
    const site = render({ 'index.md': 'Home' }, 'menu:\n  Home: index.html\n  FHIR: new-tab {{site.data.fhir.path}}index.html\n');
    expect(text(site, 'index.html')).toContain('href="http://hl7.org/fhir/R4/index.html"');
  });
});

describe('the site checker', () => {
  const pages = new Map([
    [
      'a.html',
      [
        '<h1 id="top-heading">A</h1>',
        '<a href="b.html">ok</a> <a href="b.html#there">ok anchor</a> <a href="#top-heading">self</a>',
        '<a href="missing.html">broken</a>',
        '<a href="b.html#nowhere">bad anchor</a>',
        '<img src="logo.png" alt=""> <img src="gone.png" alt="">',
        '<p>Shown {{site.data.fhir.path}} and {% include x.md %}</p>',
        '<p>{: .grid} and {#ident}</p>',
        '<p>&lt;div xmlns="http://www.w3.org/1999/xhtml"&gt;&lt;p&gt;text&lt;/p&gt;</p>',
        '<pre><code>{{ kept }} {: .kept} &lt;div&gt;</code></pre>',
        '<a href="https://example.org/x.html">external</a> <a href="mailto:a@b.c">mail</a>'
      ].join('\n')
    ],
    ['b.html', '<p id="there">B</p><a name="named"></a><a href="a.html#top-heading">back</a> <a href="b.html#named">named</a>']
  ]);
  const findings = checkSite(pages, new Set(['logo.png']));

  it('finds each kind, with its page and line', () => {
    expect(findings.map(f => [f.page, f.line, f.kind, f.detail])).toEqual([
      ['a.html', 3, 'broken-link', 'missing.html'],
      ['a.html', 4, 'broken-anchor', 'b.html#nowhere'],
      ['a.html', 5, 'missing-image', 'gone.png'],
      ['a.html', 6, 'literal-liquid', '{{site.data.fhir.path}}'],
      ['a.html', 6, 'literal-liquid', '{% include x.md %}'],
      ['a.html', 7, 'literal-kramdown', '{: .grid}'],
      ['a.html', 7, 'literal-kramdown', '{#ident}'],
      ['a.html', 8, 'escaped-markup', '<div xmlns="http://www.w3.org/1999/xhtml">'],
      ['a.html', 8, 'escaped-markup', '<p>'],
      ['a.html', 8, 'escaped-markup', '</p>']
    ]);
  });

  it('reports Liquid left in a link as Liquid, and accepts files still to be written', () => {
    const more = checkSite(new Map([['c.html', '<a href="{{site.data.fhir.path}}index.html">x</a><a href="qa.html">qa</a>']]), new Set(), {
      pending: ['qa.html']
    });
    expect(more).toEqual([expect.objectContaining({ kind: 'literal-liquid', detail: '{{site.data.fhir.path}}index.html' })]);
  });

  it('is wired into the site: qa.html lists the findings per page and the build warns once per finding', () => {
    const site = render({ 'index.md': 'See [the guide](nowhere.html) and {{ "{{" }}x}}.' });
    expect(site.findings).toContainEqual(expect.objectContaining({ page: 'index.html', kind: 'broken-link', detail: 'nowhere.html' }));
    expect(site.diagnostics).toContainEqual(
      expect.objectContaining({
        rule: 'site-broken-link',
        message: "broken link 'nowhere.html' on index.html",
        // The page's source, at the link's line and column.
        location: { file: 'input/pagecontent/index.md', line: 1, column: 17 }
      })
    );
    expect(site.diagnostics).toContainEqual(
      expect.objectContaining({ rule: 'site-literal-liquid', location: expect.objectContaining({ file: 'input/pagecontent/index.md' }) })
    );
    const qa = text(site, 'qa.html');
    expect(qa).toContain('<a href="index.html">index.html</a>');
    expect(qa).toContain('<code>nowhere.html</code>');
  });
});
