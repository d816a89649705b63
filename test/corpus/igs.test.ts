/**
 * Published FSH guides (../shared/corpus/igs: eight HL7, IHE and national guides with no package
 * dependencies, each with SUSHI 3.21.0's output fingerprint), built as a new user would: unpacked
 * into a temp folder, nothing moved, `vm-ig build` with the installed CLI (bin/vm-ig.js and its
 * bundle), an empty HOME and no network. For each guide:
 * - exit 0 and no error, or only true FHIR errors the HL7 Java validator also reports, each listed
 *   below with the rule and the Java validator's message id;
 * - fsh-generated/resources byte-identical to SUSHI's (the .sushi.sha list);
 * - a page for every page of the IG's page tree and for every predefined resource;
 * - no Liquid or kramdown shown as text, no HTML tags escaped into text, every internal link,
 *   anchor and image resolving (the site checker the build runs, and an independent scan here).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../scripts/stages/render/qa/site-check.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { readIgIni } from '../../scripts/project/ig-ini.ts';
import { requireCorpus } from '../helpers/corpus.ts';
import { REPO_ROOT, tempDir } from '../helpers/project.ts';
import { leftovers, listFiles } from '../guides/helpers.ts';

const CORPUS = join(requireCorpus(REPO_ROOT), 'igs');
const guides = readdirSync(CORPUS)
  .filter(f => f.endsWith('.tgz'))
  .map(f => f.replace(/\.tgz$/, ''))
  .sort();

/**
 * Errors that are true FHIR errors in the published guide, which the HL7 Java validator reports
 * too: guide -> [file, rule, message fragment, Java validator message id, times (1 unless given)].
 * Nothing else may fail.
 */
const TRUE_ERRORS: Record<string, ([string, string, string, string] | [string, string, string, string, number])[]> = {
  // `* ^differential.element[19].short = ""` leaves an empty string: "@value cannot be empty".
  correction: [
    [
      'fsh-generated/resources/StructureDefinition-patient-correction-task.json',
      'primitive-format',
      'must not be an empty string',
      'Type_Specific_Checks_DT_Primitive_NotEmpty'
    ]
  ],
  // The example names .../bd-division, but the extension's id (and so its url) is bd-divisions.
  bdcore: [
    ['fsh-generated/resources/Organization-BDOrganizationExample.json', 'extension-unknown', 'bd-division could not be found', 'Extension_EXT_Unknown_NotHere']
  ],
  // The CodeSystem claims shareablecodesystem, which requires version (1..1), and has none.
  phd: [
    ['fsh-generated/resources/CodeSystem-ASN1ToHL7.json', 'cardinality-min', 'CodeSystem.version: minimum required = 1', 'Validation_VAL_Profile_Minimum'],
    // Observations with a vital-sign LOINC code are checked against R4's vitalsigns profile (Java:
    // VALIDATION_VAL_PROFILE_SIGNPOST_OBS), which binds component.value[x] (every type) to the UCUM
    // vital-sign units, required; these components' valueCodeableConcept holds an 11073 code.
    ...(
      [
        ['input/examples/bundle-example-1.json', 2],
        ['input/examples/numeric-spo2-alarm.json', 1],
        ['input/examples/numeric-spotnumeric.json', 1]
      ] as const
    ).map(([file, times]): [string, string, string, string, number] => [
      file,
      'binding-required',
      '11073:10101#150588) is not in the value set http://hl7.org/fhir/ValueSet/ucum-vitals-common',
      'Terminology_TX_NoValid_1_CC',
      times
    ])
  ],
  // Hand-written terminology that claims shareablecodesystem / shareablevalueset (version and
  // publisher 1..1 there) and has neither.
  pocd: [
    ...['kindrelation', 'measurement-status', 'metric-availability', 'operating-mode', 'reference-range-type', 'safety'].map(id => `CodeSystem-${id}`),
    ...[
      '11073MDC-dimension',
      '11073MDC-metric',
      '11073MDC-object',
      'kindofrelation',
      'metric-availability',
      'observation-interpretation',
      'operating-mode',
      'reference-range-type',
      'safety-classification'
    ].map(id => `ValueSet-${id}`)
  ].flatMap(name =>
    ['version', 'publisher'].map((element): [string, string, string, string] => [
      `input/vocabulary/${name}.xml`,
      'cardinality-min',
      `${name.split('-')[0]}.${element}: minimum required = 1`,
      'Validation_VAL_Profile_Minimum'
    ])
  )
};

