/**
 * The IG Publisher's `{% fragment Type/id FORMAT [BASE:path] [EXCEPT:names] %}` Liquid tag: a
 * resource of the guide, or part of it, shown as code in a page. FORMAT is JSON (the default) or
 * XML; BASE picks an element to show (`component[1]`, `code.coding`); EXCEPT leaves out the
 * named child elements (`identifier`, `component[0]`, comma-separated), each shown as `...`.
 */
import { isJsonObject } from '../../../fhir/json.ts';
import { isObjectLike } from '../guards.ts';
import { highlightCode } from '../highlight.ts';
import { html, trusted } from '../html.ts';
import type { SiteContext } from '../page.ts';
import { toFhirXml } from '../../../fhir/xml-writer.ts';

const ELIDED = 'VMIG-ELIDED-9c41f2';

export function resourceFragment(site: SiteContext, args: string): string | undefined {
  const [ref, ...rest] = args.split(/\s+/).filter(Boolean);
  const target = ref ? site.index.byRef.get(ref) : undefined;
  if (!target) return undefined;
  const format = rest.find(r => /^(json|xml|ttl)$/i.test(r))?.toLowerCase() ?? 'json';
  const option = (name: string) => rest.find(r => r.toUpperCase().startsWith(`${name}:`))?.slice(name.length + 1);
  const base = option('BASE');
  const except = (option('EXCEPT') ?? '').split(',').filter(Boolean);
  let node: unknown = structuredClone(target.resource);
  if (base) {
    node = walk(node, base);
    if (node === undefined) return undefined;
  }
  for (const path of except) elide(node, path);
  let code: string;
  let language: 'json' | 'xml';
  if (format === 'xml') {
    if (base || !node || typeof node !== 'object') return undefined;
    const resource = dropElided(node);
    if (!isJsonObject(resource)) return undefined;
    code = toFhirXml(resource);
    language = 'xml';
  } else {
    code = JSON.stringify(node, null, 2)
      .split('\n')
      .map(line => (line.includes(ELIDED) ? `${/^\s*/.exec(line)![0]}...` : line))
      .join('\n');
    language = 'json';
  }
  return html`<pre class="vm-fragment" tabindex="0"><code class="hljs language-${language}">${trusted(highlightCode(code, language))}</code></pre>`.value;
}

/** `a.b[1].c`: the element, the first item of a list without an index. */
function walk(node: unknown, path: string): unknown {
  let at = node;
  for (const step of path.split('.')) {
    const m = /^([A-Za-z_][\w-]*)(?:\[(\d+)\])?$/.exec(step);
    if (!m || !isObjectLike(at)) return undefined;
    at = at[m[1]!];
    if (Array.isArray(at)) at = at[m[2] === undefined ? 0 : Number(m[2])];
    else if (m[2] !== undefined && m[2] !== '0') return undefined;
  }
  return at;
}

function elide(node: unknown, path: string): void {
  const m = /^([A-Za-z_][\w-]*)(?:\[(\d+)\])?$/.exec(path.trim());
  if (!m || !isObjectLike(node)) return;
  const record = node;
  const value = record[m[1]!];
  if (value === undefined) return;
  if (m[2] !== undefined && Array.isArray(value)) {
    if (Number(m[2]) < value.length) value[Number(m[2])] = ELIDED;
  } else record[m[1]!] = ELIDED;
}

function dropElided(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter(v => v !== ELIDED).map(dropElided);
  if (node && typeof node === 'object')
    return Object.fromEntries(
      Object.entries(node)
        .filter(([, v]) => v !== ELIDED)
        .map(([k, v]) => [k, dropElided(v)])
    );
  return node;
}
