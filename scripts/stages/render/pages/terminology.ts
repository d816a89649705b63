/** ValueSet (definition and local expansion), CodeSystem (concepts with every property) and ConceptMap pages. */
import { html, joinHtml, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { canonicalLink, dataTabs, fhirMarkdown, row, summaryList, table, type Page, type SiteContext } from '../page.ts';
import { metadataRows } from './artifact-facts.ts';
import { flattenConcepts, propertyText } from '../../../fhir/concepts.ts';
import { resourceOf, type ValueSetComposeInclude } from '../../../fhir/r4.ts';
import { expandValueSet } from '../../../fhir/valueset-expansion.ts';

const PARENTS = [{ label: 'Artifacts', href: 'artifacts.html' }];

function header(site: SiteContext, a: Artifact): SafeHtml {
  const r = a.resource;
  return html`${summaryList([
    ['Canonical URL', html`<code class="vm-url">${String(r.url ?? '')}</code>`],
    ...metadataRows(a, site)
  ])}${fhirMarkdown(site, a.description)}`;
}

function page(site: SiteContext, a: Artifact, label: string, body: SafeHtml, xml: string, extraText = ''): Page {
  const full = html`<h2 id="summary">Summary</h2>${header(site, a)}${body}<h2 id="formats">JSON and XML</h2>${dataTabs(a, xml)}`;
  return { path: a.page, title: `${label}: ${a.title}`, body: full, parents: PARENTS, searchText: `${a.description} ${extraText}`, kind: label };
}

export function valueSetPage(site: SiteContext, a: Artifact, xml: string): Page {
  const compose = resourceOf(a.resource, 'ValueSet')?.compose;
  const rules = [...(compose?.include ?? []).map(i => ruleItem(site, 'Include', i)), ...(compose?.exclude ?? []).map(i => ruleItem(site, 'Exclude', i))];
  const expansion = expandValueSet(url => site.index.byUrl.get(url)?.resource, a.resource);
  const rows = expansion.codes.map(c => row([html`<code>${c.code}</code>`, c.display ?? '', canonicalLink(site, c.system, c.system)]));
  const body = html`<h2 id="definition">Logical definition</h2><ul>${rules}</ul>
<h2 id="expansion">Expansion</h2>${expansion.problems.length ? html`<p>${joinHtml(expansion.problems, '<br>')}</p>` : ''}
${rows.length ? table(['Code', 'Display', 'System'], rows, `${expansion.codes.length} codes`) : html`<p>No codes could be listed from local code systems.</p>`}`;
  return page(site, a, 'Value set', body, xml, expansion.codes.map(c => `${c.code} ${c.display ?? ''}`).join(' '));
}

function ruleItem(site: SiteContext, verb: string, inc: ValueSetComposeInclude): SafeHtml {
  const from = inc.system ? html`codes from ${canonicalLink(site, inc.system, inc.system)}` : html`codes`;
  const sets = (inc.valueSet ?? []).map(v => canonicalLink(site, v));
  const concepts = inc.concept?.length
    ? html`: ${joinHtml(
        inc.concept.map(c => html`<code>${c.code}</code>${c.display ? ` (${c.display})` : ''}`),
        ', '
      )}`
    : '';
  const filters = (inc.filter ?? []).map(f => html` where ${f.property} ${f.op} ${f.value}`);
  return html`<li>${verb} ${from}${sets.length ? html` in ${joinHtml(sets, ', ')}` : ''}${filters}${concepts}</li>`;
}

export function codeSystemPage(site: SiteContext, a: Artifact, xml: string): Page {
  const r = resourceOf(a.resource, 'CodeSystem') ?? { resourceType: 'CodeSystem', status: 'unknown', content: 'not-present' };
  const declared = (r.property ?? []).map(p => p.code);
  const concepts = flattenConcepts(r.concept);
  const used = [...new Set([...declared, ...concepts.flatMap(({ concept }) => (concept.property ?? []).map(p => p.code))])];
  const rows = concepts.map(({ concept, depth }) =>
    row([
      html`<span class="vm-indent-${Math.min(depth, 5)}"><code id="code-${concept.code}">${concept.code}</code></span>`,
      concept.display ?? '',
      fhirMarkdown(site, concept.definition, true),
      ...used.map(code => propertyText(concept, code))
    ])
  );
  const properties = (r.property ?? []).map(p => row([html`<code>${p.code}</code>`, p.type ?? '', p.description ?? '']));
  const body = html`${summaryList([
    ['Case sensitive', r.caseSensitive === undefined ? undefined : String(r.caseSensitive)],
    ['Content', String(r.content ?? '')],
    ['Concepts', String(concepts.length)]
  ])}
${properties.length ? html`<h2 id="properties">Properties</h2>${table(['Code', 'Type', 'Description'], properties)}` : ''}
<h2 id="concepts">Concepts</h2>${table(['Code', 'Display', 'Definition', ...used], rows)}`;
  return page(site, a, 'Code system', body, xml, concepts.map(({ concept }) => `${concept.code} ${concept.display ?? ''}`).join(' '));
}

export function conceptMapPage(site: SiteContext, a: Artifact, xml: string): Page {
  const r = resourceOf(a.resource, 'ConceptMap');
  const groups = (r?.group ?? []).map((g, i) => {
    const rows = (g.element ?? []).flatMap(el =>
      (el.target ?? [undefined]).map(t =>
        row([
          html`<code>${el.code ?? ''}</code> ${el.display ?? ''}`,
          t?.equivalence ?? '',
          html`<code>${t?.code ?? ''}</code> ${t?.display ?? ''}`,
          t?.comment ?? ''
        ])
      )
    );
    return html`<h3 id="group-${i + 1}">From ${g.source ?? '(unspecified)'} to ${g.target ?? '(unspecified)'}</h3>${table(['Source code', 'Relationship', 'Target code', 'Comment'], rows)}`;
  });
  const scope = summaryList([
    ['Source', canonicalLink(site, r?.sourceUri ?? r?.sourceCanonical)],
    ['Target', canonicalLink(site, r?.targetUri ?? r?.targetCanonical)]
  ]);
  return page(site, a, 'Concept map', html`${scope}<h2 id="mappings">Mappings</h2>${groups}`, xml);
}
