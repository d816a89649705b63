/**
 * The IG Publisher's element tree table (Name, Flags, Card., Type, Description & Constraints)
 * for the Key elements, Differential and Snapshot views, and the Detailed descriptions list.
 */
import { fixedOrPattern } from '../../fhir/elements.ts';
import { fragment, html, joinHtml, type SafeHtml } from '../html.ts';
import { canonicalLink, fhirMarkdown, type SiteContext } from '../page.ts';
import {
  cardinality,
  elementName,
  iconKind,
  isProhibited,
  parentId,
  toTreeRows,
  typeCode,
  viewElements,
  type Element,
  type ElementType,
  type TreeRow,
  type TreeView
} from './element-model.ts';

const BASE_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';
const ROW_PREFIX: Record<TreeView, string> = { snapshot: '', differential: 'diff-', key: 'key-' };

export function elementTable(site: SiteContext, view: TreeView, snapshot: Element[], differential: Element[]): SafeHtml {
  const rows = toTreeRows(viewElements(view, snapshot, differential)).map(r => treeRow(site, view, r));
  return html`<div class="nhsuk-table-responsive"><table class="vm-tree-table nhsuk-table">
<caption class="nhsuk-u-visually-hidden">${view === 'key' ? 'Key elements' : view === 'differential' ? 'Differential' : 'Snapshot'} element tree</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th scope="col">Name</th><th scope="col">Flags</th><th scope="col">Card.</th><th scope="col">Type</th><th scope="col">Description &amp; Constraints</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function treeRow(site: SiteContext, view: TreeView, row: TreeRow): SafeHtml {
  const e = row.element;
  const classes = ['vm-el', row.implied ? 'vm-el--implied' : '', isProhibited(e) ? 'vm-el--prohibited' : ''].filter(Boolean).join(' ');
  const name = html`<a href="#def-${fragment(e.id)}">${elementName(e)}</a>`;
  return html`<tr class="${classes}" id="${ROW_PREFIX[view]}${e.id}">
<td class="vm-el__name vm-depth-${Math.min(row.depth, 12)}">${treeLines(row)}<span class="vm-icon vm-icon--${iconKind(e)}" aria-hidden="true"></span>${isProhibited(e) ? html`<del>${name}</del>` : name}</td>
<td class="vm-el__flags">${flags(e)}</td><td class="vm-el__card">${isProhibited(e) ? html`<del>${cardinality(e)}</del>` : cardinality(e)}</td>
<td class="vm-el__type">${types(site, e.type ?? [])}</td><td class="vm-el__desc">${description(site, view, e)}</td></tr>`;
}

function treeLines(row: TreeRow): SafeHtml {
  if (row.depth === 0) return html``;
  const ancestors = row.continues.map(c => html`<span class="vm-tree vm-tree--${c ? 'line' : 'blank'}"></span>`);
  return html`<span class="vm-tree-lines" aria-hidden="true">${ancestors}<span class="vm-tree vm-tree--${row.last ? 'end' : 'branch'}"></span></span>`;
}

function flags(e: Element): SafeHtml {
  const list: SafeHtml[] = [];
  if (e.mustSupport) list.push(html`<abbr class="vm-flag vm-flag--ms" title="Must support">S</abbr>`);
  if (e.isModifier) list.push(html`<abbr class="vm-flag" title="Modifier element">?!</abbr>`);
  if (e.isSummary) list.push(html`<abbr class="vm-flag" title="Part of the summary">Σ</abbr>`);
  if (ownConstraints(e, true).length) list.push(html`<abbr class="vm-flag" title="Has constraints">I</abbr>`);
  return joinHtml(list, ' ');
}

export function types(site: SiteContext, list: ElementType[]): SafeHtml {
  return joinHtml(list.map(t => oneType(site, t)), ' | ');
}

function oneType(site: SiteContext, t: ElementType): SafeHtml {
  const code = typeCode(t);
  const targets = t.targetProfile ?? [];
  const profiles = t.profile ?? [];
  if (targets.length) return html`${canonicalLink(site, BASE_PREFIX + code, code)}(${joinHtml(targets.map(u => canonicalLink(site, u, shortName(site, u))), ' | ')})`;
  if (profiles.length) return html`${code}(${joinHtml(profiles.map(u => canonicalLink(site, u, shortName(site, u))), ' | ')})`;
  return canonicalLink(site, BASE_PREFIX + code, code);
}

function shortName(site: SiteContext, url: string): string {
  return site.index.byUrl.get(url)?.title ?? url.slice(url.lastIndexOf('/') + 1);
}

/** Constraints this profile adds (not ele-1 and friends inherited from the base spec). */
export function ownConstraints(e: Element, includeBase = false): NonNullable<Element['constraint']> {
  return (e.constraint ?? []).filter(c => (includeBase ? !/^(ele|ext)-1$/.test(c.key) : !c.source?.startsWith(BASE_PREFIX)));
}

function description(site: SiteContext, view: TreeView, e: Element): SafeHtml {
  const parts: SafeHtml[] = [];
  if (e.short) parts.push(html`<span>${e.short}</span>`);
  if (e.slicing) parts.push(html`<span class="vm-el__note">Slice: ${slicingText(e)}</span>`);
  const extUrl = e.type?.[0]?.code === 'Extension' ? e.type[0].profile?.[0] : undefined;
  if (extUrl) parts.push(html`<span class="vm-el__note">URL: ${canonicalLink(site, extUrl, extUrl)}</span>`);
  if (e.binding) parts.push(html`<span class="vm-el__note">Binding: ${bindingText(site, e.binding)}</span>`);
  const fp = fixedOrPattern(e);
  if (fp) parts.push(html`<span class="vm-el__note">${fp.kind === 'fixed' ? 'Fixed value' : 'Required pattern'}: <code>${JSON.stringify(fp.value)}</code></span>`);
  for (const c of view === 'snapshot' ? ownConstraints(e) : (e.constraint ?? [])) {
    parts.push(html`<span class="vm-el__note"><a href="#def-${fragment(e.id)}">${c.key}</a>: ${c.human}</span>`);
  }
  return joinHtml(parts, '<br>');
}

export function slicingText(e: Element): string {
  const s = e.slicing!;
  const by = (s.discriminator ?? []).map(d => `${d.type}:${d.path}`).join(', ');
  return `${s.ordered ? 'Ordered' : 'Unordered'}, ${s.rules === 'closed' ? 'Closed' : s.rules === 'openAtEnd' ? 'Open at end' : 'Open'}${by ? ` by ${by}` : ''}`;
}

export function bindingText(site: SiteContext, b: NonNullable<Element['binding']>): SafeHtml {
  const vs = b.valueSet ? canonicalLink(site, b.valueSet, shortName(site, b.valueSet.split('|')[0]!)) : html`(no value set)`;
  return html`${vs} (<span class="vm-binding vm-binding--${b.strength}">${b.strength}</span>)${b.description ? html`: ${fhirMarkdown(site, b.description, true)}` : ''}`;
}
