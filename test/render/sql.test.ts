/**
 * The IG Publisher's `{% sql %}` tag: the guide's tables, the JSON control with each column type,
 * the plain form, failures shown in place and warned at the tag, and the bounds on hostile queries
 * (a recursive query that never ends, ATTACH, too many rows, unsafe links and markup).
 */
import { describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { parseProjectConfig } from '../../scripts/project/config.ts';
import { siteRenderer, type SiteOutput } from '../../scripts/stages/render/site.ts';
import { DEFAULT_THEME_DIR } from '../../scripts/stages/render/theme.ts';
import { buildArtifactIndex } from '../../scripts/stages/render/model.ts';
import { guideTables } from '../../scripts/stages/render/sql/tables.ts';
import { parseSqlControl, queryProblem } from '../../scripts/stages/render/sql/control.ts';
import { runQueries, SQL_LIMITS } from '../../scripts/stages/render/sql/run.ts';
import { runSqlTags, sqlTagsChanged } from '../../scripts/stages/render/sql/tags.ts';
import { safeHref } from '../../scripts/stages/render/sql/table.ts';

const CONFIG = 'id: vm.sql.guide\ncanonical: http://example.org/vm\nname: VmSqlGuide\ntitle: SQL guide\nstatus: draft\nversion: 0.2.0\nfhirVersion: 4.0.1\n';
const config = parseProjectConfig(CONFIG, 'sushi-config.yaml').config!;
const CS = 'http://example.org/vm/CodeSystem/visa-category';

const RESOURCES: FhirResource[] = [
  {
    resourceType: 'StructureDefinition',
    id: 'vm-patient',
    url: 'http://example.org/vm/StructureDefinition/vm-patient',
    name: 'VmPatient',
    title: 'VM Patient',
    status: 'active',
    description: 'A patient **visiting** the UK.',
    extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status', valueCode: 'trial-use' }],
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: { element: [{ id: 'Patient', path: 'Patient' }] }
  },
  {
    resourceType: 'StructureDefinition',
    id: 'visa-type',
    url: 'http://example.org/vm/StructureDefinition/visa-type',
    name: 'VisaType',
    title: 'Visa type',
    status: 'draft',
    description: 'See [the guide](javascript:alert(1)) <script>alert(2)</script> and <b onclick="alert(3)">this</b>.',
    kind: 'complex-type',
    abstract: false,
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    context: [{ type: 'element', expression: 'Patient' }],
    differential: { element: [{ id: 'Extension', path: 'Extension' }] }
  },
  {
    resourceType: 'CodeSystem',
    id: 'visa-category',
    url: CS,
    identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:oid:2.999.1.2.3' }],
    version: '0.2.0',
    name: 'VisaCategory',
    title: 'Visa category',
    status: 'active',
    content: 'complete',
    property: [{ code: 'status', uri: 'http://hl7.org/fhir/concept-properties#status', type: 'code', description: 'Whether the category is used.' }],
    concept: [
      {
        code: 'work',
        display: 'Work visa',
        definition: 'For employment.',
        property: [{ code: 'status', valueCode: 'active' }],
        designation: [{ language: 'cy', use: { system: 'http://snomed.info/sct', code: '900000000000013009' }, value: 'Fisa gwaith' }],
        concept: [{ code: 'skilled', display: 'Skilled worker', definition: 'A skilled worker visa.' }]
      },
      { code: 'study', display: 'Study visa', definition: 'For study.', property: [{ code: 'status', valueCode: 'retired' }] }
    ]
  },
  {
    resourceType: 'ValueSet',
    id: 'visa-categories',
    url: 'http://example.org/vm/ValueSet/visa-categories',
    version: '0.2.0',
    name: 'VisaCategories',
    title: 'Visa categories',
    status: 'active',
    compose: { include: [{ system: CS }] }
  },
  {
    resourceType: 'ConceptMap',
    id: 'visa-to-legacy',
    url: 'http://example.org/vm/ConceptMap/visa-to-legacy',
    name: 'VisaToLegacy',
    status: 'draft',
    group: [{ source: CS, target: 'http://example.org/vm/CodeSystem/legacy', element: [{ code: 'work', target: [{ code: 'W', equivalence: 'equivalent' }] }] }]
  }
];
const COMPILED: CompiledResource[] = RESOURCES.map(resource => ({ fileName: `${resource.resourceType}-${resource.id}.json`, resource }));

async function render(page: string): Promise<SiteOutput> {
  return siteRenderer({
    config,
    resources: COMPILED,
    pageSources: new Map([['index.md', page]]),
    themeDir: DEFAULT_THEME_DIR,
    builtInTheme: true
  }).renderLate(async () => ({}));
}
const main = (site: SiteOutput, path = 'index.html') => /<main[\s\S]*<\/main>/.exec(String(site.files.get(path)))![0];
const sqlWarnings = (site: SiteOutput) => site.diagnostics.filter(d => d.rule === 'site-sql');

describe("the guide's tables", () => {
  const tables = new Map(guideTables(buildArtifactIndex(COMPILED), config).map(t => [t.name, t]));
  const rows = (name: string) => tables.get(name)!.rows.map(r => Object.fromEntries(tables.get(name)!.columns.map((c, i) => [c, r[i]])));

  it("has the IG Publisher's tables and columns", () => {
    expect([...tables.keys()]).toEqual(
      expect.arrayContaining([
        'Metadata',
        'Resources',
        'Properties',
        'Concepts',
        'ConceptProperties',
        'Designations',
        'ConceptMappings',
        'ValueSet_Codes',
        'CodeSystemList',
        'ValueSetList'
      ])
    );
    expect(tables.get('Resources')!.columns).toEqual([
      'Key',
      'Type',
      'Custom',
      'Id',
      'Web',
      'Url',
      'Version',
      'Status',
      'Date',
      'Name',
      'Title',
      'Experimental',
      'Realm',
      'Description',
      'Purpose',
      'Copyright',
      'CopyrightLabel',
      'derivation',
      'standardStatus',
      'kind',
      'sdType',
      'base',
      'content',
      'supplements',
      'Json'
    ]);
  });

  it('fills them from the resources: pages, concepts with their parents, properties, designations, expansions, mappings', () => {
    const patient = rows('Resources').find(r => r.Id === 'vm-patient')!;
    expect(patient).toMatchObject({
      Type: 'StructureDefinition',
      Web: 'StructureDefinition-vm-patient.html',
      kind: 'resource',
      sdType: 'Patient',
      standardStatus: 'trial-use'
    });
    expect(JSON.parse(String(patient.Json))).toEqual(RESOURCES[0]);
    const concepts = rows('Concepts');
    const work = concepts.find(c => c.Code === 'work')!;
    expect(concepts.find(c => c.Code === 'skilled')).toMatchObject({ ParentKey: work.Key, Display: 'Skilled worker' });
    expect(rows('ConceptProperties')).toContainEqual(expect.objectContaining({ ConceptKey: work.Key, Code: 'status', Value: 'active', PropertyKey: 1 }));
    expect(rows('Designations')).toContainEqual(
      expect.objectContaining({ ConceptKey: work.Key, Lang: 'cy', Value: 'Fisa gwaith', UseCode: '900000000000013009' })
    );
    expect(rows('ValueSet_Codes').map(r => r.Code)).toEqual(expect.arrayContaining(['work', 'skilled', 'study']));
    expect(rows('ConceptMappings')).toEqual([expect.objectContaining({ SourceCode: 'work', TargetCode: 'W', Relationship: 'equivalent' })]);
    expect(rows('CodeSystemListOIDs')).toEqual([expect.objectContaining({ OID: '2.999.1.2.3' })]);
    expect(rows('CodeSystemListRefs').map(r => r.Id)).toEqual(expect.arrayContaining(['visa-categories', 'visa-to-legacy']));
    expect(rows('Metadata')).toContainEqual(expect.objectContaining({ Name: 'canonical', Value: 'http://example.org/vm' }));
  });
});

describe('{% sql %} on a page', () => {
  it('renders the JSON form with each column type', async () => {
    const tag = JSON.stringify({
      query: "SELECT Name, Web, Description, Url, Type, Key, 'javascript:alert(4)' AS Bad FROM Resources WHERE Type = 'StructureDefinition' ORDER BY Name",
      class: 'grid',
      columns: [
        { title: 'Name', type: 'link', source: 'Name', target: 'Web' },
        { title: 'Description', type: 'markdown', source: 'Description' },
        { title: 'Canonical', type: 'canonical', source: 'Url' },
        { title: 'Address', type: 'url', source: 'Url' },
        { title: 'Type', type: 'text', source: 'Type' },
        { title: 'Auto', source: 'Url' },
        { title: 'Resource', type: 'resource', source: 'Key' },
        { title: 'Unsafe', type: 'link', source: 'Name', target: 'Bad' }
      ]
    });
    const coding = JSON.stringify({
      query: 'SELECT c.Code, c.Display, r.Url AS System FROM Concepts c JOIN Resources r ON r.Key = c.ResourceKey ORDER BY c.Key',
      titles: false,
      columns: [{ title: 'Code', type: 'coding', source: 'Code', system: 'System', display: 'Display' }]
    });
    const site = await render(`# Artifacts\n\n{% sql ${tag} %}\n\nCodes:\n\n{% sql ${coding} %}\n`);
    const page = main(site);
    expect(page).toContain('<table class="grid"><thead><tr><th scope="col">Name</th><th scope="col">Description</th>');
    // link: the name to the page; canonical and auto: a guide canonical is its page, titled; url: the address itself.
    expect(page).toContain('<td><a href="StructureDefinition-vm-patient.html">VmPatient</a></td>');
    expect(page).toContain('<td>A patient <strong>visiting</strong> the UK.</td>');
    expect(page.match(/<td><a href="StructureDefinition-vm-patient.html">VM Patient<\/a><\/td>/g)).toHaveLength(3);
    expect(page).toContain('<td><a href="http://example.org/vm/StructureDefinition/vm-patient">http://example.org/vm/StructureDefinition/vm-patient</a></td>');
    expect(page).toContain('<td>StructureDefinition</td>');
    // A target that is not http(s) or relative is not a link; markdown is sanitised like the page.
    expect(page).toContain('<td>VisaType</td>');
    expect(page).not.toMatch(/href="javascript:|<script|onclick/i);
    // coding: display, then the system (the guide's code system, linked) and code.
    expect(page).toContain('Work visa (<a href="CodeSystem-visa-category.html">Visa category</a>#<code>work</code>)');
    expect(page).not.toContain('<th scope="col">Code</th>');
    expect(sqlWarnings(site)).toEqual([]);
    expect(site.findings.filter(f => f.kind === 'literal-liquid' || f.kind === 'broken-link')).toEqual([]);
  });

  it('renders the plain form, and a single value in place', async () => {
    const site = await render(
      'Top-level codes:\n\n{% sql SELECT Code, Display FROM Concepts WHERE ParentKey IS NULL ORDER BY Code %}\n\nThe guide has {% sql SELECT count(*) FROM Resources %} resources.\n'
    );
    const page = main(site);
    expect(page).toContain(
      '<table class="grid"><thead><tr><th scope="col">Code</th><th scope="col">Display</th></tr></thead><tbody><tr><td>study</td><td>Study visa</td></tr><tr><td>work</td><td>Work visa</td></tr></tbody></table>'
    );
    expect(page).not.toMatch(/<p>\s*<table/);
    expect(page).toContain('The guide has 5 resources.');
    expect(sqlWarnings(site)).toEqual([]);
  });

  it('shows a failed query as the IG Publisher does, and warns at the tag', async () => {
    const site = await render(
      'Intro\n\n{% sql SELECT Nope FROM Resources %}\n\n{% sql {"query": "SELECT Name FROM Resources", "columns": [{"source": "Missing"}]} %}\n'
    );
    const page = main(site);
    expect(page).toContain('<span class="vm-sql-error" style="color: maroon">Error processing SQL: no such column: Nope</span>');
    expect(page).toContain('Error processing SQL: the query&#39;s result has no column &#39;Missing&#39;');
    expect(sqlWarnings(site)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('no such column: Nope'),
        location: { file: 'input/pagecontent/index.md', line: 3 }
      }),
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining("no column 'Missing'"),
        location: { file: 'input/pagecontent/index.md', line: 5 }
      })
    ]);
  });

  it('refuses ATTACH, and anything but one SELECT', async () => {
    const site = await render(
      "{% sql ATTACH DATABASE '/tmp/vm-sql-test.db' AS other %}\n\n{% sql SELECT 1; DELETE FROM Resources %}\n\n{% sql SELECT 'ATTACH' AS word %}\n"
    );
    const page = main(site);
    expect(page).toContain('Error processing SQL: ATTACH and DETACH are not allowed');
    expect(page).toContain('Error processing SQL: the query has more than one statement');
    expect(page).toMatch(/\nATTACH\n/);
    expect(sqlWarnings(site)).toHaveLength(2);
  });

  it('builds no database for a guide without sql tags', async () => {
    const started = performance.now();
    expect(
      await runSqlTags({ config, resources: COMPILED, pageSources: new Map([['index.md', 'No {% if true %}sql{% endif %} here; SQL is just a word.']]) })
    ).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('{% sql %} in the dev loop', () => {
  it('keeps the answers for a page re-rendered with the same tags, and asks for a full render on a new one', async () => {
    const page = 'Codes: {% sql SELECT group_concat(Code) FROM Concepts %}';
    const renderer = siteRenderer({ config, resources: COMPILED, pageSources: new Map([['index.md', page]]), themeDir: DEFAULT_THEME_DIR, builtInTheme: true });
    expect(main(await renderer.renderLate(async () => ({})))).toContain('Codes: work,skilled,study');
    const edited = new Map([['index.md', `# Edited\n\n${page}`]]);
    expect(sqlTagsChanged(edited.values())).toBe(false);
    const again = renderer.rerender(edited, ['index.md']);
    expect(String(again.files.get('index.html'))).toContain('Codes: work,skilled,study');
    expect(again.diagnostics.filter(d => d.rule === 'site-sql')).toEqual([]);
    expect(sqlTagsChanged([`${page}\n{% sql SELECT 1 %}`])).toBe(true);
  });
});

describe('the bounds on a query', () => {
  const tables = guideTables(buildArtifactIndex(COMPILED), config);
  const FOREVER = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n';

  it('stops a query that never ends, and the queries after it still run', async () => {
    const started = performance.now();
    const [forever, next] = await runQueries(tables, [FOREVER, 'SELECT count(*) AS n FROM Concepts'], { ...SQL_LIMITS, queryMs: 1_000 });
    expect(forever).toEqual(expect.objectContaining({ ok: false, stopped: true, error: expect.stringContaining('longer than 1 s') }));
    expect(next).toEqual({ ok: true, columns: ['n'], rows: [['3']], truncated: false });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('shares a total time among the queries of a build', async () => {
    const answers = await runQueries(tables, [FOREVER, FOREVER, 'SELECT 1'], { ...SQL_LIMITS, queryMs: 1_000, totalMs: 1_500 });
    expect(answers[0]).toMatchObject({ ok: false, stopped: true });
    expect(answers[1]).toMatchObject({ ok: false, error: expect.stringMatching(/used up/) });
    expect(answers[2]).toMatchObject({ ok: false, error: expect.stringMatching(/used up/) });
  });

  it('cuts an answer at the row and size limits', async () => {
    const endless = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n';
    const [rows, chars] = await runQueries(tables, [endless, 'SELECT Json || Json FROM Resources'], { ...SQL_LIMITS, maxRows: 25, maxChars: 3_000 });
    expect(rows).toMatchObject({ ok: true, truncated: true });
    expect(rows!.ok && rows!.rows.length).toBe(25);
    expect(chars).toMatchObject({ ok: true, truncated: true });
    expect(chars!.ok && chars!.rows.flat().join('').length).toBeLessThanOrEqual(3_000);
  });

  it("caps SQLite's memory: a query that would grow past it fails at once", async () => {
    const huge = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000) SELECT length(group_concat(printf('%.1000c', 'x'))) FROM n";
    const sorted = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x, zeroblob(100000) FROM n ORDER BY x DESC';
    const [concat, sort, after] = await runQueries(tables, [huge, sorted, 'SELECT 1 AS one'], { ...SQL_LIMITS, heapMb: 16 });
    expect(concat).toEqual({ ok: false, error: 'out of memory' });
    expect(sort).toEqual({ ok: false, error: 'out of memory' });
    expect(after).toMatchObject({ ok: true, rows: [['1']] });
  });

  it('warns at the tag when an answer was cut', async () => {
    const results = await runSqlTags(
      {
        config,
        resources: COMPILED,
        pageSources: new Map([['a.md', '{% sql WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n %}']])
      },
      { ...SQL_LIMITS, maxRows: 10 }
    );
    const [result] = [...results!.values()];
    expect(result!.warning).toMatch(/cut at 10 rows/);
    expect(result!.html.match(/<tr>/g)).toHaveLength(11);
  });
});

describe('what a tag may ask', () => {
  it('reads the JSON control with its defaults', () => {
    expect(parseSqlControl('{ "query": "SELECT Name FROM Resources", "columns": [{ "title": "Name" }] }')).toEqual({
      ok: true,
      control: { query: 'SELECT Name FROM Resources', className: 'grid', titles: true, columns: [{ type: 'auto', title: 'Name', source: 'Name' }] }
    });
    expect(parseSqlControl('{ "query": "SELECT 1", "columns": [{ "source": "x", "type": "pie" }] }')).toEqual({
      ok: false,
      error: expect.stringContaining("unknown column type 'pie'")
    });
    expect(parseSqlControl('{ "query": ')).toEqual({ ok: false, error: expect.stringContaining("the tag's JSON cannot be read") });
  });

  it('allows one SELECT, WITH or VALUES statement, words in strings and comments aside', () => {
    expect(queryProblem('SELECT 1;')).toBeUndefined();
    expect(queryProblem('with x as (select 1) select * from x')).toBeUndefined();
    expect(queryProblem('SELECT \'a;b; ATTACH\' AS "attach" -- ATTACH\n')).toBeUndefined();
    expect(queryProblem("attach ':memory:' as m")).toMatch(/ATTACH and DETACH are not allowed/);
    expect(queryProblem("SELECT 1 /* x */; ATTACH 'x' AS y")).toMatch(/more than one statement/);
    expect(queryProblem('PRAGMA query_only = 0')).toMatch(/only SELECT/);
    expect(queryProblem("SELECT 'open")).toMatch(/unterminated/);
  });

  it('links only to http(s) and relative targets', () => {
    expect(['page.html', 'StructureDefinition-x.html#a', 'https://example.org/a?b=c', 'HTTP://example.org'].every(safeHref)).toBe(true);
    expect(['javascript:alert(1)', ' java\tscript:alert(1)', 'data:text/html,x', '//evil.example/x', 'vbscript:x', ''].some(safeHref)).toBe(false);
  });
});
