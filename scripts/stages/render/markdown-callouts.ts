/**
 * NHS design-system components from plain markdown, in the GitHub "alert" form: a blockquote
 * whose first paragraph starts with a marker.
 *
 *     > [!INSET] Text...                  -> inset text
 *     > [!WARNING] Heading                -> warning callout with that heading, then the rest
 *     > [!DO] Heading  /  > [!DONT] Heading -> a do or don't list: the heading, then the
 *     > * item                               blockquote's bullet list with tick or cross icons
 *
 * A markdown-it plugin (stages/render/markdown.ts installs it). It only retags tokens the parser made
 * from the author's text and adds fixed icon markup; the author's text stays escaped.
 */
import type MarkdownIt from 'markdown-it';

type Md = InstanceType<typeof MarkdownIt>;
type Token = ReturnType<Md['parse']>[number];
type CoreRule = Parameters<Md['core']['ruler']['after']>[2];
type StateCore = Parameters<CoreRule>[0];
type Kind = 'inset' | 'warning' | 'do' | 'dont';

const MARKER = /^\[!(INSET|WARNING|DO|DONT)\][ \t]*/i;
const KINDS: readonly Kind[] = ['inset', 'warning', 'do', 'dont'];

function isKind(name: string): name is Kind {
  return KINDS.some(k => k === name);
}

const ICONS = {
  do: '<svg class="nhsuk-icon nhsuk-icon--tick" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true"><path d="M11.4 17.5a2 2 0 0 1-2.7.1h-.1L4 12.8a1.5 1.5 0 0 1 2.1-2L10 14.7l8.1-8.1a1.5 1.5 0 1 1 2.2 2l-8.9 9Z"/></svg>',
  dont: '<svg class="nhsuk-icon nhsuk-icon--cross" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true"><path d="M17 18.5c-.4 0-.8-.1-1.1-.4l-10-10c-.6-.6-.6-1.6 0-2.1.6-.6 1.5-.6 2.1 0l10 10c.6.6.6 1.5 0 2.1-.3.3-.6.4-1 .4z M7 18.5c-.4 0-.8-.1-1.1-.4-.6-.6-.6-1.5 0-2.1l10-10c.6-.6 1.5-.6 2.1 0 .6.6.6 1.5 0 2.1l-10 10c-.3.3-.6.4-1 .4z"/></svg>'
};

const CLASSES: Record<Kind, string> = {
  inset: 'nhsuk-inset-text',
  warning: 'nhsuk-card nhsuk-card--warning',
  do: 'nhsuk-card nhsuk-card--feature vm-do-dont',
  dont: 'nhsuk-card nhsuk-card--feature vm-do-dont'
};

export const calloutsPlugin = (md: Md): void => {
  md.core.ruler.after('inline', 'vm_callouts', (state: StateCore) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.type !== 'blockquote_open') continue;
      const inline = tokens[i + 2];
      if (tokens[i + 1]?.type !== 'paragraph_open' || inline?.type !== 'inline') continue;
      const m = MARKER.exec(inline.content);
      if (!m) continue;
      const kind = m[1]!.toLowerCase();
      if (!isKind(kind)) continue;
      const close = matchingClose(tokens, i);
      stripMarker(inline, m[0].length);
      apply(state.Token, tokens, i, close, kind);
    }
  });
};

function matchingClose(tokens: Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]!.type === 'blockquote_open') depth++;
    if (tokens[j]!.type === 'blockquote_close' && --depth === 0) return j;
  }
  return tokens.length - 1;
}

function stripMarker(inline: Token, length: number): void {
  inline.content = inline.content.slice(length);
  const first = inline.children?.[0];
  if (first?.type === 'text') first.content = first.content.replace(MARKER, '');
}

function apply(TokenClass: StateCore['Token'], tokens: Token[], open: number, close: number, kind: Kind): void {
  const html = (content: string) => Object.assign(new TokenClass('html_block', '', 0), { content });
  tokens[open]!.tag = 'div';
  tokens[open]!.attrSet('class', CLASSES[kind]);
  tokens[close]!.tag = 'div';
  const title = tokens[open + 2]!;
  const titleEmpty = title.content.trim() === '';
  if (kind === 'inset') {
    if (titleEmpty) tokens.splice(open + 1, 3);
    tokens.splice(open + 1, 0, html('<span class="nhsuk-u-visually-hidden">Information: </span>'));
    return;
  }
  // The first paragraph is the card's heading; the rest is its content.
  tokens[open + 1]!.tag = 'h3';
  tokens[open + 1]!.attrSet('class', 'nhsuk-card__heading nhsuk-heading-s');
  tokens[open + 3]!.tag = 'h3';
  if (titleEmpty)
    title.children = [Object.assign(new TokenClass('text', '', 0), { content: kind === 'warning' ? 'Important' : kind === 'do' ? 'Do' : "Don't" })];
  tokens.splice(close, 0, html('</div>'));
  if (kind === 'do' || kind === 'dont') markList(tokens, open + 4, close, tokens[open]!.level + 1, kind, html);
  tokens.splice(open + 1, 0, html('<div class="nhsuk-card__content">'));
}

function markList(tokens: Token[], from: number, to: number, level: number, kind: 'do' | 'dont', html: (c: string) => Token): void {
  for (let j = to - 1; j >= from; j--) {
    const t = tokens[j]!;
    if (t.type === 'bullet_list_open' && t.level === level) {
      t.attrSet('class', `nhsuk-list nhsuk-list--${kind === 'do' ? 'tick' : 'cross'}`);
      t.attrSet('role', 'list');
    }
    if (t.type === 'list_item_open' && t.level === level + 1) tokens.splice(j + 1, 0, html(ICONS[kind]));
  }
}
