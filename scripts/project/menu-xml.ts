/**
 * input/includes/menu.xml, the IG Publisher's menu: a `<ul>` of `<li><a href>label</a></li>`
 * items, a dropdown being an `<li>` whose `<ul>` holds the sub-items. SUSHI prefers this file to
 * the `menu:` of sushi-config.yaml, and so do we. Read as text: only `li`, `a` and `ul` matter.
 */
import type { MenuItem } from './config.ts';

const TAG = /<(\/?)(ul|li|a)\b([^>]*)>|([^<]+)|<[^>]*>/gi;

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseMenuXml(xml: string): MenuItem[] {
  const root: MenuItem = { label: '', children: [] };
  const stack: MenuItem[] = [root];
  let current: MenuItem | undefined;
  let inLink = false;
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of text.matchAll(TAG)) {
    const [, close, tag, attrs, chars] = m;
    const name = tag?.toLowerCase();
    if (chars !== undefined) {
      if (inLink && current) current.label = `${current.label} ${decode(chars)}`.trim();
    } else if (name === 'li' && !close) {
      current = { label: '', children: [] };
      stack[stack.length - 1]!.children.push(current);
    } else if (name === 'ul' && !close && current) {
      stack.push(current);
    } else if (name === 'ul' && close && stack.length > 1) {
      current = stack.pop();
    } else if (name === 'a' && !close) {
      inLink = true;
      const href = /\bhref\s*=\s*"([^"]*)"|\bhref\s*=\s*'([^']*)'/i.exec(attrs ?? '');
      const url = href ? decode(href[1] ?? href[2] ?? '') : undefined;
      if (current && url && url !== '#') current.url = url;
    } else if (name === 'a' && close) {
      inLink = false;
    }
  }
  return prune(root.children);
}

function prune(items: MenuItem[]): MenuItem[] {
  return items.filter(i => i.label).map(i => ({ ...i, children: prune(i.children) }));
}
