/** CapabilityStatement pages: formats, security, and per resource its profiles, interactions and search parameters. */
import { html, joinHtml, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { metadataRows } from './artifact-facts.ts';
import { canonicalLink, dataTabs, fhirMarkdown, row, summaryList, table, type Page, type SiteContext } from '../page.ts';
import { resourceOf } from '../../../fhir/r4.ts';

interface RestResource {
  type: string;
  profile?: string;
  supportedProfile?: string[];
  documentation?: string;
  interaction?: { code: string; documentation?: string }[];
  searchParam?: { name: string; type: string; definition?: string; documentation?: string }[];
}

interface Rest {
  mode: string;
  documentation?: string;
  security?: { cors?: boolean; service?: { coding?: { code?: string; display?: string }[]; text?: string }[]; description?: string };
  resource?: RestResource[];
  interaction?: { code: string; documentation?: string }[];
}

export function capabilityPage(site: SiteContext, a: Artifact, xml: string): Page {
  const r = a.resource;
  const capability = resourceOf(r, 'CapabilityStatement');
  const rests = (capability?.rest ?? []).map((rest, i) => restSection(site, rest, i));
  const body = html`<h2 id="summary">Summary</h2>${summaryList([
    ['Canonical URL', html`<code class="vm-url">${String(r.url ?? '')}</code>`],
    ...metadataRows(a, site),
    ['Kind', String(r.kind ?? '')],
    ['FHIR version', String(r.fhirVersion ?? '')],
    ['Formats', (capability?.format ?? []).join(', ')],
    ['Status', String(r.status ?? '')]
  ])}${fhirMarkdown(site, a.description)}${rests}<h2 id="formats">JSON and XML</h2>${dataTabs(a, xml)}`;
  return {
    path: a.page,
    title: `Capability statement: ${a.title}`,
    body,
    parents: [{ label: 'Artifacts', href: 'artifacts.html' }],
    searchText: a.description,
    kind: 'Capability statement'
  };
}

function restSection(site: SiteContext, rest: Rest, i: number): SafeHtml {
  const sec = rest.security;
  const services = (sec?.service ?? []).map(s => s.text ?? s.coding?.map(c => c.display ?? c.code).join(', ') ?? '').join('; ');
  const system = (rest.interaction ?? []).map(x => x.code).join(', ');
  return html`<h2 id="rest-${i + 1}">REST ${rest.mode}</h2>${fhirMarkdown(site, rest.documentation)}
<h3 id="security-${i + 1}">Security</h3>${summaryList([
    ['CORS', sec?.cors === undefined ? undefined : String(sec.cors)],
    ['Services', services],
    ['Description', fhirMarkdown(site, sec?.description)]
  ])}
${system ? html`<p>System interactions: ${system}</p>` : ''}
<h3 id="resources-${i + 1}">Resources</h3>${table(
    ['Type', 'Profiles', 'Interactions', 'Search parameters'],
    (rest.resource ?? []).map(res => resourceRow(site, res))
  )}`;
}

function resourceRow(site: SiteContext, res: RestResource): SafeHtml {
  const profiles = [...(res.profile ? [res.profile] : []), ...(res.supportedProfile ?? [])].map(u => canonicalLink(site, u));
  const interactions = (res.interaction ?? []).map(x => html`<code>${x.code}</code>`);
  const params = (res.searchParam ?? []).map(
    p => html`<code>${p.name}</code> (${p.type})${p.documentation ? html`: ${fhirMarkdown(site, p.documentation, true)}` : ''}`
  );
  return row([res.type, joinHtml(profiles, '<br>'), joinHtml(interactions, ', '), joinHtml(params, '<br>')]);
}
