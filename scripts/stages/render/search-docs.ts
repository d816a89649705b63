/**
 * What the search index holds for each page: its plain text (from the rendered body, so every
 * page is searchable, generated ones too), a stored snippet source, and exact keys: ids, names,
 * canonical URLs, codes and invariant keys that a search for exactly that string ranks first.
 */
import type { Artifact } from './model.ts';
import type { Page } from './page.ts';
import type { SearchDoc } from './search.ts';
import { TextMemo } from '../../util/memo.ts';
import { resourceOf } from '../../fhir/r4.ts';

/** Pages never indexed: the search page itself and the 404 page. */
const UNINDEXED = new Set(['searchform.html', '404.html']);
/** Bounds, so a huge page cannot make the index unbounded. */
const MAX_TEXT = 60_000;
const MAX_SNIPPET = 6_000;

/**
 * A resource's JSON and XML views (codeView in page.ts): left out of the index. They repeat, in
 * two syntaxes, what the page's tables, narrative and exact keys already hold, and made up most
 * of the index (its size and its build time) on a guide with many examples.
 */
const CODE_VIEW = /<pre class="vm-code__block"[^>]*>[\s\S]*?<\/pre>/g;

/** Plain text by page body: a dev re-render extracts only the pages whose body changed. */
const plainTexts = new TextMemo<string>(32 * 1024 * 1024);

export function searchDocs(pages: readonly Page[]): SearchDoc[] {
  return pages.filter(p => !UNINDEXED.has(p.path)).map(searchDoc);
}

function searchDoc(p: Page): SearchDoc {
  const plain = plainTexts.get(p.body.value, () => htmlText(p.body.value.replace(CODE_VIEW, ' ')));
  return {
    id: p.path,
    title: p.title,
    kind: p.kind ?? 'Page',
    text: `${p.searchText ?? ''} ${plain}`.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT),
    snippet: plain.slice(0, MAX_SNIPPET),
    keys: [...new Set([p.path.replace(/\.html$/, ''), ...(p.searchKeys ?? [])].map(k => k.toLowerCase()))]
  };
}

/** Plain text of rendered HTML: tags dropped, the few entities our renderer writes decoded. */
export function htmlText(markup: string): string {
  return markup
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(
      /&(amp|lt|gt|quot|#39|#96|#61|nbsp);/g,
      (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', '#61': '=', nbsp: ' ' })[e]!
    )
    .replace(/\s+/g, ' ')
    .trim();
}

interface Concept {
  code?: string;
  concept?: Concept[];
}

/** Exact keys of an artifact: id, name, canonical URL, its own invariant keys and its codes. */
export function artifactKeys(a: Artifact): string[] {
  const r = a.resource;
  const keys = [r.id, r.url, r.name, a.base].filter((k): k is string => typeof k === 'string' && k !== '');
  const elements = resourceOf(r, 'StructureDefinition')?.differential?.element ?? [];
  for (const e of elements) for (const c of e.constraint ?? []) if (c.key) keys.push(c.key);
  const walk = (list: Concept[] | undefined) => {
    for (const c of list ?? []) {
      if (c.code) keys.push(c.code);
      walk(c.concept);
    }
  };
  walk(resourceOf(r, 'CodeSystem')?.concept);
  return keys;
}
