/** The highlight.js adapter: JSON and XML only. Its output escapes the code it is given. */
import hljs from 'highlight.js/lib/core';
import json from 'highlight.js/lib/languages/json';
import xml from 'highlight.js/lib/languages/xml';

hljs.registerLanguage('json', json);
hljs.registerLanguage('xml', xml);

export function highlightCode(code: string, language: 'json' | 'xml'): string {
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
