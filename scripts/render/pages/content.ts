/**
 * The author's pages: index.md and every input/pagecontent/*.md, in sushi-config's order.
 * Include lines are swapped for generated tables after markdown rendering, so authors choose
 * where tables go and markdown never sees their HTML.
 */
import type { Diagnostic } from '../../model.ts';
import type { PageConfig } from '../../project/config.ts';
import { html, trusted } from '../html.ts';
import { renderMarkdown } from '../markdown.ts';
import type { Page, SiteContext } from '../page.ts';
import { INCLUDES } from './includes.ts';

const INCLUDE_LINE = /^[ \t]*\{%\s*include\s+(\S+)\s*%\}[ \t]*$/gm;

export interface ContentPage {
  file: string;
  title: string;
}

/** Pages in sushi-config order (children after parents), then any other .md files by name. */
export function contentPages(site: SiteContext): ContentPage[] {
  const flatten = (pages: PageConfig[]): ContentPage[] => pages.flatMap(p => [{ file: p.file, title: p.title }, ...flatten(p.children)]);
  const ordered = flatten(site.config.pages).filter(p => site.pageSources.has(p.file));
  const listed = new Set(ordered.map(p => p.file));
  const rest = [...site.pageSources.keys()].filter(f => !listed.has(f)).sort().map(file => ({ file, title: titleOf(file) }));
  return [...ordered, ...rest];
}

function titleOf(file: string): string {
  const base = file.replace(/\.md$/, '').replace(/[-_]/g, ' ');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

export function contentPage(site: SiteContext, page: ContentPage): Page {
  const source = site.pageSources.get(page.file) ?? '';
  const placed: string[] = [];
  const fences = fencedRanges(source);
  const marked = source.replace(INCLUDE_LINE, (line, name: string, offset: number) => {
    // Inside a fenced code block an include is an example of the syntax: it stays literal.
    if (fences.some(([start, end]) => offset >= start && offset < end)) return line;
    const render = INCLUDES[name];
    const made = render?.(site);
    if (!made) {
      site.diagnostics.push(includeProblem(page.file, lineOf(source, offset), name, Boolean(render)));
      return line.replace(/[{}%]/g, '');
    }
    placed.push(made.value);
    return `\n\nVMIGINCLUDE${placed.length - 1}VMIG\n\n`;
  });
  const rendered = renderMarkdown(marked, { topLevel: 2 });
  const body = rendered.html.replace(/<p>VMIGINCLUDE(\d+)VMIG<\/p>/g, (_m, i: string) => placed[Number(i)]!);
  const path = page.file.replace(/\.md$/, '.html');
  return { path, title: page.title, body: html`${trusted(body)}`, toc: rendered.headings.filter(h => h.level <= 3), searchText: source, kind: 'Page' };
}

/** Offsets [start, end) of fenced code blocks (``` or ~~~, up to 3 spaces in; an unclosed fence runs to the end). */
function fencedRanges(source: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open: { char: string; length: number; start: number } | undefined;
  let offset = 0;
  for (const line of source.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      if (fence && fence[1]![0] === open.char && fence[1]!.length >= open.length && line.trim() === fence[1]) {
        ranges.push([open.start, offset + line.length]);
        open = undefined;
      }
    } else if (fence && !(fence[1]![0] === '`' && line.slice(fence[0].length).includes('`'))) {
      open = { char: fence[1]![0]!, length: fence[1]!.length, start: offset };
    }
    offset += line.length + 1;
  }
  if (open) ranges.push([open.start, source.length]);
  return ranges;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function includeProblem(file: string, line: number, name: string, known: boolean): Diagnostic {
  const message = known
    ? `cannot generate '${name}': the guide has no code system it is built from`
    : `unknown include '${name}'; known: ${Object.keys(INCLUDES).join(', ')}`;
  return { severity: 'warning', rule: 'site-include', message, location: { file: `input/pagecontent/${file}`, line, column: 1 } };
}
