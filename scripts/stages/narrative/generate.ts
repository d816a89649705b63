/**
 * Generated narratives, as the IG Publisher adds them: a resource compiled without `text` gets a
 * short XHTML summary (status `generated`) so it reads well in any FHIR tool and meets dom-6.
 * Every value is XML-escaped; only FHIR's narrative elements are used.
 */
import { isJsonObject } from '../../fhir/json.ts';
import { escapeXml } from '../../fhir/markup.ts';
import { resourceOf, type ValueSetComposeInclude } from '../../fhir/r4.ts';
import type { FhirResource } from '../../model/resources.ts';
import { componentRows, instanceRows } from './instances.ts';

type Json = Record<string, unknown>;
type Row = [string, string | undefined];

const XHTML_NS = 'http://www.w3.org/1999/xhtml';
/** Resources that are not DomainResources carry no narrative; the IG Publisher leaves them alone. */
const NO_NARRATIVE = new Set(['Bundle', 'Binary', 'Parameters', 'ImplementationGuide']);

/** A narrative for `resource`; undefined when it has one, cannot have one, or is the ImplementationGuide. */
export function generateNarrative(resource: FhirResource): { status: 'generated'; div: string } | undefined {
  if (resource.text !== undefined || NO_NARRATIVE.has(resource.resourceType)) return undefined;
  // Conformance resources (they have a canonical URL) are summarised by their metadata; instances by their content.
  const rows = typeof resource.url === 'string' ? summaryRows(resource) : instanceRows(resource);
  const body = [heading(resource), facts(rows), details(resource)].join('');
  return { status: 'generated', div: `<div xmlns="${XHTML_NS}">${body}</div>` };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function heading(r: FhirResource): string {
  const title = str(r.title) ?? str(r.name) ?? r.id ?? r.resourceType;
  return `<p><b>${escapeXml(r.resourceType)}: ${escapeXml(title)}</b></p>`;
}

function summaryRows(r: FhirResource): Row[] {
  return [
    ['URL', str(r.url)],
    ['Version', str(r.version)],
    ['Status', str(r.status)],
    ['Type', r.resourceType === 'StructureDefinition' ? str(r.type) : undefined],
    ['Parent', str(r.baseDefinition)],
    ['Description', str(r.description)]
  ];
}

function facts(rows: readonly Row[]): string {
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined);
  if (present.length === 0) return '';
  return `<table>${present.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table>`;
}

function table(head: readonly string[], rows: readonly (readonly (string | undefined)[])[]): string {
  if (rows.length === 0) return '';
  const th = head.map(h => `<th>${escapeXml(h)}</th>`).join('');
  const trs = rows.map(r => `<tr>${r.map(c => `<td>${escapeXml(c ?? '')}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

function details(r: FhirResource): string {
  switch (r.resourceType) {
    case 'CodeSystem':
      return table(
        ['Code', 'Display', 'Definition'],
        concepts(r.concept).map(c => [str(c.code), str(c.display), str(c.definition)])
      );
    case 'ValueSet':
      return valueSetDetails(r);
    case 'ConceptMap':
      return table(['Source code', 'Relationship', 'Target code'], conceptMapRows(r));
    case 'CapabilityStatement':
      return table(['Resource', 'Interactions', 'Search parameters'], capabilityRows(r));
    case 'Observation':
      return table(['Component', 'Value'], componentRows(r));
    default:
      return '';
  }
}

function concepts(list: unknown): Json[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isJsonObject).flatMap(c => [c, ...concepts(c.concept)]);
}

function valueSetDetails(r: FhirResource): string {
  const compose = resourceOf(r, 'ValueSet')?.compose;
  const rows = (kind: string, parts: ValueSetComposeInclude[] | undefined) =>
    (parts ?? []).map(p => [
      kind,
      str(p.system) ?? p.valueSet?.join(', '),
      Array.isArray(p.concept) ? p.concept.map(c => str(c.code)).join(', ') : 'all codes'
    ]);
  return table(['Rule', 'System', 'Codes'], [...rows('include', compose?.include), ...rows('exclude', compose?.exclude)]);
}

function conceptMapRows(r: FhirResource): string[][] {
  const groups = resourceOf(r, 'ConceptMap')?.group ?? [];
  return groups.flatMap(g => (g.element ?? []).flatMap(e => (e.target ?? []).map(t => [e.code ?? '', t.equivalence ?? '', t.code ?? ''])));
}

function capabilityRows(r: FhirResource): string[][] {
  const rest = resourceOf(r, 'CapabilityStatement')?.rest ?? [];
  return rest.flatMap(x =>
    (x.resource ?? []).map(res => [res.type ?? '', (res.interaction ?? []).map(i => i.code).join(', '), (res.searchParam ?? []).map(p => p.name).join(', ')])
  );
}
