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
  return highlighted.get(`${language}\n${code}`, () => hljs.highlight(code, { language, ignoreIllegals: true }).value);
}
