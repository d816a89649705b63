/**
 * The "Detailed descriptions" view of a profile (the IG Publisher's `{Type}-{id}-definitions.html`):
 * one section per snapshot element with its short text, definition, comments, requirements,
 * cardinality, type, flags, slicing, binding, fixed or pattern value, constraints and mappings.
 * Each section is anchored by the element id, so tree rows link straight to it.
 */
import { lines } from './ig-subpages.ts';
import { fragment, html, joinHtml, type SafeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import { fhirMarkdown, row, summaryList, table, type Page, type SiteContext } from '../page.ts';
import { bindingText, slicingText, structuredValue, types } from './element-table.ts';
import { fixedOrPattern } from '../../../fhir/elements.ts';
import { cardinality, elementName, elementsOf, type Element } from './element-model.ts';
import { definitionsPath } from './definition-links.ts';
import { resourceOf, type StructureDefinitionMapping } from '../../../fhir/r4.ts';

type Mapping = StructureDefinitionMapping;

export function definitionsPage(site: SiteContext, a: Artifact): Page {
  const snapshot = elementsOf(a.resource, 'snapshot');
  const label = a.kind === 'extension' ? 'Extension' : a.kind === 'logical' ? 'Logical model' : 'Profile';
  const mappings = new Map((resourceOf(a.resource, 'StructureDefinition')?.mapping ?? []).map(m => [m.identity, m]));
  const sections = snapshot.map(e => details(site, a, e, mappings));
  const body = html`<p>
      Every element of the ${label.toLowerCase()} <a href="${a.page}">${a.title}</a>, in snapshot order, with everything the element table summarises. Elements
      the profile prohibits (cardinality 0..0) are listed so that their reasons can be read.
    </p>
    ${joinHtml(sections)}`;
  return {
    path: definitionsPath(a),
    title: `${label}: ${a.title} - Detailed descriptions`,
    body,
    parents: [
      { label: 'Artifacts', href: 'artifacts.html' },
      { label: a.title, href: a.page }
    ],
    searchText: snapshot.map(e => `${e.id} ${e.short ?? ''} ${e.definition ?? ''}`).join(' '),
    kind: 'Detailed descriptions'
  };
}

function details(site: SiteContext, a: Artifact, e: Element, mappings: Map<string, Mapping>): SafeHtml {
  const fp = fixedOrPattern(e);
  const constraints = (e.constraint ?? []).map(
    c =>
      html`<li>
        <strong>${c.key}</strong>
        (${c.severity})${c.source && !c.source.startsWith(String(a.resource.url)) ? html` <span class="vm-el__note">inherited</span>` : ''}:
        ${c.human}${c.expression ? html`<br /><code>${c.expression}</code>` : ''}
      </li>`
  );
  const flags = [e.mustSupport ? 'Must support' : '', e.isModifier ? 'Modifier' : '', e.isSummary ? 'Summary' : ''].filter(Boolean).join(', ');
  return html`<section class="vm-detail" id="${e.id}">
    <h2 class="nhsuk-heading-s">${e.id}${elementName(e).startsWith('Slices') ? ' (slicing)' : ''}</h2>
    ${summaryList([
      ['Short', e.short],
      ['Definition', fhirMarkdown(site, e.definition)],
      ['Comments', fhirMarkdown(site, e.comment)],
      ['Requirements', fhirMarkdown(site, e.requirements)],
      ['Cardinality', cardinality(e)],
      ['Type', e.type?.length ? types(site, e.type) : undefined],
      ['Flags', flags || undefined],
      ['Modifier reason', typeof e.isModifierReason === 'string' ? e.isModifierReason : undefined],
      ['Slicing', e.slicing ? slicingText(e) + (e.slicing.description ? `. ${e.slicing.description}` : '') : undefined],
      ['Binding', e.binding ? bindingText(site, e.binding) : undefined],
      [fp?.kind === 'fixed' ? 'Fixed value' : 'Required pattern', fp ? structuredValue(fp.value) : undefined],
      ['Alternate names', e.alias?.join(', ')],
      [
        'Constraints',
        constraints.length
          ? html`<ul class="vm-detail__list">
              ${constraints}
            </ul>`
          : undefined
      ],
      ['Mappings', mappingTable(e, mappings)]
    ])}
    <p class="nhsuk-body-s"><a href="${a.page}#${fragment(e.id)}">Back to the element in the snapshot tree</a></p>
  </section>`;
}

function mappingTable(e: Element, mappings: Map<string, Mapping>): SafeHtml | undefined {
  const list = e.mapping ?? [];
  if (!list.length) return undefined;
  return table(
    ['Mapping', 'Value'],
    list.map(m => row([mappings.get(m.identity)?.name ?? m.identity, lines([m.map])]))
  );
}
