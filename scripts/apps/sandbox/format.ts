/**
 * Content negotiation and serialisation: JSON (preferred) or XML, chosen by `_format` or else by
 * the Accept header, answered with the FHIR media types. XML comes from the project's one FHIR
 * JSON -> XML writer.
 */
import type { FhirResource } from '../../model/resources.ts';
import { toFhirXml } from '../../fhir/xml-writer.ts';

export type Format = 'json' | 'xml';

export const MEDIA_TYPES: Record<Format, string> = { json: 'application/fhir+json', xml: 'application/fhir+xml' };

const FORMAT_VALUES: Record<string, Format> = {
  json: 'json',
  'application/fhir+json': 'json',
  'application/json': 'json',
  xml: 'xml',
  'application/fhir+xml': 'xml',
  'application/xml': 'xml',
  'text/xml': 'xml'
};

/** The format a `_format` value asks for, or undefined when it names none we serve. */
export function formatParam(value: string): Format | undefined {
  return FORMAT_VALUES[value.trim().toLowerCase().split(';')[0]!.trim()];
}

/** The format the Accept header prefers: the highest q among the types we serve, JSON on a tie. */
export function acceptFormat(accept: string | undefined): Format {
  if (!accept) return 'json';
  let best: { format: Format; q: number } = { format: 'json', q: -1 };
  for (const range of accept.slice(0, 1024).split(',')) {
    const [type, ...params] = range.split(';').map(s => s.trim().toLowerCase());
    const q = qOf(params);
    const format = FORMAT_VALUES[type ?? ''] ?? (type === '*/*' || type === 'application/*' ? 'json' : undefined);
    if (format && (q > best.q || (q === best.q && format === 'json'))) best = { format, q };
  }
  return best.format;
}

function qOf(params: string[]): number {
  const q = params.find(p => p.startsWith('q='));
  const n = q ? Number(q.slice(2)) : 1;
  return Number.isFinite(n) ? n : 0;
}

export function serialise(resource: FhirResource, format: Format): string {
  return format === 'xml' ? toFhirXml(resource) : JSON.stringify(resource);
}
