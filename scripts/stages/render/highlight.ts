/** The highlight.js adapter: JSON and XML only. Its output escapes the code it is given. */
import hljs from 'highlight.js/lib/core';
import json from 'highlight.js/lib/languages/json';
import xml from 'highlight.js/lib/languages/xml';

import { TextMemo } from '../../util/memo.ts';

hljs.registerLanguage('json', json);
hljs.registerLanguage('xml', xml);

/** Every resource's JSON and XML is highlighted on each render: unchanged ones only once a session. */
const highlighted = new TextMemo<string>(32 * 1024 * 1024);

/**
 * Code longer than this is shown escaped without colours: highlighting it gains a reader nothing,
 * and regular expressions over one huge token (a 20 MB string) can exhaust the stack.
 */
export const MAX_HIGHLIGHT_CHARS = 2 * 1024 * 1024;

export function highlightCode(code: string, language: 'json' | 'xml'): string {
  if (code.length > MAX_HIGHLIGHT_CHARS) return escapeHtml(code);
  return highlighted.get(`${language}\n${code}`, () => {
    try {
      return (language === 'json' ? jsonMarkup(code) : xmlMarkup(code)) ?? hljsMarkup(code, language);
    } catch (e) {
      // A backtracking stack exhausted by one long token: the code as plain escaped text.
      if (e instanceof RangeError) return escapeHtml(code);
      throw e;
    }
  });
}

/** highlight.js itself (also what test/render/highlight.test.ts compares the JSON fast path with). */
export function hljsMarkup(code: string, language: 'json' | 'xml'): string {
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/**
 * JSON as highlight.js marks it up, for the JSON the renderer writes (strict JSON; the test checks
 * it against highlight.js on every resource of a guide): the same spans and escapes, about ten
 * times faster. Anything it does not recognise (comments, single quotes, NaN) is left to
 * highlight.js: undefined.
 */
export function jsonMarkup(code: string): string | undefined {
  return tokenMarkup(code, JSON_TOKEN, ([, string, colon, punctuation, number, literal, space]) => {
    if (string !== undefined) {
      const key = colon === undefined ? '' : `${colon.slice(0, -1)}<span class="hljs-punctuation">:</span>`;
      return `<span class="hljs-${colon === undefined ? 'string' : 'attr'}">${escapeHtml(string)}</span>${key}`;
    }
    if (punctuation !== undefined) return `<span class="hljs-punctuation">${punctuation}</span>`;
    if (number !== undefined) return `<span class="hljs-number">${number}</span>`;
    if (literal !== undefined) return `<span class="hljs-literal"><span class="hljs-keyword">${literal}</span></span>`;
    return space!;
  });
}

/**
 * Each token of `code` in turn (a sticky pattern that matches from where the last one ended),
 * marked up by `each`; undefined when the pattern does not match somewhere or `each` declines.
 */
function tokenMarkup(code: string, token: RegExp, each: (m: RegExpExecArray) => string | undefined): string | undefined {
  const out: string[] = [];
  token.lastIndex = 0;
  while (token.lastIndex < code.length) {
    const m = token.exec(code);
    const piece = m ? each(m) : undefined;
    if (piece === undefined) return undefined;
    out.push(piece);
  }
  return out.join('');
}

/** One JSON token: a string (a key when a colon follows), punctuation, a number, a literal, space. */
const JSON_TOKEN = /("[^\\"\r\n]*(?:\\.[^\\"\r\n]*)*")(\s*:)?|([{}[\],])|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.])|(true|false|null)(?!\w)|(\s+)/y;

/**
 * XML as highlight.js marks it up, for the XML the renderer writes (fhir-xml.ts: the declaration,
 * elements with double-quoted attributes, text, entity and character references; the test checks
 * it against highlight.js on every resource of a guide). Anything else (comments, CDATA, a
 * doctype, other processing instructions, single quotes, a bare `&` in text, `<script>` and
 * `<style>`, which highlight.js hands to other languages) is left to highlight.js: undefined.
 */
export function xmlMarkup(code: string): string | undefined {
  return tokenMarkup(code, XML_TOKEN, ([, declaration, close, open, attributes, selfClosing, text]) => {
    if (declaration !== undefined) return XML_DECLARATION_MARKUP;
    if (close !== undefined) return `<span class="hljs-tag">&lt;/<span class="hljs-name">${close}</span>&gt;</span>`;
    if (open === undefined) return withEntities(text!);
    if (/^(?:script|style)$/i.test(open)) return undefined;
    const attrs = [...attributes!.matchAll(XML_ATTRIBUTE)].map(
      ([, name, value]) => ` <span class="hljs-attr">${name}</span>=<span class="hljs-string">&quot;${withEntities(value!)}&quot;</span>`
    );
    return `<span class="hljs-tag">&lt;<span class="hljs-name">${open}</span>${attrs.join('')}${selfClosing ? '/&gt;' : '&gt;'}</span>`;
  });
}

/**
 * One XML token: the declaration, a closing tag, an opening tag, or text up to the next `<`.
 * References are matched as highlight.js matches them (its XML is case-insensitive).
 */
const XML_TOKEN =
  /(<\?xml version="1\.0" encoding="UTF-8"\?>)|<\/([A-Za-z][\w.-]*)>|<([A-Za-z][\w.-]*)((?: [A-Za-z_][\w.:-]*="[^"<]*")*)(\/?)>|((?:[^<&]+|&(?:[A-Za-z]+|#[0-9]+|#[xX][a-fA-F0-9]+);)+)/y;
const XML_ATTRIBUTE = / ([A-Za-z_][\w.:-]*)="([^"<]*)"/g;
const XML_DECLARATION_MARKUP =
  '<span class="hljs-meta">&lt;?xml version=<span class="hljs-string">&quot;1.0&quot;</span> encoding=<span class="hljs-string">&quot;UTF-8&quot;</span>?&gt;</span>';

/** Text or an attribute value: escaped, each entity or character reference marked as highlight.js does. */
function withEntities(text: string): string {
  return text.replace(/&(?:[A-Za-z]+|#[0-9]+|#[xX][a-fA-F0-9]+);|[&<>"']/g, c =>
    c.length > 1 ? `<span class="hljs-symbol">&amp;${c.slice(1)}</span>` : HTML_ESCAPES[c]!
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => HTML_ESCAPES[c]!);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
