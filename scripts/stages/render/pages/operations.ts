/**
 * The definitional resources a real guide carries beside its profiles: OperationDefinition
 * (how it is invoked and its parameter table: name, use, cardinality, type, documentation, with
 * nested parts indented) and SearchParameter (code, base, type, expression, comparators...).
 */
import { html, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { canonicalLink, fhirMarkdown, row, summaryList, table, type SiteContext } from '../page.ts';
import { resourceOf, type OperationDefinitionParameter } from '../../../fhir/r4.ts';

type OperationParameter = OperationDefinitionParameter;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function operationSections(site: SiteContext, a: Artifact): SafeHtml {
  const r = a.resource;
  const levels = [
    r.system === true ? 'system ([base]/$' : '',
    r.type === true ? `type ([base]/${list(r.resource).join('|') || 'Type'}/$` : '',
    r.instance === true ? `instance ([base]/${list(r.resource).join('|') || 'Type'}/[id]/$` : ''
  ]
    .filter(Boolean)
    .map(l => `${l}${str(r.code) ?? ''})`);
  const summary = summaryList([
    ['Code', str(r.code) ? html`<code>$${str(r.code)!}</code>` : undefined],
    ['Kind', str(r.kind)],
    ['Resources', list(r.resource).join(', ') || undefined],
    ['Invoked at', levels.join('; ') || undefined],
    ['Affects state', typeof r.affectsState === 'boolean' ? (r.affectsState ? 'yes' : 'no') : undefined],
    ['Input profile', str(r.inputProfile) ? canonicalLink(site, str(r.inputProfile)) : undefined],
    ['Output profile', str(r.outputProfile) ? canonicalLink(site, str(r.outputProfile)) : undefined]
  ]);
  const params = resourceOf(r, 'OperationDefinition')?.parameter ?? [];
  const rows = params.flatMap(p => parameterRows(site, p, 0));
  const tableHtml = rows.length ? table(['Use', 'Name', 'Card.', 'Type', 'Documentation'], rows, 'Parameters') : html`<p>This operation has no parameters.</p>`;
  return html`<h2 id="operation">Operation</h2>
    ${summary}
    <h2 id="parameters">Parameters</h2>
    ${tableHtml}${fhirMarkdown(site, r.comment)}`;
}

function parameterRows(site: SiteContext, p: OperationParameter, depth: number): SafeHtml[] {
  const type = p.type
    ? html`${canonicalLink(site, `http://hl7.org/fhir/StructureDefinition/${p.type}`, p.type)}${(p.targetProfile ?? []).map(t => html` (${canonicalLink(site, t)})`)}${p.searchType ? ` (${p.searchType})` : ''}`
    : p.part?.length
      ? 'parts below'
      : '';
  const name = html`<span class="vm-indent-${Math.min(depth, 4)}"><code>${p.name ?? ''}</code></span>`;
  const here = row([p.use === 'out' ? 'OUT' : 'IN', name, `${p.min ?? 0}..${p.max ?? '*'}`, type, fhirMarkdown(site, p.documentation, true)]);
  return [here, ...(p.part ?? []).flatMap(part => parameterRows(site, part, depth + 1))];
}

export function searchParameterSections(site: SiteContext, a: Artifact): SafeHtml {
  const r = a.resource;
  const components = resourceOf(r, 'SearchParameter')?.component ?? [];
  return html`<h2 id="search-parameter">Search parameter</h2>
    ${summaryList([
      ['Code', str(r.code) ? html`<code>${str(r.code)!}</code>` : undefined],
      ['Applies to', list(r.base).join(', ') || undefined],
      ['Type', str(r.type)],
      ['Expression', str(r.expression) ? html`<code>${str(r.expression)!}</code>` : undefined],
      ['XPath', str(r.xpath) ? html`<code>${str(r.xpath)!}</code>` : undefined],
      ['Target types', list(r.target).join(', ') || undefined],
      ['Multiple or', typeof r.multipleOr === 'boolean' ? (r.multipleOr ? 'yes' : 'no') : undefined],
      ['Multiple and', typeof r.multipleAnd === 'boolean' ? (r.multipleAnd ? 'yes' : 'no') : undefined],
      ['Comparators', list(r.comparator).join(', ') || undefined],
      ['Modifiers', list(r.modifier).join(', ') || undefined],
      ['Chains', list(r.chain).join(', ') || undefined],
      ['Derived from', str(r.derivedFrom) ? canonicalLink(site, str(r.derivedFrom)) : undefined],
      [
        'Components',
        components.length ? html`${components.map(c => html`${canonicalLink(site, c.definition)} <code>${c.expression ?? ''}</code> `)}` : undefined
      ]
    ])}`;
}
