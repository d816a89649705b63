/**
 * The files and pages the IG Publisher generates that guides link to (#24), and the default
 * theme's and example pages' implementer items (#28): full-ig.zip, Turtle and its zips, csvs.zip,
 * the -examples / -mappings / source sub-pages, artifacts.html's group anchors, Jekyll's heading
 * ids, the {% fragment %} tag, Bundle usages, example titles, the Home title, the release banner.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { parseProjectConfig } from '../../scripts/project/config.ts';
import { renderPageMarkdown } from '../../scripts/stages/render/markdown.ts';
import { releaseBanner, renderSite, type SiteOutput } from '../../scripts/stages/render/site.ts';
import { DEFAULT_THEME_DIR } from '../../scripts/stages/render/theme.ts';
import { profileCsv } from '../../scripts/stages/render/csv.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const CONFIG = `id: example.guide
canonical: http://example.org/guide
name: ExampleGuide
title: Example guide
status: draft
version: 0.1.0
fhirVersion: 4.0.1
`;

function config(extra = '') {
  const { config: c, diagnostics } = parseProjectConfig(CONFIG + extra, 'sushi-config.yaml');
  if (!c) throw new Error(diagnostics.map(d => d.message).join('; '));
  return c;
}

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
  mapping: [{ identity: 'rim', uri: 'http://hl7.org/v3', name: 'RIM Mapping' }],
  snapshot: {
    element: [
      {
        id: 'Patient',
        path: 'Patient',
        min: 0,
        max: '*',
        short: 'A "patient"',
        base: { path: 'Patient', min: 0, max: '*' },
        mapping: [{ identity: 'rim', map: 'Patient[classCode=PAT]<br/>and more' }]
      },
      {
        id: 'Patient.name',
        path: 'Patient.name',
        min: 1,
        max: '*',
        mustSupport: true,
        type: [{ code: 'HumanName' }],
        base: { path: 'Patient.name', min: 0, max: '*' }
      }
    ]
  },
  differential: { element: [{ id: 'Patient.name', path: 'Patient.name', min: 1, mustSupport: true }] }
};

const EXTENSION: FhirResource = {
  resourceType: 'StructureDefinition',
  id: 'example-ext',
  url: 'http://example.org/guide/StructureDefinition/example-ext',
  name: 'ExampleExt',
  status: 'draft',
  kind: 'complex-type',
  abstract: false,
  type: 'Extension',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
  derivation: 'constraint',
  snapshot: { element: [{ id: 'Extension', path: 'Extension', min: 0, max: '*' }] },
  differential: { element: [{ id: 'Extension', path: 'Extension' }] }
};

const PATIENT: FhirResource = {
  resourceType: 'Patient',
  id: 'pat',
  meta: { profile: [PROFILE.url!] },
  name: [{ family: 'Doe', given: ['Jane'] }],
  active: true,
  birthDate: '1970-01-02',
  managingOrganization: { reference: 'Organization/org' }
};

const BUNDLE: FhirResource = {
  resourceType: 'Bundle',
  id: 'search',
  type: 'collection',
  entry: [{ fullUrl: 'http://example.org/guide/Patient/pat', resource: PATIENT }]
};

/** An R5 resource type R4 lacks: no Turtle can describe it. */
const REQUIREMENTS: FhirResource = { resourceType: 'Requirements', id: 'req', status: 'draft' };

function compiled(resource: FhirResource, usage?: string): CompiledResource {
  return { fileName: `${resource.resourceType}-${resource.id}.json`, resource, usage };
}

const IG: FhirResource = {
  resourceType: 'ImplementationGuide',
  id: 'example.guide',
  definition: {
    resource: [
      { reference: { reference: 'Patient/pat' }, name: 'Jane, the example patient', exampleCanonical: PROFILE.url },
      { reference: { reference: 'Bundle/search' }, name: 'search', exampleBoolean: true }
    ]
  }
};

function render(options: { extraConfig?: string; pages?: Record<string, string>; ig?: FhirResource; resources?: CompiledResource[] } = {}): SiteOutput {
  return renderSite({
    config: config(options.extraConfig),
    resources: options.resources ?? [compiled(PROFILE), compiled(EXTENSION), compiled(PATIENT, 'example'), compiled(BUNDLE, 'example'), compiled(REQUIREMENTS)],
    implementationGuide: { fileName: 'ImplementationGuide-example.guide.json', resource: options.ig ?? IG },
    pageSources: new Map(Object.entries(options.pages ?? { 'index.md': '# Welcome\n\nHello.' })),
    themeDir: DEFAULT_THEME_DIR,
    builtInTheme: true,
    packageCache: SHARED_PACKAGE_CACHE
  });
}

