/**
 * The IG Publisher's element tree table (Name, Flags, Card., Type, Description & Constraints)
 * for the Key elements, Differential and Snapshot views, and the Detailed descriptions list.
 */
import { fixedOrPattern } from '../../../fhir/elements.ts';
import { html, joinHtml, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { canonicalLink, fhirMarkdown, type SiteContext } from '../page.ts';
import { definitionHref } from './definition-links.ts';
import {
  cardinality,
  elementName,
  iconKind,
  isProhibited,
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

export function elementTable(site: SiteContext, a: Artifact, view: TreeView, snapshot: Element[], differential: Element[]): SafeHtml {
  const rows = toTreeRows(viewElements(view, snapshot, differential)).map(r => treeRow(site, a, view, r));
  const name = view === 'key' ? 'Key elements' : view === 'differential' ? 'Differential' : 'Snapshot';
  return html`<div class="vm-tree-wrap"><table class="vm-tree-table nhsuk-table">
<caption class="nhsuk-u-visually-hidden">${name} element tree</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th scope="col" class="vm-col-name">Name</th><th scope="col" class="vm-col-flags">Flags</th><th scope="col" class="vm-col-card">Card.</th><th scope="col" class="vm-col-type">Type</th><th scope="col" class="vm-col-desc">Description &amp; Constraints</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** The icons and flags the trees use, in words. */
export function treeLegend(): SafeHtml {
  const icon = (kind: string, text: string) => html`<li><span class="vm-icon vm-icon--${kind}" aria-hidden="true"></span> ${text}</li>`;
  const flag = (f: SafeHtml, text: string) => html`<li>${f} ${text}</li>`;
  return html`<details class="nhsuk-details vm-legend"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Key to the symbols in the trees</span></summary>
<div class="nhsuk-details__text"><div class="vm-legend__cols"><ul class="nhsuk-list vm-legend__list">
${icon('resource', 'Resource')}${icon('datatype', 'Complex data type')}${icon('primitive', 'Primitive value')}${icon('reference', 'Reference to another resource')}${icon('choice', 'Choice of types ([x])')}${icon('extension', 'Extension')}${icon('slice', 'Slicing: the element is divided into named slices')}${icon('slice-item', 'A slice (shown as element:sliceName)')}
</ul><ul class="nhsuk-list vm-legend__list">
${flag(html`<span class="vm-flag vm-flag--ms">S</span>`, 'Must support: clients SHALL handle this element (see the must-support obligation on Using the API)')}
${flag(html`<span class="vm-flag">?!</span>`, 'Modifier: the element can change the meaning of the resource')}
${flag(html`<span class="vm-flag">Σ</span>`, 'Part of the summary of the resource')}
${flag(html`<span class="vm-flag">C</span>`, 'Has constraints (invariants), listed in the description column')}
<li><del>name</del> <del>0..0</del> Prohibited: the element SHALL NOT be sent</li>
<li>Grey rows: shown only to place a changed element in the tree</li>
</ul></div><p class="nhsuk-body-s">ele-1 (every element has a value or children) applies to every element and is not repeated in the trees.</p></div></details>`;
}

function treeRow(site: SiteContext, a: Artifact, view: TreeView, row: TreeRow): SafeHtml {
  const e = row.element;
  const classes = ['vm-el', row.implied ? 'vm-el--implied' : '', isProhibited(e) ? 'vm-el--prohibited' : ''].filter(Boolean).join(' ');
  const name = html`<a href="${definitionHref(a, e.id)}">${displayName(e)}</a>`;
  return html`<tr class="${classes}" id="${ROW_PREFIX[view]}${e.id}">
<td class="vm-el__name vm-depth-${Math.min(row.depth, 12)}">${treeLines(row)}<span class="vm-icon vm-icon--${iconKind(e)}" aria-hidden="true"></span>${isProhibited(e) ? html`<del>${name}</del>` : name}</td>
<td class="vm-el__flags">${flags(e)}</td><td class="vm-el__card">${isProhibited(e) ? html`<del>${cardinality(e)}</del>` : cardinality(e)}</td>
<td class="vm-el__type">${types(site, e.type ?? [])}</td><td class="vm-el__desc">${description(site, a, e)}</td></tr>`;
}

/** A slice reads `component:basicStatus`, as the IG Publisher shows it; other elements their name. */
function displayName(e: Element): string {
  if (!e.sliceName) return elementName(e);
  const segment = e.path.slice(e.path.lastIndexOf('.') + 1);
  return `${segment}:${e.sliceName}`;
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
  if (ownConstraints(e, true).length) list.push(html`<abbr class="vm-flag" title="Has constraints">C</abbr>`);
  return joinHtml(list, ' ');
}

export function types(site: SiteContext, list: ElementType[]): SafeHtml {
  return joinHtml(
    list.map(t => oneType(site, t)),
    ' | '
  );
}

function oneType(site: SiteContext, t: ElementType): SafeHtml {
  const code = typeCode(t);
  const targets = t.targetProfile ?? [];
  const profiles = t.profile ?? [];
  if (targets.length)
    return html`${canonicalLink(site, BASE_PREFIX + code, code)}(${joinHtml(
      targets.map(u => canonicalLink(site, u, shortName(site, u))),
      ' | '
    )})`;
  if (profiles.length)
    return html`${code}(${joinHtml(
      profiles.map(u => canonicalLink(site, u, shortName(site, u))),
      ' | '
    )})`;
  return canonicalLink(site, BASE_PREFIX + code, code);
}

function shortName(site: SiteContext, url: string): string {
  return site.index.byUrl.get(url)?.title ?? url.slice(url.lastIndexOf('/') + 1);
}

/**
 * Constraints this profile (or a profile it derives from outside the base specification) adds:
 * those whose source is not a base-spec definition. A constraint without a source comes from the
 * base resource itself (R4's own snapshots leave it out), so it counts as inherited. With
 * includeBase, every constraint except ele-1 and ext-1, which apply everywhere.
 */
export function ownConstraints(e: Element, includeBase = false): NonNullable<Element['constraint']> {
  return (e.constraint ?? []).filter(c => (includeBase ? !/^(ele|ext)-1$/.test(c.key) : c.source !== undefined && !c.source.startsWith(BASE_PREFIX)));
}

function description(site: SiteContext, a: Artifact, e: Element): SafeHtml {
  const parts: SafeHtml[] = [];
  if (e.short) parts.push(html`<span class="vm-el__short">${e.short}</span>`);
  if (e.slicing) parts.push(html`<span class="vm-el__note">Slice: ${slicingText(e)}</span>`);
  const extUrl = e.type?.[0]?.code === 'Extension' ? e.type[0].profile?.[0] : undefined;
  if (extUrl) parts.push(html`<span class="vm-el__note">URL: ${canonicalLink(site, extUrl, extUrl)}</span>`);
  if (e.binding) parts.push(html`<span class="vm-el__note">Binding: ${bindingText(site, e.binding)}</span>`);
  const fp = fixedOrPattern(e);
  if (fp) parts.push(html`<span class="vm-el__note">${fp.kind === 'fixed' ? 'Fixed value' : 'Required pattern'}: ${structuredValue(fp.value)}</span>`);
  const own = ownConstraints(e);
  for (const c of own) parts.push(html`<span class="vm-el__note"><a href="${definitionHref(a, e.id)}">${c.key}</a>: ${c.human}</span>`);
  const inherited = (e.constraint ?? []).filter(c => !own.includes(c) && c.key !== 'ele-1');
  if (inherited.length) {
    const keys = inherited.map(c => html`<abbr title="${c.human}">${c.key}</abbr>`);
    parts.push(html`<span class="vm-el__note vm-el__inherited">Inherited invariants: ${joinHtml(keys, ', ')}</span>`);
  }
  return joinHtml(parts);
}

/**
 * A fixed or pattern value as a small structured list (`coding: system = ..., code = ...`)
 * rather than raw JSON: primitives in code font, objects as name/value lists, arrays as items.
 */
export function structuredValue(value: unknown): SafeHtml {
  if (value === null || typeof value !== 'object') return html`<code class="vm-value__primitive">${String(value)}</code>`;
  if (Array.isArray(value)) {
    if (value.length === 1) return structuredValue(value[0]);
    return html`<ol class="vm-value">${value.map(v => html`<li>${structuredValue(v)}</li>`)}</ol>`;
  }
  const entries: [string, unknown][] = Object.entries(value);
  return html`<ul class="vm-value">${entries.map(([k, v]) => html`<li><span class="vm-value__key">${k}</span>${v !== null && typeof v === 'object' ? ':' : ' ='} ${structuredValue(v)}</li>`)}</ul>`;
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
