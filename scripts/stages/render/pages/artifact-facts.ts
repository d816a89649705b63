/**
 * Facts every artifact page shows: its metadata (version, status with standards status and
 * maturity level, publisher, contact, jurisdiction, date) and its usages (which other artifacts
 * and examples refer to it by canonical URL or claim it as their profile).
 */
import { html, joinHtml, type SafeHtml } from '../html.ts';
import type { Artifact, ArtifactIndex } from '../model.ts';
import { KIND_HEADINGS } from '../model.ts';
import type { SiteContext } from '../page.ts';
import { pageHtmlName } from '../../../project/pages.ts';
import { isJsonObject } from '../../../fhir/json.ts';
import { objectsIn, stringIn } from '../guards.ts';

const FMM = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fmm';
const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';

/** Where the FHIR specification explains maturity levels (the IG Publisher links there). */
const CORE_MATURITY = 'https://hl7.org/fhir/R4/versions.html#maturity';

/**
 * The page explaining maturity levels: the guide's own `versioning.html#maturity-levels` when
 * its versioning page has that section, otherwise the FHIR specification's.
 */
export function maturityHref(site: SiteContext | undefined): string {
  const own = site && [...site.pageSources].find(([file]) => pageHtmlName(file) === 'versioning.html')?.[1];
  return own !== undefined && /^#{1,6}\s+maturity levels\s*(\{#maturity-levels\})?\s*$|\{#maturity-levels\}|id="maturity-levels"/im.test(own)
    ? 'versioning.html#maturity-levels'
    : CORE_MATURITY;
}

/** Summary-list rows of an artifact's metadata; rows without a value are left out by summaryList. */
export function metadataRows(a: Artifact, site?: SiteContext): [string, SafeHtml | string | undefined][] {
  const r = a.resource;
  // Any resource type has a page: its metadata is read as JSON, whatever the type declares.
  const ext = objectsIn(r.extension);
  const fmm = ext.find(e => e.url === FMM)?.valueInteger;
  const standards = ext.find(e => e.url === STANDARDS_STATUS)?.valueCode;
  return [
    ['Version', str(r.version)],
    ['Status', [str(r.status), standards ? `standards status ${standards}` : ''].filter(Boolean).join('; ') || undefined],
    ['Maturity level', typeof fmm !== 'number' ? undefined : html`<a href="${maturityHref(site)}">FMM ${fmm}</a>`],
    ['Publisher', str(r.publisher)],
    ['Contact', contacts(objectsIn(r.contact))],
    ['Jurisdiction', jurisdictions(r.jurisdiction)],
    ['Date', str(r.date)]
  ];
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/** ContactDetail: a name, then its telecoms (email and web addresses as links). */
function contacts(list: Record<string, unknown>[]): SafeHtml | undefined {
  if (!list.length) return undefined;
  const one = (c: Record<string, unknown>) => {
    const name = stringIn(c, 'name');
    const telecom = objectsIn(c.telecom).flatMap(t => {
      const value = stringIn(t, 'value');
      if (!value) return [];
      if (t.system === 'email') return [html`<a href="mailto:${value}">${value}</a>`];
      if (t.system === 'url' && /^https?:\/\//.test(value)) return [html`<a href="${value}">${value}</a>`];
      return [html`${value}`];
    });
    return html`${name ?? ''}${name && telecom.length ? ': ' : ''}${joinHtml(telecom, ', ')}`;
  };
  return joinHtml(list.map(one), html`<br />`.value);
}

function jurisdictions(v: unknown): string | undefined {
  const text = objectsIn(v)
    .flatMap(cc => objectsIn(cc.coding))
    .map(c => (c.display ? `${c.display} (${c.code})` : String(c.code)));
  return text.length ? text.join(', ') : undefined;
}

export type UsageIndex = Map<string, Artifact[]>;

/**
 * For each artifact page, the other artifacts that mention its canonical URL anywhere in their
 * JSON (profiles, bindings, value set includes, ConceptMap sources and targets, capability
 * statements, an example's meta.profile, codings of an example that use a code system).
 */
export function buildUsageIndex(index: ArtifactIndex): UsageIndex {
  const usages: UsageIndex = new Map();
  for (const user of index.artifacts) {
    const seen = new Set<string>();
    walkStrings(user.resource, s => {
      const url = s.split('|')[0]!;
      const used = index.byUrl.get(url);
      if (!used || used === user || seen.has(used.page)) return;
      seen.add(used.page);
      usages.set(used.page, [...(usages.get(used.page) ?? []), user]);
    });
    // A Bundle holds its entries' resources: an example that is one of them is used by the Bundle.
    for (const entry of bundleEntries(user.resource)) {
      const used = index.byRef.get(`${entry.resourceType}/${entry.id}`);
      if (!used || used === user || seen.has(used.page)) continue;
      seen.add(used.page);
      usages.set(used.page, [...(usages.get(used.page) ?? []), user]);
    }
  }
  return usages;
}

/** The resources of a Bundle's entries, and of Bundles among them. */
function bundleEntries(resource: unknown): { resourceType: string; id: string }[] {
  if (!isJsonObject(resource) || resource.resourceType !== 'Bundle') return [];
  return objectsIn(resource.entry).flatMap(e => {
    const inner = e.resource;
    if (!isJsonObject(inner) || typeof inner.resourceType !== 'string' || typeof inner.id !== 'string') return [];
    return [{ resourceType: inner.resourceType, id: inner.id }, ...bundleEntries(inner)];
  });
}

function walkStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, visit);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'text') walkStrings(v, visit);
}

/** The "Usages" section: the artifacts that use this one, grouped by kind. */
export function usagesSection(a: Artifact, usages: UsageIndex): SafeHtml {
  const users = usages.get(a.page) ?? [];
  const groups = KIND_HEADINGS.map(([kind, heading]) => [heading, users.filter(u => u.kind === kind)] as const).filter(([, list]) => list.length);
  const body = groups.length
    ? joinHtml(
        groups.map(
          ([heading, list]) =>
            html`<h3 class="nhsuk-heading-s">${heading}</h3>
              <ul>
                ${list.map(u => html`<li><a href="${u.page}">${u.title}</a></li>`)}
              </ul>`
        )
      )
    : html`<p>No other artifact or example in this guide refers to this ${kindWord(a)}.</p>`;
  return html`<h2 id="usages">Usages</h2>
    ${body}`;
}

function kindWord(a: Artifact): string {
  return a.kind === 'example' ? 'example' : a.kind === 'valueset' ? 'value set' : a.kind === 'codesystem' ? 'code system' : 'artifact';
}
