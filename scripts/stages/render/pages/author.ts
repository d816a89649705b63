/**
 * One author source (a page, an intro or notes fragment) to safe HTML, the way the IG Publisher
 * treats it: Liquid first (includes, variables), then markdown with raw HTML and kramdown
 * attributes for `.md`, the text as XHTML for `.xml` and `.html`; then the allow-list sanitiser;
 * generated fragments are put in place last, so they never pass through markdown.
 */
import type { Heading } from '../markdown.ts';
import { renderPageMarkdown, slugify } from '../markdown.ts';
import { html, trusted, type SafeHtml } from '../html.ts';
import { placeFragments, renderLiquid, type IncludeTarget } from '../liquid.ts';
import type { SiteContext } from '../page.ts';
import { sanitizePageHtml, sanitizeSvg } from '../sanitize.ts';
import { liquidVariables } from './site-data.ts';
import { TextMemo } from '../../../util/memo.ts';
import { INCLUDES } from './includes.ts';
import { generatedFragment } from './fragments.ts';
import { splitFrontMatter } from '../front-matter.ts';
import { resourceFragment } from './fragment-tag.ts';

export interface AuthorSource {
  text: string;
  /** Project-relative path, for diagnostics. */
  file: string;
  /** File name or key the source is known by (`index.md`), for `page.*` variables. */
  name: string;
}

export interface RenderedSource {
  body: SafeHtml;
  headings: Heading[];
}

/**
 * Markdown rendered and sanitised, by the text Liquid produced (both steps depend on nothing
 * else): a dev re-render after an FSH edit renders again only the pages whose text changed.
 */
const pageHtml = new TextMemo<{ html: string; headings: Heading[] }>(32 * 1024 * 1024, r => r.html.length);

export function renderAuthorSource(site: SiteContext, source: AuthorSource, topLevel = 2): RenderedSource {
  const markdown = /\.md$/.test(source.name) || !/\.(xml|html)$/.test(source.name);
  const { data, body } = splitFrontMatter(source.text);
  const variables = liquidVariables(site, source.name);
  const liquid = renderLiquid(body, {
    file: source.file,
    markdown,
    variables: Object.keys(data).length ? { ...variables, page: { ...variables.page, ...data } } : variables,
    resolveInclude: name => resolveInclude(site, name),
    resolveFragment: args => resourceFragment(site, args)
  });
  site.diagnostics.push(...liquid.diagnostics);
  if (markdown) {
    const rendered = pageHtml.get(`${topLevel}\n${liquid.text}`, () => {
      const { html, headings } = renderPageMarkdown(liquid.text, { topLevel });
      return { html: sanitizePageHtml(html), headings };
    });
    return { body: trusted(placeFragments(rendered.html, liquid.placed)), headings: rendered.headings.map(h => ({ ...h })) };
  }
  const clean = pageHtml.get(`xhtml\n${liquid.text}`, () => ({ html: sanitizePageHtml(liquid.text.replace(/^\s*<\?xml[^>]*\?>/, '')), headings: [] })).html;
  const withIds = addHeadingIds(clean);
  return { body: trusted(placeFragments(withIds.html, liquid.placed)), headings: withIds.headings };
}

/** XHTML pages: headings keep their ids, or get one from their text, and feed the page's contents. */
function addHeadingIds(text: string): { html: string; headings: Heading[] } {
  const headings: Heading[] = [];
  const used = new Set([...text.matchAll(/\sid="([^"]*)"/g)].map(m => m[1]!));
  const out = text.replace(/<h([1-6])((?:\s[^>]*)?)>([\s\S]*?)<\/h\1>/g, (whole, level: string, attrs: string, inner: string) => {
    const label = inner.replace(/<[^>]*>/g, '').trim();
    const own = /\sid="([^"]*)"/.exec(attrs)?.[1];
    let id = own ?? slugify(label);
    if (!own) {
      for (let n = 1; used.has(id); n++) id = `${slugify(label)}-${n}`;
      used.add(id);
    }
    if (!/(^|\s)no_toc(\s|")/.test(attrs)) headings.push({ level: Number(level), id, text: label });
    return own ? whole : `<h${level} id="${id}"${attrs}>${inner}</h${level}>`;
  });
  return { html: out, headings };
}

/**
 * What `{% include name %}` means, in the IG Publisher's order of places: a table this toolchain
 * generates from the guide's code systems, a file in input/includes, a sibling page or
 * intro/notes fragment, a fragment the IG Publisher generates (fragments.ts), an image.
 */
export function resolveInclude(site: SiteContext, name: string): IncludeTarget | undefined {
  const generated = INCLUDES[name];
  if (generated) {
    const made = generated(site);
    return made ? { kind: 'html', html: made.value } : { kind: 'missing', why: 'the guide has no code system it is built from' };
  }
  const include = site.includes?.get(name) ?? site.pageSources.get(name) ?? site.introNotes?.get(name.replace(/\.(md|xml|html)$/, ''))?.text;
  if (include !== undefined) return /\.svg$/i.test(name) ? { kind: 'html', html: sanitizeSvg(include) } : { kind: 'text', text: include };
  const fragment = generatedFragment(site, name);
  if (fragment) return fragment;
  const image = site.images?.get(name);
  if (image !== undefined) {
    if (/\.svg$/i.test(name)) return { kind: 'html', html: sanitizeSvg(new TextDecoder().decode(image)) };
    return { kind: 'html', html: html`<img src="${name}" alt="" />`.value };
  }
  return undefined;
}
