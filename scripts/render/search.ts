/**
 * The minisearch adapter: builds the search index at build time and emits it as a script
 * (`assets/js/search-index.js`), so the search page works from file:// as well as over HTTP.
 */
import MiniSearch from 'minisearch';
import { compareText } from '../fhir/order.ts';

export interface SearchDoc {
  id: string;
  title: string;
  kind: string;
  text: string;
}

/** Options shared by the build and the browser script (site/assets/js/search.js mirrors them). */
export const SEARCH_OPTIONS = { fields: ['title', 'kind', 'text'], storeFields: ['title', 'kind'] };

export function buildSearchScript(docs: readonly SearchDoc[]): string {
  const index = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  index.addAll([...docs].sort((a, b) => compareText(a.id, b.id)));
  const payload = JSON.stringify({ options: SEARCH_OPTIONS, index: index.toJSON() });
  return `window.VMIG_SEARCH = ${payload.replace(/</g, '\\u003c')};\n`;
}
