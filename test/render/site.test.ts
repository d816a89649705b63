/** What the site holds for the fixture guide: IG Publisher URLs, element trees, terminology, examples, QA. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { menuItems, type SiteOutput } from '../../scripts/stages/render/site.ts';
import { compiledContext } from './helpers.ts';
import { renderContext } from './site-fixture.ts';

let ctx: BuildContext;
let site: SiteOutput;
const page = (path: string) => {
  const content = site.files.get(path);
  if (typeof content !== 'string') throw new Error(`no page ${path}`);
  return content;
};
const rowOf = (html: string, id: string) => new RegExp(`<tr class="([^"]*)" id="${id.replace(/[.[\]]/g, '\\$&')}">([\\s\\S]*?)</tr>`).exec(html);

beforeAll(async () => {
  ctx = await compiledContext();
  ctx.validation = {
    files: [
      {
        file: 'fsh-generated/resources/Observation-status-example.json',
        resourceType: 'Observation',
        id: 'status-example',
        profiles: ['http://example.org/render/StructureDefinition/status-observation'],
        diagnostics: [
          { severity: 'error', rule: 'cardinality-max', message: 'identifier must not be present', location: { expression: 'Observation.identifier[0]' } }
        ]
      }
    ]
  };
  site = renderContext(ctx);
});

describe('pages and URLs', () => {
  it('uses IG Publisher names, with .json and .xml beside every resource page', () => {
    for (const p of ['index.html', 'guidance.html', 'toc.html', 'artifacts.html', 'qa.html', 'searchform.html', '404.html', 'downloads.html'])
      expect(site.pages).toContain(p);
    for (const r of ctx.compiled!.resources) {
      const base = `${r.resource.resourceType}-${r.resource.id}`;
      expect(site.pages).toContain(`${base}.html`);
      expect(JSON.parse(String(site.files.get(`${base}.json`)))).toEqual(r.resource);
      expect(String(site.files.get(`${base}.xml`))).toMatch(new RegExp(`^<\\?xml[^>]*>\\n<${r.resource.resourceType} xmlns="http://hl7.org/fhir">`));
    }
  });

  it('orders the menu and toc as sushi-config says', () => {
    const nav = /<ul class="nhsuk-header__navigation-list">([\s\S]*?)<\/ul>/.exec(page('guidance.html'))![1]!;
    expect([...nav.matchAll(/href="([^"]+)"/g)].map(m => m[1])).toEqual(['index.html', 'guidance.html', 'artifacts.html']);
    expect(nav).toMatch(/aria-current="page"><strong[^>]*>Guidance/);
    const toc = page('toc.html');
    expect(toc.indexOf('href="index.html"')).toBeLessThan(toc.indexOf('href="guidance.html"'));
    expect(toc).toContain('href="StructureDefinition-status-observation.html"');
  });

  it('links a menu group to its first page and marks it current on any of its pages', () => {
    const config = {
      ...ctx.config,
      menu: [
        { label: 'Home', url: 'index.html', children: [] },
        {
          label: 'Guidance',
          children: [
            { label: 'A', url: 'a.html', children: [] },
            { label: 'B', url: 'b.html', children: [] }
          ]
        }
      ]
    };
    expect(menuItems(config, 'b.html')).toEqual([
      { label: 'Home', href: 'index.html', current: false },
      { label: 'Guidance', href: 'a.html', current: true }
    ]);
  });

  it('starts page headings at h2 under the title and lists them in the page toc', () => {
    const html = page('guidance.html');
    expect(html).toContain('<h2 id="using-it">Using it</h2>');
    expect(html).toMatch(/<nav class="nhsuk-contents-list vm-page-toc"[\s\S]*href="#errors"/);
  });

  it("groups artifacts as the IG Publisher's template does, with its anchors and our kind anchors", () => {
    const html = page('artifacts.html');
    const groups = [
      'behavior-capability-statements',
      'structures-resource-profiles',
      'structures-extension-definitions',
      'terminology-value-sets',
      'terminology-code-systems',
      'terminology-concept-maps',
      'example-example-instances'
    ];
    const order = groups.map(id => html.indexOf(`<h2 id="${id}">`));
    expect(order.every(i => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const kind of ['profile', 'extension', 'valueset', 'codesystem', 'conceptmap', 'capability', 'example']) expect(html).toContain(`id="${kind}"`);
    expect(html).toContain('A chargeable-status observation. Only <strong>status</strong> data.');
  });

  it('writes a sitemap of every page but 404', () => {
    const xml = String(site.files.get('sitemap.xml'));
    expect(xml).toContain('<loc>http://example.org/render/StructureDefinition-status-observation.html</loc>');
    expect(xml).not.toContain('404.html');
  });
});

describe('profile page', () => {
  const sd = () => page('StructureDefinition-status-observation.html');

  it('has Key elements, Differential and Snapshot tabs that are sections without JS', () => {
    expect(sd()).toMatch(/<div class="nhsuk-tabs" data-module="nhsuk-tabs" id="element-views">/);
    for (const id of ['tab-key', 'tab-diff', 'tab-snapshot']) expect(sd()).toContain(`id="${id}"><h3 class="vm-tab-heading">`);
  });

  it('anchors snapshot rows by element id, with slices, bindings and patterns', () => {
    const slice = rowOf(sd(), 'Observation.component:basic')!;
    expect(slice[2]).toContain('>component:basic</a>');
    expect(slice[2]).toContain('vm-icon--slice-item');
    expect(rowOf(sd(), 'Observation.component')![2]).toContain('Slices for component');
    expect(rowOf(sd(), 'Observation.component')![2]).toContain('Slice: Unordered, Open by pattern:code');
    const value = rowOf(sd(), 'Observation.component:basic.value[x]')![2];
    expect(value).toContain('Binding: <a href="ValueSet-status-vs.html">Status value set</a> (<span class="vm-binding vm-binding--required">required</span>)');
    expect(rowOf(sd(), 'Observation.status')![2]).toContain('Required pattern: <code class="vm-value__primitive">final</code>');
  });

  it('strikes through prohibited elements and lists them in words', () => {
    const row = rowOf(sd(), 'Observation.identifier')!;
    expect(row[1]).toContain('vm-el--prohibited');
    expect(row[2]).toContain('<del>0..0</del>');
    expect(sd()).toMatch(/<h3 id="prohibited">[\s\S]*?<a href="StructureDefinition-status-observation-definitions.html#Observation.identifier">/);
  });

  it('shows extensions by URL and references with their targets', () => {
    expect(rowOf(sd(), 'Observation.extension:source')![2]).toContain('Extension(<a href="StructureDefinition-status-source.html">Status source</a>)');
    expect(rowOf(sd(), 'Observation.subject')![2]).toMatch(/Reference<\/a>\(<a href="https:\/\/hl7.org\/fhir\/R4\/patient.html">Patient<\/a>\)/);
  });

  it('lists its own constraints with key, severity, text and expression', () => {
    expect(sd()).toMatch(/<h2 id="constraints">[\s\S]*?status-1<\/a><\/td><td class="nhsuk-table__cell">error<\/td>[\s\S]*?<code>component.exists\(\)<\/code>/);
  });

  it('draws tree lines: last children end the branch', () => {
    const blank = '<span class="vm-tree vm-tree--blank"></span>';
    expect(rowOf(sd(), 'diff-Observation.component:basic.code')![2]).toContain(`${blank}${blank}<span class="vm-tree vm-tree--branch"></span>`);
    expect(rowOf(sd(), 'diff-Observation.component:basic.value[x]')![2]).toContain(`${blank}${blank}<span class="vm-tree vm-tree--end"></span>`);
    expect(rowOf(sd(), 'diff-Observation.extension:source')![2]).toContain(
      '<span class="vm-tree vm-tree--line"></span><span class="vm-tree vm-tree--end"></span>'
    );
  });

  it('links the examples that claim it and has detailed descriptions', () => {
    expect(sd()).toMatch(/<h2 id="examples">[\s\S]*?href="Observation-status-example.html"/);
    const defs = page('StructureDefinition-status-observation-definitions.html');
    expect(defs).toContain('<section class="vm-detail" id="Observation.component:basic.value[x]">');
    expect(sd()).not.toContain('class="vm-detail"');
    expect(sd()).toContain('href="StructureDefinition-status-observation-definitions.html"');
  });
});

describe('terminology, capability and example pages', () => {
  it('expands a value set from the local code system', () => {
    expect(page('ValueSet-status-vs.html')).toMatch(/<code>Y<\/code><\/td><td class="nhsuk-table__cell">Chargeable/);
    expect(page('ValueSet-status-vs.html')).toContain('2 codes');
  });

  it('shows every code system property as a column', () => {
    expect(page('CodeSystem-status-cs.html')).toMatch(/<th scope="col" class="nhsuk-table__header">rank<\/th>/);
    expect(page('CodeSystem-status-cs.html')).toMatch(/Likely chargeable.<\/td><td class="nhsuk-table__cell">1<\/td>/);
  });

  it('tables concept map mappings', () => {
    expect(page('ConceptMap-status-to-other.html')).toMatch(
      /<code>Y<\/code> <\/td><td class="nhsuk-table__cell">equivalent<\/td><td class="nhsuk-table__cell"><code>C<\/code>/
    );
  });

  it('lists capability resources, interactions and search parameters', () => {
    const html = page('CapabilityStatement-vm-capability.html');
    expect(html).toContain('<code>search-type</code>');
    expect(html).toContain('<code>subject:Patient.identifier</code> (token)');
    expect(html).toContain('TLS and a JWT.');
  });

  it('gives examples a generated narrative, profile and reference links, JSON and XML tabs', () => {
    const html = page('Observation-status-example.html');
    expect(html).toContain('Generated narrative: Observation');
    expect(html).toMatch(/<h2 id="profiles">[\s\S]*?href="StructureDefinition-status-observation.html"/);
    expect(html).toMatch(/<h2 id="references">[\s\S]*?href="Patient-patient-example.html"/);
    expect(html).toContain('data-copy-target="json-code"');
    expect(html).toContain('href="Observation-status-example.xml" download');
  });
});

describe('generated tables, QA, downloads', () => {
  it('places the maturity model and error tables where the pages include them', () => {
    expect(page('index.html')).toMatch(/<h3 id="phases">Phases<\/h3>\n<div class="nhsuk-table-responsive"><table[\s\S]*?current focus/);
    expect(page('guidance.html')).toMatch(/<td class="nhsuk-table__cell">404<\/td><td class="nhsuk-table__cell"><code>PATIENT_NOT_FOUND<\/code>/);
    expect(page('index.html')).not.toContain('{%');
  });

  it('reports an unknown include as a warning at its line', () => {
    expect(site.diagnostics).toEqual([]);
    const extra = join(ctx.paths.pagecontent, 'extra.md');
    writeFileSync(extra, '### Extra\n\n{% include nope.md %}\n');
    try {
      expect(renderContext(ctx).diagnostics).toEqual([
        {
          severity: 'warning',
          rule: 'site-include',
          message: "cannot include 'nope.md': no page, include, image or generated fragment has that name",
          location: { file: 'input/pagecontent/extra.md', line: 3, column: 1 }
        }
      ]);
    } finally {
      rmSync(extra);
    }
  });

  it('links validation issues to the element row of the profile', () => {
    expect(page('qa.html')).toContain('href="Observation-status-example.html">Observation-status-example</a>');
    expect(page('qa.html')).toContain(
      '<a href="StructureDefinition-status-observation.html#Observation.identifier"><code>Observation.identifier[0]</code></a>'
    );
  });

  it('zips every resource as JSON and as XML, byte for byte the same on every build', () => {
    const zip = unzipSync(site.files.get('test.render-json.zip') as Uint8Array);
    expect(Object.keys(zip)).toContain('StructureDefinition-status-observation.json');
    expect(strFromU8(zip['Patient-patient-example.json']!)).toBe(site.files.get('Patient-patient-example.json'));
    expect(Object.keys(unzipSync(site.files.get('test.render-xml.zip') as Uint8Array))).toContain('Patient-patient-example.xml');
    const again = renderContext(ctx);
    expect([...again.files.keys()]).toEqual([...site.files.keys()]);
    for (const [path, content] of site.files) expect(again.files.get(path), path).toEqual(content);
  });

  it('indexes pages and artifacts for search', () => {
    const script = String(site.files.get('assets/js/search-index.js'));
    expect(script).toMatch(/^window\.VMIG_SEARCH = \{/);
    expect(script).toContain('StructureDefinition-status-observation.html');
  });
});
