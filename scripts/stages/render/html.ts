/**
 * Safe-by-construction HTML: `html` tagged templates escape every interpolated value unless it is
 * already `SafeHtml` (the output of another `html` template, or of an adapter that sanitised it).
 */
import { escapeHtml } from '../../fhir/markup.ts';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export { escapeHtml };

type Value = SafeHtml | string | number | boolean | undefined | null | readonly Value[];

function toHtml(value: Value): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(toHtml).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += toHtml(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

/** Mark text produced by a trusted adapter (sanitised markdown, highlighted code) as HTML. */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}

export function joinHtml(parts: readonly Value[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map(toHtml).join(separator));
}

/** A URL fragment or page link for an element id (ids may hold `:`, `[x]` and `/`). */
export function fragment(id: string): string {
  return encodeURIComponent(id).replace(/%3A/g, ':').replace(/%2F/g, '/');
}
