/**
 * Ruby Liquid's lax parsing, which Jekyll (and so the IG Publisher) runs pages with, accepts forms
 * that liquidjs refuses or reads otherwise. Real guides rely on two of them, so they are rewritten
 * to the strict form before liquidjs parses the page:
 * - a property named by a variable after a dot, `site.data.structuredefinitions.[id].type`: the
 *   same as `site.data.structuredefinitions[id].type`;
 * - an output inside a tag, `{% assign id = {{include.id}} %}`: lax Liquid reads the expression
 *   inside the braces, `{% assign id = include.id %}`.
 * `{% raw %}` blocks are left exactly as written.
 */
const RAW = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g;
const MARKUP = /\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\}/g;

export function laxLiquid(template: string): string {
  if (!template.includes('.[') && !/\{%[^%]*\{\{/.test(template)) return template;
  let out = '';
  let at = 0;
  for (const raw of template.matchAll(RAW)) {
    out += strict(template.slice(at, raw.index)) + raw[0];
    at = raw.index + raw[0].length;
  }
  return out + strict(template.slice(at));
}

function strict(text: string): string {
  return text.replace(MARKUP, markup => {
    let fixed = markup.replace(/([\w\]])\.\[/g, '$1[');
    if (fixed.startsWith('{%')) fixed = fixed.replace(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g, '$1');
    return fixed;
  });
}

const TAG = /\{%-?\s*([A-Za-z_][\w-]*)([\s\S]*?)-?%\}/g;

/**
 * Tags liquidjs does not know (the IG Publisher's `{% sql %}`, a Jekyll plugin's tag): each is
 * replaced by `replacement(name)` so the rest of the page still renders, where one unknown tag
 * would otherwise fail the whole page's Liquid. `{% raw %}` blocks are left as written; a tag's
 * `end` form counts as known when its opening tag is.
 */
export function replaceUnknownTags(template: string, known: (name: string) => boolean, replacement: (name: string) => string): string {
  const isKnown = (name: string) => known(name) || (name.startsWith('end') && known(name.slice(3)));
  if (![...template.matchAll(TAG)].some(m => !isKnown(m[1]!))) return template;
  let out = '';
  let at = 0;
  const swap = (text: string) => text.replace(TAG, (tag, name: string) => (isKnown(name) ? tag : replacement(name)));
  for (const raw of template.matchAll(RAW)) {
    out += swap(template.slice(at, raw.index)) + raw[0];
    at = raw.index + raw[0].length;
  }
  return out + swap(template.slice(at));
}
