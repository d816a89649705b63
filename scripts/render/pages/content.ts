/**
 * The author's pages: every source in input/pagecontent, input/pages and input/resource-docs
 * (.md, .xml, .html), in the order and with the titles of sushi-config's `pages:` tree, then any
 * other source by name. A source that other pages only include is a fragment, not a page; intro
 * and notes fragments are shown on their artifact's page instead.
 */
import type { PageConfig } from '../../project/config.ts';
import { pageHtmlName } from '../../project/pages.ts';
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
    .sort((a, b) => (a === 'index.md' ? -1 : b === 'index.md' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(file => ({ file, title: frontMatterTitle(site.pageSources.get(file)) ?? titleOf(file) }));
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

function titleOf(file: string): string {
  const base = file.replace(/\.(md|xml|html)$/, '').replace(/[-_]/g, ' ');
  return base.charAt(0).toUpperCase() + base.slice(1);
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