/**
 * Links the guide's own sources get wrong, which the IG Publisher's QA page lists as broken too:
 * guide -> [page, href]. A finding of the toolchain's own making may never be listed here.
 */
const AUTHOR_BROKEN_LINKS: Record<string, [string, string][]> = {
  // The profile's id is bd-medication-request; there is no icd11 page.
  bdcore: [
    ['spec.html', 'StructureDefinition-bd-medicationrequest.html'],
    ['spec.html', 'icd11.html']
  ]
};

interface Built {
  dir: string;
  run: CliRun;
}

const built = new Map<string, Built>();

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The IG's page tree: nameUrls of the compiled IG, or of the hand-written one ig.ini names. */
function igPageNames(dir: string): string[] {
  const resources = join(dir, 'fsh-generated', 'resources');
  const file = existsSync(resources) ? readdirSync(resources).find(f => f.startsWith('ImplementationGuide-')) : undefined;
  const names: string[] = [];
  const walk = (page: { nameUrl?: string; page?: unknown[] } | undefined) => {
    if (!page) return;
    if (page.nameUrl) names.push(page.nameUrl);
    for (const p of page.page ?? []) walk(p as typeof page);
  };
  if (file) {
    const ig = JSON.parse(readFileSync(join(resources, file), 'utf8')) as { definition?: { page?: { nameUrl?: string; page?: unknown[] } } };
    walk(ig.definition?.page);
    return names;
  }
  const igPath = readIgIni(dir).ig;
  if (igPath && existsSync(join(dir, igPath)) && igPath.endsWith('.xml')) {
    for (const m of readFileSync(join(dir, igPath), 'utf8').matchAll(/<nameUrl value="([^"]+)"/g)) names.push(m[1]!);
  }
  return names;
}

/** Sources of pages in the IG Publisher's page folders, by the name they publish as. */
function pageSources(dir: string): Set<string> {
  const out = new Set<string>();
  for (const folder of ['input/pagecontent', 'input/pages', 'input/resource-docs']) {
    const d = join(dir, folder);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (/\.(md|xml|html)$/.test(f)) out.add(f.replace(/\.(md|xml|html)$/, '.html'));
  }
  return out;
}

/** `{Type}-{id}.html` of every predefined JSON or XML resource in the IG Publisher's resource folders. */
function predefinedPages(dir: string): string[] {
  const folders = ['resources', 'examples', 'profiles', 'extensions', 'vocabulary', 'capabilities', 'models', 'operations'];
  const out: string[] = [];
  for (const folder of folders) {
    const d = join(dir, 'input', folder);
    if (!existsSync(d)) continue;
    for (const f of listFiles(d)) {
      const text = readFileSync(join(d, f), 'utf8');
      let type: string | undefined;
      let id: string | undefined;
      if (f.endsWith('.json')) {
        try {
          const r = JSON.parse(text) as { resourceType?: string; id?: string };
          type = r.resourceType;
          id = r.id;
        } catch {
          continue;
        }
      } else if (f.endsWith('.xml')) {
        type = /<([A-Za-z]+)[^>]*xmlns="http:\/\/hl7\.org\/fhir"/.exec(text)?.[1];
        id = /<id value="([^"]+)"/.exec(text)?.[1];
      }
      if (type && id && type !== 'ImplementationGuide') out.push(`${type}-${id}.html`);
    }
  }
  return out;
}

