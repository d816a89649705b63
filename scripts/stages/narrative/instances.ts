/**
 * Type-aware facts for the generated narrative of an instance, as the IG Publisher's renderers
 * give them: an Observation's code, value, components, subject and time; a Patient's name,
 * identifiers, gender and birth date; and the common fields (identifier, code, status, subject,
 * dates, name) of any other resource. Values only: the caller escapes and lays them out.
 */
import { isJsonObject } from '../../fhir/json.ts';
type Json = Record<string, unknown>;
export type Row = [string, string | undefined];

const obj = (v: unknown): Json | undefined => (isJsonObject(v) ? v : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => Boolean(obj(x))) : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

export function codingText(c: Json | undefined): string | undefined {
  if (!c) return undefined;
  const code = text(c.code);
  const display = text(c.display);
  const system = text(c.system);
  if (!code && !display) return undefined;
  return `${display ?? code}${code && display ? ` (${system ? `${system.replace(/^.*[/:]/, '')}#` : ''}${code})` : ''}`;
}

export function conceptText(v: unknown): string | undefined {
  const cc = obj(v);
  if (!cc) return undefined;
  return (
    text(cc.text) ??
    arr(cc.coding)
      .map(c => codingText(c))
      .filter(Boolean)
      .join(', ') ??
    undefined
  );
}

function quantityText(q: Json): string | undefined {
  const value = text(q.value);
  if (value === undefined) return undefined;
  return `${text(q.comparator) ?? ''}${value} ${text(q.unit) ?? text(q.code) ?? ''}`.trim();
}

function referenceText(v: unknown): string | undefined {
  const r = obj(v);
  if (!r) return undefined;
  const id = obj(r.identifier);
  return text(r.display) ?? text(r.reference) ?? (id ? `${text(id.system) ?? ''} ${text(id.value) ?? ''}`.trim() : undefined);
}

function periodText(v: unknown): string | undefined {
  const p = obj(v);
  if (!p) return undefined;
  return `${text(p.start) ?? '?'} to ${text(p.end) ?? 'ongoing'}`;
}

/** The value of a choice element `value[x]` (or `effective[x]`...) in words. */
export function choiceText(r: Json, prefix: string): string | undefined {
  for (const [k, v] of Object.entries(r)) {
    if (!k.startsWith(prefix) || k.length === prefix.length || !/[A-Z]/.test(k[prefix.length]!)) continue;
    const type = k.slice(prefix.length);
    if (type === 'Quantity' || type === 'Age' || type === 'Duration' || type === 'Money') return obj(v) ? quantityText(obj(v)!) : undefined;
    if (type === 'CodeableConcept') return conceptText(v);
    if (type === 'Coding') return codingText(obj(v));
    if (type === 'Period') return periodText(v);
    if (type === 'Reference') return referenceText(v);
    if (type === 'Range') {
      const range = obj(v);
      return range ? `${quantityText(obj(range.low) ?? {}) ?? '?'} to ${quantityText(obj(range.high) ?? {}) ?? '?'}` : undefined;
    }
    return text(v);
  }
  return undefined;
}

function humanName(v: unknown): string | undefined {
  const n = obj(v);
  if (!n) return undefined;
  const given = Array.isArray(n.given) ? n.given.filter(g => typeof g === 'string').join(' ') : '';
  return text(n.text) ?? ([...(Array.isArray(n.prefix) ? n.prefix : []), given, text(n.family) ?? ''].join(' ').replace(/\s+/g, ' ').trim() || undefined);
}

function identifiers(v: unknown): string | undefined {
  const list = arr(v)
    .map(i => `${text(i.value) ?? ''}${text(i.system) ? ` (${text(i.system)})` : ''}`.trim())
    .filter(Boolean);
  return list.length ? list.join('; ') : undefined;
}

export function instanceRows(r: Json): Row[] {
  switch (r.resourceType) {
    case 'Observation':
      return [
        ['Status', text(r.status)],
        ['Category', arr(r.category).map(conceptText).filter(Boolean).join('; ') || undefined],
        ['Code', conceptText(r.code)],
        ['Subject', referenceText(r.subject)],
        ['When', choiceText(r, 'effective')],
        ['Issued', text(r.issued)],
        ['Value', choiceText(r, 'value') ?? conceptText(r.dataAbsentReason)],
        ['Interpretation', arr(r.interpretation).map(conceptText).filter(Boolean).join('; ') || undefined],
        ['Performer', arr(r.performer).map(referenceText).filter(Boolean).join('; ') || undefined],
        ['Identifier', identifiers(r.identifier)]
      ];
    case 'Patient':
    case 'Practitioner':
    case 'RelatedPerson':
    case 'Person':
      return [
        ['Name', arr(r.name).map(humanName).filter(Boolean).join('; ') || undefined],
        ['Identifier', identifiers(r.identifier)],
        ['Gender', text(r.gender)],
        ['Birth date', text(r.birthDate)],
        ['Active', text(r.active)]
      ];
    default:
      return [
        ['Status', text(r.status)],
        ['Identifier', identifiers(r.identifier)],
        ['Name', text(r.name) ?? arr(r.name).map(humanName).filter(Boolean).join('; ') ?? undefined],
        ['Code', conceptText(r.code) ?? conceptText(r.type)],
        ['Subject', referenceText(r.subject) ?? referenceText(r.patient)],
        ['Date', text(r.date) ?? text(r.recorded) ?? text(r.authoredOn) ?? choiceText(r, 'effective') ?? choiceText(r, 'occurrence')]
      ];
  }
}

/** Observation components as table rows: code and value. */
export function componentRows(r: Json): (string | undefined)[][] {
  return arr(r.component).map(c => [conceptText(c.code), choiceText(c, 'value') ?? conceptText(c.dataAbsentReason)]);
}
