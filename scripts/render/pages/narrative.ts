/** A narrative generated from an instance's data when it carries none: a nested definition list. */
import { html, joinHtml, type SafeHtml } from '../html.ts';
import type { FhirResource } from '../../model.ts';
import type { SiteContext } from '../page.ts';
import { isJsonObject } from '../../fhir/json.ts';

const SKIP = new Set(['resourceType', 'id', 'meta', 'text']);

export function generatedNarrative(site: SiteContext, resource: FhirResource): SafeHtml {
  return html`<p class="vm-narrative__note">Generated narrative: ${resource.resourceType} <code>${resource.id ?? ''}</code></p>${valueList(site, resource, 0)}`;
}

function valueList(site: SiteContext, node: Record<string, unknown>, depth: number): SafeHtml {
  const items = Object.entries(node)
    .filter(([k]) => !SKIP.has(k) || depth > 0)
    .map(([k, v]) => html`<dt>${k}</dt><dd>${value(site, k, v, depth)}</dd>`);
  return html`<dl class="vm-generated">${items}</dl>`;
}

function value(site: SiteContext, key: string, v: unknown, depth: number): SafeHtml {
  if (Array.isArray(v))
    return joinHtml(
      v.map(x => value(site, key, x, depth)),
      depth < 4 ? '' : ', '
    );
  if (isJsonObject(v)) return compact(site, v) ?? (depth < 4 ? valueList(site, v, depth + 1) : html`<code>${JSON.stringify(v)}</code>`);
  const text = String(v);
  const target = key === 'reference' ? site.index.byRef.get(text) : undefined;
  return target ? html`<a href="${target.page}">${text}</a>` : html`${text}`;
}

/** One-line forms for the common datatypes: Coding, CodeableConcept, Reference, Identifier, Period. */
function compact(site: SiteContext, v: Record<string, unknown>): SafeHtml | undefined {
  const keys = Object.keys(v);
  const only = (...allowed: string[]) => keys.every(k => allowed.includes(k));
  if (typeof v.code === 'string' && only('system', 'code', 'display', 'version')) return coding(v);
  if (Array.isArray(v.coding) && only('coding', 'text')) {
    const parts = v.coding.filter(isJsonObject).map(coding);
    return joinHtml(typeof v.text === 'string' ? [...parts, html`"${v.text}"`] : parts, '; ');
  }
  if (typeof v.reference === 'string' && only('reference', 'display', 'type')) {
    const target = site.index.byRef.get(v.reference);
    const label = typeof v.display === 'string' ? `${v.display} (${v.reference})` : v.reference;
    return target ? html`<a href="${target.page}">${label}</a>` : html`${label}`;
  }
  if (typeof v.value === 'string' && only('system', 'value', 'use'))
    return html`${v.value} <span class="vm-narrative__system">(${String(v.system ?? '')})</span>`;
  if (only('start', 'end') && keys.length) return html`${String(v.start ?? '')} to ${String(v.end ?? '')}`;
  return undefined;
}

function coding(c: Record<string, unknown>): SafeHtml {
  return html`${String(c.display ?? c.code)} <span class="vm-narrative__system">(<code>${String(c.code)}</code> from ${String(c.system ?? 'no system')})</span>`;
}
