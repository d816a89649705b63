/**
 * Internal link checking over the rendered site: every `href`/`src` to a local file must exist,
 * and every `#fragment` must name an id on the target page.
 */
import type { SiteFiles } from './assets.ts';
import { compareText } from '../../fhir/order.ts';

export interface BrokenLink {
  page: string;
  href: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#61;': '=', '&#96;': '`' };

function decodeAttr(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#61|#96);/g, m => ENTITIES[m]!);
}

export function pageIds(htmlText: string): Set<string> {
  return new Set([...htmlText.matchAll(/\sid="([^"]*)"/g)].map(m => decodeAttr(m[1]!)));
}

/** Links of a page; a `<base href>` names the site root (the 404 page) and is not a link. */
export function pageLinks(htmlText: string): string[] {
  return [...htmlText.replace(/<base\b[^>]*>/gi, '').matchAll(/\s(?:href|src)="([^"]*)"/g)].map(m => decodeAttr(m[1]!));
}

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** `pending` names files that will exist but are written after the check (qa.html, the search index). */
export function findBrokenLinks(files: SiteFiles, pending: readonly string[] = []): BrokenLink[] {
  const later = new Set(pending);
  const idCache = new Map<string, Set<string>>();
  const idsOf = (path: string) => {
    let ids = idCache.get(path);
    if (!ids) idCache.set(path, (ids = pageIds(String(files.get(path) ?? ''))));
    return ids;
  };
  const broken: BrokenLink[] = [];
  for (const [page, content] of [...files].sort(([a], [b]) => compareText(a, b))) {
    if (!page.endsWith('.html') || typeof content !== 'string') continue;
    for (const href of pageLinks(content)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
      const [pathAndQuery, fragment] = splitOnce(href, '#');
      const target = resolvePath(page, pathAndQuery.split('?')[0]!);
      const ok = later.has(target) || (files.has(target) && (!fragment || !target.endsWith('.html') || idsOf(target).has(decodeFragment(fragment))));
      if (!ok) broken.push({ page, href });
    }
  }
  return broken;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function resolvePath(page: string, rel: string): string {
  if (rel === '') return page;
  const parts = page.split('/').slice(0, -1);
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}
