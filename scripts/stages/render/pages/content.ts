/**
 * The author's pages: every source in input/pagecontent, input/pages and input/resource-docs
 * (.md, .xml, .html), in the order and with the titles of sushi-config's `pages:` tree, then any
 * other source by name. A source that other pages only include is a fragment, not a page; intro
 * and notes fragments are shown on their artifact's page instead.
 */
import type { PageConfig } from '../../../project/config.ts';
import { pageHtmlName } from '../../../project/pages.ts';
import { html } from '../html.ts';
import type { Page, SiteContext } from '../page.ts';
import { renderAuthorSource } from './author.ts';
import { splitFrontMatter } from '../front-matter.ts';

export interface ContentPage {
  file: string;
  title: string;
  /** Breadcrumb parents from the `pages:` tree. */
  parents?: { label: string; href: string }[];
}

const INCLUDE_NAME = /\{%-?\s*include\s+([^\s%}]+)/g;

/** Pages in sushi-config order (children after parents), then the other sources by name. */
export function contentPages(site: SiteContext): ContentPage[] {
  const flatten = (pages: PageConfig[], parents: ContentPage['parents']): ContentPage[] =>
    pages.flatMap(p => {
      const here = { file: p.file, title: p.title, parents };
      const href = pageHtmlName(p.file);
      return [here, ...flatten(p.children, [...(parents ?? []), { label: p.title, href }])];
    });
  const ordered = flatten(site.config.pages, undefined).filter(p => site.pageSources.has(p.file));
  const listed = new Set(ordered.map(p => p.file));
  const fragments = includedNames(site);
  const rest = [...site.pageSources.keys()]
    .filter(f => !listed.has(f) && !fragments.has(f))
    .sort(comparePageFiles)
    // SUSHI titles the index page no `pages:` entry lists "Home" (its IGExporter), not a title from the name.
    .map(file => ({ file, title: frontMatterTitle(site.pageSources.get(file)) ?? (isIndex(file) ? 'Home' : titleOf(file)) }));
  return [...ordered, ...rest];
}

/** Names other sources `{% include %}`: those are fragments unless `pages:` lists them. */
function includedNames(site: SiteContext): Set<string> {
  const names = new Set<string>();
  for (const [file, text] of site.pageSources) {
    for (const m of text.matchAll(INCLUDE_NAME)) if (m[1] !== file) names.add(m[1]!);
  }
  return names;
}

/** The `title` of a page's YAML front matter, as Jekyll reads it. */
function frontMatterTitle(text: string | undefined): string | undefined {
  const title = text === undefined ? undefined : splitFrontMatter(text).data.title;
  return typeof title === 'string' && title.trim() ? title.trim() : undefined;
}

/**
 * SUSHI's order for pages no `pages:` entry lists (its IGExporter): index first, then the names
 * with a numeric prefix (`1_intro.md`, `10_usage.md`) by that number, then the rest by name. The
 * prefix orders only: it stays in the page's file name (`1_intro.html`), not in its title.
 */
export function comparePageFiles(a: string, b: string): number {
  if (a === b) return 0;
  if (isIndex(a) || isIndex(b)) return isIndex(a) ? -1 : 1;
  const pa = numericPrefix(a);
  const pb = numericPrefix(b);
  if (pa !== undefined && pb !== undefined && pa !== pb) return pa - pb;
  if ((pa === undefined) !== (pb === undefined)) return pa === undefined ? 1 : -1;
  return a < b ? -1 : 1;
}

function isIndex(file: string): boolean {
  return /^index\.(md|xml|html)$/.test(file);
}

function numericPrefix(file: string): number | undefined {
  const m = /^(\d+)_/.exec(file);
  return m ? Number.parseInt(m[1]!, 10) : undefined;
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'if', 'in', 'nor', 'of', 'on', 'or', 'per', 'the', 'to', 'via', 'vs', 'with']);

/**
 * A page's title from its file name as SUSHI makes it: the numeric prefix dropped, the name split
 * into words (separators, camelCase and digit boundaries), each word capitalised except short
 * joining words inside the title (`ProfileConsumers.md` -> "Profile Consumers", `2_how-to-use.md` -> "How to Use").
 */
export function titleOf(file: string): string {
  const base = file.replace(/\.(md|xml|html)$/, '').replace(/^\d+_/, '');
  const words = base
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, (_m, a?: string, b?: string, c?: string, d?: string) => (a ? `${a} ${b}` : `${c} ${d}`))
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words
    .map((w, i) => (i > 0 && i < words.length - 1 && SMALL_WORDS.has(w.toLowerCase()) ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

export function contentPage(site: SiteContext, page: ContentPage): Page {
  const source = site.pageSources.get(page.file) ?? '';
  const file = site.pageFiles?.get(page.file) ?? `input/pagecontent/${page.file}`;
  const rendered = renderAuthorSource(site, { text: source, file, name: page.file });
  const path = pageHtmlName(page.file);
  return {
    path,
    title: page.title,
    body: html`${rendered.body}`,
    toc: rendered.headings.filter(h => h.level <= 3),
    parents: page.parents,
    searchText: splitFrontMatter(source).body,
    kind: 'Page'
  };
}
