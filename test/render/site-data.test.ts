/**
 * `site.data` as the IG Publisher's Jekyll pass gives it to pages: `structuredefinitions` (one
 * entry per profile, extension and logical model, keyed by id) and the author's data files.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { parseProjectConfig } from '../../scripts/project/config.ts';
import { renderSite, type SiteInput, type SiteOutput } from '../../scripts/stages/render/site.ts';
import { DEFAULT_THEME_DIR } from '../../scripts/stages/render/theme.ts';

const CONFIG =
  'id: example.guide\ncanonical: http://example.org/guide\nname: ExampleGuide\ntitle: Example guide\nstatus: draft\nversion: 0.1.0\nfhirVersion: 4.0.1\npublisher:\n  name: Example Org\n';

const sd = (id: string, extra: Record<string, unknown>): FhirResource => ({
  resourceType: 'StructureDefinition',
  id,
  url: `http://example.org/guide/StructureDefinition/${id}`,
  name: id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
  status: 'active',
  kind: 'resource',
  abstract: false,
  derivation: 'constraint',
  ...extra,
  snapshot: { element: [{ id: String(extra.type), path: String(extra.type), min: 0, max: '*' }] },
  differential: { element: [{ id: String(extra.type), path: String(extra.type) }] }
});

const RESOURCES: CompiledResource[] = [
  sd('base-patient', { title: 'Base Patient', type: 'Patient', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient' }),
  sd('child-patient', { type: 'Patient', baseDefinition: 'http://example.org/guide/StructureDefinition/base-patient', description: 'Narrower.' }),
  sd('flag', {
    type: 'Extension',
    kind: 'complex-type',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    context: [{ type: 'element', expression: 'Patient' }]
  })
].map(resource => ({ fileName: `StructureDefinition-${resource.id}.json`, resource }));

/** The guide of RESOURCES with these pages (and includes, data...) in the default theme. */
function renderWith(input: Omit<SiteInput, 'config' | 'resources' | 'pageSources' | 'themeDir'> & { pages: Record<string, string> }): SiteOutput {
  const { config } = parseProjectConfig(CONFIG, 'sushi-config.yaml');
  const { pages, ...rest } = input;
  return renderSite({
    config: config!,
    resources: RESOURCES,
    pageSources: new Map(Object.entries(pages)),
    themeDir: DEFAULT_THEME_DIR,
    builtInTheme: true,
    ...rest
  });
}
const render = (pages: Record<string, string>, data?: Record<string, unknown>) => renderWith({ pages, data });
const main = (site: SiteOutput, path: string) => /<main[\s\S]*<\/main>/.exec(String(site.files.get(path)))![0];

describe('site.data.structuredefinitions', () => {
  it('lists every StructureDefinition with the fields real guides loop over', () => {
    const site = render({
      'index.md': [
        '| id | title | kind | type | base | status |',
        '|---|---|---|---|---|---|',
        '{% for p in site.data.structuredefinitions %}| {{ p[0] }} | [{{ p[1].title }}]({{ p[1].path }}) | {{ p[1].kind }} | {{ p[1].type }} | [{{ p[1].basename }}]({{ p[1].basepath }}) | {{ p[1].status }} |',
        '{% endfor %}'
      ].join('\n')
    });
    const page = main(site, 'index.html');
    expect(page).toContain('<td>base-patient</td>');
    expect(page).toContain('<a href="StructureDefinition-base-patient.html">Base Patient</a>');
    expect(page).toContain('<a href="http://hl7.org/fhir/R4/patient.html">Patient</a>');
    // A base in the guide: its name and its page here.
    expect(page).toContain('<a href="StructureDefinition-base-patient.html">BasePatient</a>');
    expect(page).toContain('<td>complex-type</td>');
    expect(site.findings.filter(f => f.kind === 'literal-liquid' || f.kind === 'broken-link')).toEqual([]);
  });

  it('reads one entry by id, publisher and extension contexts included', () => {
    const site = render({
      'index.md': [
        '{% assign id = "child-patient" %}Each {{ site.data.structuredefinitions.[id].type }} here: {{ site.data.structuredefinitions[id].description }}',
        '',
        'By {{ site.data.structuredefinitions.flag.publisher }}, on {{ site.data.structuredefinitions.flag.contexts | join: ", " }} ({{ site.data.structuredefinitions.flag.contextType }})'
      ].join('\n')
    });
    const page = main(site, 'index.html');
    expect(page).toContain('Each Patient here: Narrower.');
    expect(page).toContain('By Example Org, on Patient (Element ID)');
  });
});