const site = render();
const text = (s: SiteOutput, path: string) => String(s.files.get(path));
const main = (s: SiteOutput, path: string) => /<main[\s\S]*<\/main>/.exec(text(s, path))![0];
const unzip = (s: SiteOutput, path: string) => unzipSync(s.files.get(path) as Uint8Array);

describe('downloads the IG Publisher writes', () => {
  it('full-ig.zip holds every other file of the site, byte for byte', () => {
    const entries = unzip(site, 'full-ig.zip');
    const others = [...site.files.keys()].filter(p => p !== 'full-ig.zip');
    expect(Object.keys(entries).sort()).toEqual(others.sort());
    for (const path of ['index.html', 'qa.html', 'assets/js/search-index.js', 'Patient-pat.ttl']) expect(strFromU8(entries[path]!)).toBe(text(site, path));
    expect(entries['package-json.zip' in entries ? 'package-json.zip' : 'definitions.json.zip']).toEqual(site.files.get('definitions.json.zip'));
  });

  it('writes R4 Turtle for each resource the core definitions describe, and none for a type R4 lacks', () => {
    const ttl = text(site, 'Patient-pat.ttl');
    expect(ttl).toContain('@prefix fhir: <http://hl7.org/fhir/> .');
    expect(ttl).toContain('<http://example.org/guide/Patient/pat> a fhir:Patient ;');
    expect(ttl).toContain('fhir:nodeRole fhir:treeRoot');
    expect(ttl).toContain('fhir:Resource.id [ fhir:value "pat" ]');
    expect(ttl).toMatch(/fhir:Patient\.name \[\s+fhir:index 0 ;\s+fhir:HumanName\.family \[ fhir:value "Doe" \]/);
    expect(ttl).toContain('fhir:Patient.active [ fhir:value "true"^^xsd:boolean ]');
    expect(ttl).toContain('fhir:Patient.birthDate [ fhir:value "1970-01-02"^^xsd:date ]');
    expect(ttl).toMatch(/fhir:Patient\.managingOrganization \[\s+fhir:link <http:\/\/example\.org\/guide\/Organization\/org> ;\s+fhir:Reference\.reference/);
    // A Bundle's entry with a fullUrl is a subject of its own.
    expect(text(site, 'Bundle-search.ttl')).toContain('fhir:Bundle.entry.resource <http://example.org/guide/Patient/pat>');
    expect(site.files.has('Requirements-req.ttl')).toBe(false);
    expect(Object.keys(unzip(site, 'examples.ttl.zip')).sort()).toEqual(['Bundle-search.ttl', 'Patient-pat.ttl']);
    expect(Object.keys(unzip(site, 'definitions.ttl.zip')).sort()).toEqual(['StructureDefinition-example-ext.ttl', 'StructureDefinition-example-patient.ttl']);
  });

  it("csvs.zip holds each profile's CSV in the IG Publisher's columns", () => {
    const csv = strFromU8(unzip(site, 'csvs.zip')['StructureDefinition-example-patient.csv']!);
    const [head, root, name] = csv.split('\r\n');
    expect(head).toMatch(/^"Path","Slice Name","Alias\(s\)","Label","Min","Max","Must Support\?"/);
    expect(head).toMatch(/"Condition\(s\)","Constraint\(s\)","Mapping: RIM Mapping"$/);
    expect(root).toContain('"A ""patient"""');
    expect(name).toMatch(/^"Patient\.name","","","",1,\*,"Y"/);
    expect(profileCsv({ resourceType: 'StructureDefinition', id: 'x' })).toBeUndefined();
  });

  it('the downloads page links them all', () => {
    const page = main(site, 'downloads.html');
    for (const f of ['full-ig.zip', 'definitions.ttl.zip', 'examples.ttl.zip', 'csvs.zip']) expect(page).toContain(`href="${f}"`);
    expect(site.findings).toEqual([]);
  });

  it('without the core package there is no Turtle, and no link to it', () => {
    const bare = renderSite({
      config: config(),
      resources: [compiled(PATIENT, 'example')],
      pageSources: new Map(),
      themeDir: DEFAULT_THEME_DIR,
      builtInTheme: true
    });
    expect(bare.files.has('Patient-pat.ttl')).toBe(false);
    expect(main(bare, 'downloads.html')).not.toContain('ttl.zip');
    expect(bare.findings).toEqual([]);
  });
});

describe("the IG Publisher's sub-pages", () => {
  it("a profile's examples and mappings pages; none of examples for an extension", () => {
    expect(main(site, 'StructureDefinition-example-patient-examples.html')).toContain('href="Patient-pat.html"');
    const mappings = main(site, 'StructureDefinition-example-patient-mappings.html');
    expect(mappings).toContain('<h2 id="mapping-rim">RIM Mapping</h2>');
    expect(mappings).toContain('Patient[classCode&#61;PAT]<br />and more');
    expect(site.files.has('StructureDefinition-example-ext-examples.html')).toBe(false);
    expect(site.files.has('StructureDefinition-example-ext-mappings.html')).toBe(true);
  });

  it('source pages by the IG Publisher names: {Type}-{id}.{fmt}.html, and .profile.{fmt}.html for StructureDefinitions', () => {
    for (const f of ['json', 'xml', 'ttl']) {
      expect(site.files.has(`Patient-pat.${f}.html`), f).toBe(true);
      expect(site.files.has(`StructureDefinition-example-patient.profile.${f}.html`), f).toBe(true);
    }
    expect(main(site, 'Patient-pat.ttl.html')).toContain('fhir:nodeRole fhir:treeRoot');
    expect(site.files.has('Requirements-req.ttl.html')).toBe(false);
    expect(site.files.has('Requirements-req.json.html')).toBe(true);
  });

  it("artifacts.html has the template's group anchors (no groups), and the guide's own (groups)", () => {
    const page = main(site, 'artifacts.html');
    for (const id of ['structures-resource-profiles', 'structures-extension-definitions', 'example-example-instances', 'requirements-formal-requirements'])
      expect(page).toContain(`<h2 id="${id}">`);
    const grouped = render({
      ig: {
        ...IG,
        definition: {
          grouping: [{ id: 'patients', name: 'Patient things' }],
          resource: [
            ...(IG.definition as { resource: unknown[] }).resource,
            { reference: { reference: 'StructureDefinition/example-patient' }, groupingId: 'patients' }
          ]
        }
      }
    });
    const own = main(grouped, 'artifacts.html');
    expect(own).toContain('<h2 id="patient-things">Patient things</h2>');
    expect(own).toContain('<a id="patients"></a>');
    expect(own).toContain('<h2 id="other">Other</h2>');
  });

  it('headings get the ids Jekyll (kramdown, GFM input) gives them', () => {
    const html = renderPageMarkdown('### System Identifier → `Device.identifier`\n\n##### 2:3.YY3.4.2.2  Message Semantics\n\n## Same\n\n## Same\n').html;
    expect(html).toContain('id="system-identifier--deviceidentifier"');
    expect(html).toContain('id="23yy3422--message-semantics"');
    expect(html).toContain('id="same-1"');
  });

  it('{% fragment %} shows (part of) a resource; {% lang-fragment %} includes a generated fragment', () => {
    const s = render({
      pages: {
        'index.md':
          '# Home\n\n{% fragment Patient/pat JSON EXCEPT:name %}\n\n[spec]({{site.data.fhir.path}}validation.html)\n\n{% lang-fragment ip-statements.xhtml %}\n'
      }
    });
    const page = main(s, 'index.html');
    expect(page).toContain('class="vm-fragment"');
    expect(page).toContain('...');
    expect(page).not.toContain('Doe');
    expect(page).toContain('href="http://hl7.org/fhir/R4/validation.html"');
    expect(s.diagnostics.filter(d => d.rule === 'site-liquid')).toEqual([]);
  });
});

describe('example pages and the default theme (#28)', () => {
  it("an example in a Bundle example lists the Bundle under its usages; its heading is the instance's Title", () => {
    const page = main(site, 'Patient-pat.html');
    expect(page).toMatch(/<h2 id="usages">Usages<\/h2>[\s\S]*href="Bundle-search.html"/);
    expect(page).toContain('<h1>Example Patient: Jane, the example patient</h1>');
  });

  it('the index page no pages: entry lists is Home, not "Index"', () => {
    expect(text(site, 'index.html')).toContain('<h1>Home</h1>');
  });

  it('every page carries the release banner: a CI build unless releaseLabel names a release', () => {
    expect(text(site, 'index.html')).toContain('continuous integration build (version 0.1.0, status draft)');
    expect(text(site, 'Patient-pat.html')).toContain('class="ig-banner"');
    const released = releaseBanner(config('releaseLabel: STU 1\ndate: 2024-05-01\n'));
    expect(released).toEqual({ text: 'Example guide: STU 1 release (version 0.1.0, status draft, 2024-05-01).', release: true });
    expect(releaseBanner(config('releaseLabel: ci-build\n')).release).toBe(false);
  });
});
