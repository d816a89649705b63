/**
 * The minisearch adapter: builds the search index at build time and emits it as a script
 * (`assets/js/search-index.js`), so the search page works from file:// as well as over HTTP.
 * Beside the index go the exact keys (an id, code or invariant key typed in full ranks its page
 * first) and each page's snippet source.
 */
import MiniSearch from 'minisearch';
import { compareText } from '../../fhir/order.ts';

export interface SearchDoc {
  id: string;
  title: string;
  kind: string;
  text: string;
  /** Plain text stored for result snippets (not indexed). */
  snippet?: string;
  /** Lower-case exact keys: a query equal to one ranks this page first. */
  keys?: string[];
}

/** Options shared by the build and the browser script (site/assets/js/search.js mirrors them). */
export const SEARCH_OPTIONS = { fields: ['title', 'kind', 'text', 'keywords'], storeFields: ['title', 'kind', 'snippet'] };

export function buildSearchScript(docs: readonly SearchDoc[]): string {
  const index = new MiniSearch<SearchDoc & { keywords: string }>(SEARCH_OPTIONS);
  const sorted = [...docs].sort((a, b) => compareText(a.id, b.id));
  index.addAll(sorted.map(d => ({ ...d, keywords: (d.keys ?? []).join(' ') })));
  const exactIds = new Map<string, string[]>();
  for (const d of sorted) {
    for (const k of d.keys ?? []) {
      const ids = exactIds.get(k) ?? [];
      exactIds.set(k, ids);
      if (!ids.includes(d.id)) ids.push(d.id);
    }
  }
  // An object made from the map has the same key order in JSON (integer-like keys first).
  const exact = Object.fromEntries(exactIds);
  const payload = JSON.stringify({ options: SEARCH_OPTIONS, index: index.toJSON(), exact });
  return `window.VMIG_SEARCH = ${payload.replace(/</g, '\\u003c')};\n`;
}