describe("Jekyll's lax Liquid, as guides use it with site.data", () => {
  it('reads `.[id]` lookups and an output inside a tag, as in an include given an id; raw blocks stay as written', () => {
    const site = renderWith({
      pages: { 'index.md': "{% include guidance.md id='child-patient' %}\n\n{% raw %}{{ a.[b] }}{% endraw %}" },
      includes: new Map([
        [
          'guidance.md',
          '{% assign id = {{include.id}} %}{% assign resource = site.data.structuredefinitions.[id] %}Guidance for {{ resource.type }} ({{ resource.basename }})'
        ]
      ])
    });
    const page = main(site, 'index.html');
    expect(page).toContain('Guidance for Patient (BasePatient)');
    expect(page).toContain('{{ a.[b] }}');
    expect(site.diagnostics.filter(d => d.rule === 'site-liquid')).toEqual([]);
  });
});

describe('site.data.fhir.ver', () => {
  it("links a dependency's pages by its key", () => {
    const site = renderWith({
      pages: { 'index.md': 'See [US Core Patient]({{site.data.fhir.ver.uscore}}/StructureDefinition-us-core-patient.html).' },
      dependencyPaths: { uscore: 'http://hl7.org/fhir/us/core/STU3.1.1' }
    });
    expect(main(site, 'index.html')).toContain('<a href="http://hl7.org/fhir/us/core/STU3.1.1/StructureDefinition-us-core-patient.html">US Core Patient</a>');
    expect(site.findings.filter(f => f.kind === 'broken-link')).toEqual([]);
  });
});

describe("the author's data files", () => {
  it('are site.data under their own names; the generated data keeps its names', () => {
    const site = render(
      { 'index.md': '{% for m in site.data.team.members %}- {{ m.name }}\n{% endfor %}\nFHIR path: {{ site.data.fhir.path }}' },
      { team: { members: [{ name: 'Ada' }, { name: 'Grace' }] }, fhir: { path: 'overridden' } }
    );
    const page = main(site, 'index.html');
    expect(page).toContain('<li>Ada</li>');
    expect(page).toContain('<li>Grace</li>');
    expect(page).toContain('FHIR path: http://hl7.org/fhir/R4/');
  });
});

describe('a Liquid tag the renderer does not have', () => {
  it("is left out with a located warning, and the rest of the page's Liquid still renders", () => {
    const site = render({
      'index.md':
        'Title: {{ site.data.fhir.ig.title }}\n\n{% seo { "title" : "a Jekyll plugin tag" } %}\n\n{% if true %}yes{% else %}no{% endif %} {% case 1 %}{% when 1 %}one{% endcase %}'
    });
    const page = main(site, 'index.html');
    expect(page).toContain('Title: Example guide');
    expect(page).toContain('yes one');
    expect(page).toContain("[seo: this tag's output is not available in this build]");
    expect(site.diagnostics).toContainEqual(expect.objectContaining({ rule: 'site-liquid', location: { file: 'input/pagecontent/index.md', line: 3 } }));
  });
});

describe("Jekyll's filters", () => {
  it('markdownify renders markdown; relative_url and absolute_url keep the path', () => {
    const site = render({
      'index.md':
        '<div>{{ site.data.structuredefinitions.child-patient.description | append: " **Really.**" | markdownify }}</div>\n\n[Link]({{ "background.html" | relative_url }})'
    });
    const page = main(site, 'index.html');
    expect(page).toContain('<p>Narrower. <strong>Really.</strong></p>');
    expect(page).toContain('href="background.html"');
  });
});

describe('lax Liquid and code', () => {
  it('leaves a fenced code block exactly as written', () => {
    const site = render({ 'index.md': '```\n{{ a.[b] }} {% assign x = {{ y }} %}\n```\n' });
    expect(main(site, 'index.html')).toContain('{{ a.[b] }} {% assign x = {{ y }} %}');
  });
});
