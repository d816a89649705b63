/**
 * The fragments the IG Publisher generates into its `_includes` folder for pages to place with
 * `{% include name.xhtml %}`, made here from the guide itself:
 *
 * - `ip-statements.xhtml`: the copyright statements of the external code systems the guide uses;
 * - `dependency-table.xhtml` (and `-short`, `-nontech`): the packages the guide depends on;
 * - `globals-table.xhtml`: the guide's global profiles;
 * - `cross-version-analysis.xhtml` (and `-inline`): which FHIR versions the guide can be used with;
 * - `list-{types}.xhtml`, `list-simple-{types}.xhtml`, `table-{types}.xhtml`: the guide's artifacts
 *   of one resource type (`structuredefinitions`, `valuesets`...; also `profiles`, `extensions`,
 *   `logicals` and `examples`), as list items or table rows;
 * - `{Type}-{id}-{part}.xhtml`: a part of an artifact's page (a profile's `snapshot`, `diff` or
 *   `key` element table; otherwise a link to the artifact's page).
 */
import { isJsonObject } from '../../../fhir/json.ts';
import type { FhirResource } from '../../../model/resources.ts';
import { html, joinHtml, type SafeHtml } from '../html.ts';
import type { IncludeTarget } from '../liquid.ts';
import type { Artifact } from '../model.ts';
import { artifactLink, fhirMarkdown, row, table, type SiteContext } from '../page.ts';
import { elementTable } from './element-table.ts';
import { elementsOf } from './element-model.ts';

type Fragment = (site: SiteContext) => IncludeTarget;

const htmlOf = (value: SafeHtml, block?: SafeHtml): IncludeTarget => ({ kind: 'html', html: value.value, block: block?.value });

/** The fragment a generated include name stands for, or undefined when the name is not one. */
export function generatedFragment(site: SiteContext, name: string): IncludeTarget | undefined {
  const fixed = FIXED[name.replace(/-[a-z]{2}\.xhtml$/, '.xhtml')];
  if (fixed) return fixed(site);
  const list = /^(list-simple|list|table)-([a-z-]+)\.xhtml$/.exec(name);
  const form = list?.[1];
  if (list && (form === 'list' || form === 'list-simple' || form === 'table')) return artifactList(site, form, list[2]!);
  if (!/^[A-Z][A-Za-z]+-.+-[a-z][a-z-]*\.xhtml$/.test(name)) return undefined;
  // `{Type}-{id}-{part}`: ids hold '-' too, so the artifact is the one with the longest matching base.
  let found: Artifact | undefined;
  for (const a of site.index.artifacts) if (name.startsWith(`${a.base}-`) && (!found || a.base.length > found.base.length)) found = a;
  return found ? artifactPart(site, found, name.slice(found.base.length + 1, -'.xhtml'.length)) : undefined;
}

const FIXED: Record<string, Fragment> = {
  'ip-statements.xhtml': site => htmlOf(ipStatements(site)),
  'dependency-table.xhtml': site => htmlOf(dependencyTable(site)),
  'dependency-table-short.xhtml': site => htmlOf(dependencyTable(site)),
  'dependency-table-nontech.xhtml': site => htmlOf(dependencyTable(site)),
  'globals-table.xhtml': site => htmlOf(globalsTable(site)),
  'cross-version-analysis.xhtml': site => htmlOf(crossVersion(site)),
  'cross-version-analysis-inline.xhtml': site => htmlOf(crossVersion(site))
};

