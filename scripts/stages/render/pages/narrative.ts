/**
 * An instance's narrative on its page, as the IG Publisher shows it: the instance's own
 * (sanitised); a Bundle's entry by entry, each with its resource's narrative (sanitised as every
 * narrative is); or, for an instance that carries none, one generated from its data (a nested
 * definition list, where any narrative or resource met inside is rendered, never shown as text).
 */
import { html, joinHtml, trusted, type SafeHtml } from '../html.ts';
import type { FhirResource } from '../../../model/resources.ts';
import type { SiteContext } from '../page.ts';
import { isJsonObject } from '../../../fhir/json.ts';
import { sanitizeNarrative } from '../sanitize.ts';

const SKIP = new Set(['resourceType', 'id', 'meta', 'text']);
/** Bundles inside bundles inside bundles: deeper entries are listed without their narratives. */
const MAX_DEPTH = 3;

export function resourceNarrative(site: SiteContext, resource: FhirResource, depth = 0): SafeHtml {
  if (resource.resourceType === 'Bundle') return bundleNarrative(site, resource, depth);
  const div = narrativeDiv(resource.text);
  return div !== undefined ? trusted(sanitizeNarrative(div)) : generatedNarrative(site, resource);
}

function narrativeDiv(text: unknown): string | undefined {
  return isJsonObject(text) && typeof text.div === 'string' && text.div.trim() !== '' ? text.div : undefined;
}

function isResource(v: unknown): v is FhirResource {
  return isJsonObject(v) && typeof v.resourceType === 'string';
}

/** A Bundle: its type, then each entry (full URL, the resource's narrative, request, search and response). */
function bundleNarrative(site: SiteContext, bundle: FhirResource, depth: number): SafeHtml {
  const entries = Array.isArray(bundle.entry) ? bundle.entry.filter(isJsonObject) : [];
  const parts = entries.map((e, i) => {
    const resource = isResource(e.resource) ? e.resource : undefined;
    const fullUrl = typeof e.fullUrl === 'string' ? html` - fullUrl = <code>${e.fullUrl}</code>` : '';
    const local = resource ? site.index.byRef.get(`${resource.resourceType}/${resource.id ?? ''}`) : undefined;
    const title = resource ? html`<p><b>Resource ${resource.resourceType}${local ? html` (<a href="${local.page}">${local.base}</a>)` : ''}:</b></p>` : '';
    const body = resource
      ? depth < MAX_DEPTH
        ? html`<div class="vm-narrative__entry">${resourceNarrative(site, resource, depth + 1)}</div>`
        : html`<p>${resource.resourceType} <code>${resource.id ?? ''}</code></p>`
      : '';
    const facts = (['request', 'search', 'response'] as const).flatMap(k => {
      const part = e[k];
      return isJsonObject(part) ? [html`<p><b>${k.charAt(0).toUpperCase() + k.slice(1)}:</b> ${joinHtml(entryFacts(part), ', ')}</p>`] : [];
    });
    return html`<hr /><p><b>Entry ${i + 1}</b>${fullUrl}</p>${title}${body}${facts}`;
  });
  const type = typeof bundle.type === 'string' ? html` of type <code>${bundle.type}</code>` : '';
  return html`<p><b>Bundle</b> <code>${bundle.id ?? ''}</code>${type}${entries.length ? '' : ', with no entries'}</p>${parts}`;
}

function entryFacts(v: Record<string, unknown>): SafeHtml[] {
  return Object.entries(v)
    .filter(([, x]) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
    .map(([k, x]) => html`${k} = <code>${String(x)}</code>`);
}

export function generatedNarrative(site: SiteContext, resource: FhirResource): SafeHtml {
  return html`<p class="vm-narrative__note">Generated narrative: ${resource.resourceType} <code>${resource.id ?? ''}</code></p>${valueList(site, resource, 0)}`;
}

/** A narrative (Composition.section.text, a contained resource's text) or a resource met inside another. */
function embedded(site: SiteContext, key: string, v: Record<string, unknown>, depth: number): SafeHtml | undefined {
  if (isResource(v)) return depth < MAX_DEPTH ? html`<div class="vm-narrative__entry">${resourceNarrative(site, v, depth + 1)}</div>` : undefined;
  const div = key === 'text' || typeof v.status === 'string' ? narrativeDiv(v) : undefined;
  return div !== undefined ? html`<div class="vm-narrative__entry">${trusted(sanitizeNarrative(div))}</div>` : undefined;
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
  if (isJsonObject(v))
    return embedded(site, key, v, depth) ?? compact(site, v) ?? (depth < 4 ? valueList(site, v, depth + 1) : html`<code>${JSON.stringify(v)}</code>`);
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
