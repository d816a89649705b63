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
  return highlighted.get(`${language}\n${code}`, () => (language === 'json' ? jsonMarkup(code) : undefined) ?? hljsMarkup(code, language));
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => HTML_ESCAPES[c]!);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