/** Well-known external code systems and the statement the IG Publisher shows for each. */
const IP_STATEMENTS: Record<string, { name: string; statement: string }> = {
  'http://snomed.info/sct': {
    name: 'SNOMED Clinical Terms® (SNOMED CT®)',
    statement:
      'This material contains content that is copyright of SNOMED International. Implementers of these specifications must have the appropriate SNOMED CT Affiliate license - for more information contact https://www.snomed.org/get-snomed or info@snomed.org.'
  },
  'http://loinc.org': {
    name: 'LOINC',
    statement:
      'This material contains content from LOINC (http://loinc.org). LOINC is copyright © 1995+, Regenstrief Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is available at no cost under the license at http://loinc.org/license. LOINC® is a registered United States trademark of Regenstrief Institute, Inc.'
  },
  'http://unitsofmeasure.org': {
    name: 'Unified Code for Units of Measure (UCUM)',
    statement:
      'The UCUM codes, UCUM table (regardless of format), and UCUM Specification are copyright 1999-2009, Regenstrief Institute, Inc. and the Unified Codes for Units of Measures (UCUM) Organization. All rights reserved. https://ucum.org/trac/wiki/TermsOfUse'
  },
  'urn:iso:std:iso:3166': {
    name: 'ISO 3166-1 Codes for the representation of names of countries and their subdivisions — Part 1: Country code',
    statement:
      'ISO maintains the copyright on the country codes, and controls its use carefully. For further details see the ISO 3166 web page: https://www.iso.org/iso-3166-country-codes.html'
  },
  'http://hl7.org/fhir/sid/icd-10': {
    name: 'ICD-10',
    statement: 'The International Classification of Diseases (ICD) is copyright of the World Health Organization (WHO).'
  },
  'http://www.nlm.nih.gov/research/umls/rxnorm': {
    name: 'RxNorm',
    statement:
      'This material contains content from RxNorm, produced by the National Library of Medicine; its use is subject to the UMLS license terms: https://www.nlm.nih.gov/research/umls/rxnorm/docs/termofservice.html'
  }
};

/** Every code system URL a resource names (codings, value set rules, bindings are by value set). */
function systemsOf(resource: FhirResource): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isJsonObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'system' && typeof v === 'string') found.add(v.split('|')[0]!);
        else if (typeof v === 'object') visit(v);
      }
    }
  };
  visit(resource);
  return found;
}

function ipStatements(site: SiteContext): SafeHtml {
  const users = new Map<string, Artifact[]>();
  for (const a of site.index.artifacts) {
    for (const system of systemsOf(a.resource)) {
      if (!IP_STATEMENTS[system]) continue;
      users.set(system, [...(users.get(system) ?? []), a]);
    }
  }
  if (users.size === 0) {
    const hl7 = site.config.packageId.startsWith('hl7.');
    return html`<p>${hl7 ? 'No use of external IP' : 'No use of external IP (other than from the FHIR specification)'}</p>`;
  }
  const items = [...users].map(([system, list]) => {
    const ip = IP_STATEMENTS[system]!;
    const shown = list.slice(0, 10).map(artifactLink);
    const more = list.length > 10 ? html` and ${list.length - 10} more` : '';
    return html`<li>${ip.statement}<ul><li><b>${ip.name}</b> (<code>${system}</code>): ${joinHtml(shown, ', ')}${more}</li></ul></li>`;
  });
  return html`<p>This publication includes IP covered under the following statements.</p><ul>${items}</ul>`;
}

function fhirRelease(version: string): string {
  if (version.startsWith('4.0')) return 'R4';
  if (version.startsWith('4.3')) return 'R4B';
  if (version.startsWith('5.')) return 'R5';
  if (version.startsWith('6.')) return 'R6';
  if (version.startsWith('3.')) return 'STU3';
  return version;
}

function dependencyTable(site: SiteContext): SafeHtml {
  const c = site.config;
  const release = fhirRelease(c.fhirVersion);
  const core = { packageId: release === 'R4' ? 'hl7.fhir.r4.core' : `hl7.fhir.${release.toLowerCase()}.core`, version: c.fhirVersion };
  const rows = [
    row([html`<a href="index.html">${c.title}</a>`, html`<code>${c.packageId}#${c.version}</code>`, release, 'This guide']),
    row([`FHIR ${release} package: Core`, html`<code>${core.packageId}#${core.version}</code>`, release, 'The base specification']),
    ...c.dependencies.map(d => row([d.packageId, html`<code>${d.packageId}#${d.version}</code>`, release, 'Declared in sushi-config.yaml']))
  ];
  return table(['IG', 'Package', 'FHIR', 'Comment'], rows);
}

