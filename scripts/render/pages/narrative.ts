/** A narrative generated from an instance's data when it carries none: a nested definition list. */
import { html, joinHtml, type SafeHtml } from '../html.ts';
import type { FhirResource } from '../../model.ts';
import type { SiteContext } from '../page.ts';

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
  if (Array.isArray(v)) return joinHtml(v.map(x => value(site, key, x, depth)), depth < 4 ? '' : ', ');
  if (v && typeof v === 'object') return depth < 4 ? valueList(site, v as Record<string, unknown>, depth + 1) : html`<code>${JSON.stringify(v)}</code>`;
  const text = String(v);
  const target = key === 'reference' ? site.index.byRef.get(text) : undefined;
  return target ? html`<a href="${target.page}">${text}</a>` : html`${text}`;
}