describe('published FSH guides, built with the installed CLI', () => {
  it('are all here', () => expect(guides.length).toBeGreaterThanOrEqual(8));

  beforeAll(async () => {
    for (const name of guides) {
      const dir = tempDir(`vm-ig-corpus-${name}-`);
      execFileSync('tar', ['-xzf', join(CORPUS, `${name}.tgz`), '-C', dir]);
      built.set(name, { dir, run: await runCli(dir, ['build']) });
    }
  }, 1_500_000);

  describe.each(guides)('%s', name => {
    const get = () => built.get(name)!;

    it('builds with exit 0, or only the true errors listed, each once', () => {
      const { run } = get();
      expect(run.report, `${run.stdout}\n${run.stderr}`).toBeDefined();
      expect(run.report!.ran).toEqual(['compile', 'narrative', 'diff', 'validate', 'package', 'site']);
      const errors = run.report!.diagnostics.filter(d => d.severity === 'error');
      const expected = TRUE_ERRORS[name] ?? [];
      const unexplained = errors.filter(
        e => !expected.some(([file, rule, fragment]) => e.location?.file === file && e.rule === rule && e.message.includes(fragment))
      );
      expect(unexplained.map(e => `${e.location?.file}: ${e.rule}: ${e.message}`)).toEqual([]);
      for (const [file, rule, fragment, javaId, times] of expected) {
        expect(
          errors.filter(e => e.location?.file === file && e.rule === rule && e.message.includes(fragment)),
          `${javaId}: ${fragment}`
        ).toHaveLength(times ?? 1);
      }
      expect(run.status).toBe(expected.length > 0 ? 1 : 0);
    });

    it("compiles fsh-generated/resources byte-identical to SUSHI's", () => {
      const { dir } = get();
      const resources = join(dir, 'fsh-generated', 'resources');
      const ours = readdirSync(resources)
        .sort()
        .map(f => `${sha256(join(resources, f))}  ./${f}`);
      const theirs = readFileSync(join(CORPUS, `${name}.sushi.sha`), 'utf8')
        .trim()
        .split('\n');
      expect(ours.sort()).toEqual(theirs.sort());
    });

    it('has a page for every page of the IG and every predefined resource', () => {
      const { dir } = get();
      const site = join(dir, 'build', 'site');
      const sources = pageSources(dir);
      // Pages the IG Publisher generates itself (toc.html, artifacts.html, ...) are ours to make too.
      for (const page of igPageNames(dir)) {
        if (sources.has(page) || ['toc.html', 'artifacts.html', 'index.html'].includes(page)) expect(existsSync(join(site, page)), page).toBe(true);
      }
      for (const page of predefinedPages(dir)) expect(existsSync(join(site, page)), page).toBe(true);
    });

    it('shows no template syntax or escaped markup, and every internal link, anchor and image resolves', () => {
      const { dir, run } = get();
      const site = join(dir, 'build', 'site');
      const files = listFiles(site);
      const pages = new Map(files.filter(f => f.endsWith('.html')).map(f => [f, readFileSync(join(site, f), 'utf8')]));
      for (const [page, text] of pages) expect(leftovers(text), page).toEqual([]);
      const allowed = new Set((AUTHOR_BROKEN_LINKS[name] ?? []).map(([page, href]) => `${page} ${href}`));
      const findings = checkSite(pages, new Set(files.filter(f => !f.endsWith('.html'))))
        .filter(f => !allowed.has(`${f.page} ${f.target ?? ''}`))
        .map(f => `${f.page}:${f.line ?? ''} ${f.kind} ${f.detail}`);
      expect(findings).toEqual([]);
      // The build reported what the checker finds, as the QA page does.
      const siteWarnings = run.report!.diagnostics.filter(d => /^site-(broken|missing|literal|escaped)/.test(d.rule));
      expect(siteWarnings.length).toBeLessThanOrEqual(allowed.size);
      expect(statSync(join(site, 'qa.html')).size).toBeGreaterThan(0);
      expect(relative(site, site)).toBe('');
    });
  });
});