function globalsTable(site: SiteContext): SafeHtml {
  const raw = site.implementationGuide?.global ?? site.config.raw.global;
  const globals = (Array.isArray(raw) ? raw : []).filter(isJsonObject);
  if (!globals.length) return html`<p><i>There are no Global profiles defined</i></p>`;
  const rows = globals.map(g => {
    const profile = typeof g.profile === 'string' ? g.profile : '';
    const local = site.index.byUrl.get(profile);
    return row([String(g.type ?? ''), local ? artifactLink(local) : html`<code>${profile}</code>`]);
  });
  return table(['Type', 'Global Profile'], rows);
}

function crossVersion(site: SiteContext): SafeHtml {
  const release = fhirRelease(site.config.fhirVersion);
  if (release === 'R4') return html`<p>This is an R4 IG. None of the features it uses are changed in R4B, so it can be used as is with R4B systems.</p>`;
  if (release === 'R4B') return html`<p>This is an R4B IG. None of the features it uses are changed in R4, so it can be used as is with R4 systems.</p>`;
  return html`<p>This IG can only be used with FHIR ${release} systems.</p>`;
}

/** `structuredefinitions` -> StructureDefinition; `profiles`, `extensions`, `logicals`, `examples` by kind. */
function artifactsNamed(site: SiteContext, plural: string): Artifact[] | undefined {
  const kinds: Record<string, Artifact['kind']> = { profiles: 'profile', extensions: 'extension', logicals: 'logical', examples: 'example' };
  if (kinds[plural]) return site.index.artifacts.filter(a => a.kind === kinds[plural]);
  const types = new Set(site.index.artifacts.map(a => a.resource.resourceType));
  const type = [...types].find(t => [`${t.toLowerCase()}s`, `${t.toLowerCase().replace(/y$/, 'ie')}s`, `${t.toLowerCase()}es`].includes(plural));
  if (!type) return /^[a-z]+s$/.test(plural) ? [] : undefined;
  // Conformance resources of a type, not examples of it (the IG Publisher lists examples apart).
  return site.index.artifacts.filter(a => a.resource.resourceType === type && (a.kind !== 'example' || type !== 'StructureDefinition'));
}

function artifactList(site: SiteContext, form: 'list' | 'list-simple' | 'table', plural: string): IncludeTarget | undefined {
  const list = artifactsNamed(site, plural);
  if (!list) return undefined;
  if (form === 'table') {
    const rows = list.map(a => html`<tr><td>${artifactLink(a)}</td><td>${fhirMarkdown(site, a.description)}</td></tr>`);
    const block = table(
      ['Name', 'Description'],
      list.map(a => row([artifactLink(a), fhirMarkdown(site, a.description)]))
    );
    return htmlOf(joinHtml(rows), list.length ? block : html`<p>None.</p>`);
  }
  const items = list.map(a =>
    form === 'list' && a.description ? html`<li>${artifactLink(a)}: ${fhirMarkdown(site, a.description, true)}</li>` : html`<li>${artifactLink(a)}</li>`
  );
  return htmlOf(joinHtml(items), list.length ? html`<ul>${items}</ul>` : html`<p>None.</p>`);
}

function artifactPart(site: SiteContext, a: Artifact, part: string): IncludeTarget {
  if (a.resource.resourceType === 'StructureDefinition') {
    const view = ({ snapshot: 'snapshot', diff: 'differential', key: 'key', 'snapshot-all': 'snapshot', 'diff-all': 'differential' } as const)[part];
    if (view) return htmlOf(elementTable(site, a, view, elementsOf(a.resource, 'snapshot'), elementsOf(a.resource, 'differential')));
  }
  return htmlOf(html`<p>See <a href="${a.page}">${a.title}</a>.</p>`);
}
