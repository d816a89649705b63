/** The highlight.js adapter: JSON and XML only. Its output escapes the code it is given. */
import hljs from 'highlight.js/lib/core';
import json from 'highlight.js/lib/languages/json';
import xml from 'highlight.js/lib/languages/xml';

import { TextMemo } from '../memo.ts';

hljs.registerLanguage('json', json);
hljs.registerLanguage('xml', xml);

/** Every resource's JSON and XML is highlighted on each render: unchanged ones only once a session. */
const highlighted = new TextMemo<string>(32 * 1024 * 1024);

export function highlightCode(code: string, language: 'json' | 'xml'): string {
  return highlighted.get(`${language}\n${code}`, () => (language === 'json' ? jsonMarkup(code) : xmlMarkup(code)) ?? hljsMarkup(code, language));
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
  const out: string[] = [];
  JSON_TOKEN.lastIndex = 0;
  while (JSON_TOKEN.lastIndex < code.length) {
    const m = JSON_TOKEN.exec(code);
    if (!m) return undefined;
    const [, string, colon, punctuation, number, literal, space] = m;
    if (string !== undefined) {
      out.push(`<span class="hljs-${colon === undefined ? 'string' : 'attr'}">${escapeHtml(string)}</span>`);
      if (colon !== undefined) out.push(`${colon.slice(0, -1)}<span class="hljs-punctuation">:</span>`);
    } else if (punctuation !== undefined) out.push(`<span class="hljs-punctuation">${punctuation}</span>`);
    else if (number !== undefined) out.push(`<span class="hljs-number">${number}</span>`);
    else if (literal !== undefined) out.push(`<span class="hljs-literal"><span class="hljs-keyword">${literal}</span></span>`);
    else out.push(space!);
  }
  return out.join('');
}

/** One JSON token: a string (a key when a colon follows), punctuation, a number, a literal, space. */
const JSON_TOKEN = /("(?:\\.|[^\\"\r\n])*")(\s*:)?|([{}[\],])|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.])|(true|false|null)(?!\w)|(\s+)/y;

/**
 * XML as highlight.js marks it up, for the XML the renderer writes (fhir-xml.ts: the declaration,
 * elements with double-quoted attributes, text, entity and character references; the test checks
 * it against highlight.js on every resource of a guide). Anything else (comments, CDATA, a
 * doctype, other processing instructions, single quotes, a bare `&` in text, `<script>` and
 * `<style>`, which highlight.js hands to other languages) is left to highlight.js: undefined.
 */
export function xmlMarkup(code: string): string | undefined {
  const out: string[] = [];
  XML_TOKEN.lastIndex = 0;
  while (XML_TOKEN.lastIndex < code.length) {
    const m = XML_TOKEN.exec(code);
    if (!m) return undefined;
    const [, declaration, close, open, attributes, selfClosing, text] = m;
    if (declaration !== undefined) out.push(XML_DECLARATION_MARKUP);
    else if (close !== undefined) out.push(`<span class="hljs-tag">&lt;/<span class="hljs-name">${close}</span>&gt;</span>`);
    else if (open !== undefined) {
      if (/^(?:script|style)$/i.test(open)) return undefined;
      out.push(`<span class="hljs-tag">&lt;<span class="hljs-name">${open}</span>`);
      XML_ATTRIBUTE.lastIndex = 0;
      for (const [, name, value] of attributes!.matchAll(XML_ATTRIBUTE)) {
        out.push(` <span class="hljs-attr">${name}</span>=<span class="hljs-string">&quot;${withEntities(value!)}&quot;</span>`);
      }
      out.push(selfClosing ? '/&gt;</span>' : '&gt;</span>');
    } else out.push(withEntities(text!));
  }
  return out.join('');
}

/**
 * One XML token: the declaration, a closing tag, an opening tag, or text up to the next `<`.
 * References are matched as highlight.js matches them (its XML is case-insensitive).
 */
const XML_TOKEN =
  /(<\?xml version="1\.0" encoding="UTF-8"\?>)|<\/([A-Za-z][\w.-]*)>|<([A-Za-z][\w.-]*)((?: [A-Za-z_][\w.:-]*="[^"<]*")*)(\/?)>|((?:[^<&]|&(?:[A-Za-z]+|#[0-9]+|#[xX][a-fA-F0-9]+);)+)/y;
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
