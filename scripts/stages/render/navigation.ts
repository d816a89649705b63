/**
 * Navigation beside the header menu: for a page in a menu group (the guide's "Guidance"), a side
 * navigation listing the group's pages with the current one marked, and previous / next links in
 * the group's order. Pages outside every group get neither.
 */
import type { MenuItem, ProjectConfig } from '../../project/config.ts';

/** Renders Liquid in a URL (`SiteContext.resourceLiquid`). */
type Liquid = (text: string) => { text: string } | undefined;

export interface NavLink {
  label: string;
  href: string;
  current: boolean;
}

export interface GroupNavigation {
  title: string;
  items: NavLink[];
  previous?: NavLink;
  next?: NavLink;
}

export function groupNavigation(config: ProjectConfig, current: string, liquid?: Liquid): GroupNavigation | undefined {
  for (const group of config.menu) {
    const links = flatten(group.children, liquid);
    const at = links.findIndex(l => l.href === current);
    if (links.length < 2 || at < 0) continue;
    const items = links.map((l, i) => ({ ...l, current: i === at }));
    return { title: group.label, items, previous: at > 0 ? items[at - 1] : undefined, next: at < items.length - 1 ? items[at + 1] : undefined };
  }
  return undefined;
}

function flatten(items: MenuItem[], liquid?: Liquid): { label: string; href: string; current: boolean }[] {
  return items.flatMap(m => {
    const url = m.url === undefined ? undefined : menuUrl(m.url, liquid);
    return [...(url && isLocal(url) ? [{ label: m.label, href: url, current: false }] : []), ...flatten(m.children, liquid)];
  });
}

/**
 * A menu URL as SUSHI writes it into menu.xml: without its `new-tab` and `external` keywords, and
 * with its Liquid (`{{site.data.fhir.path}}index.html`) rendered.
 */
export function menuUrl(url: string, liquid?: Liquid): string {
  let out = url.trim();
  for (let m = /^(new-tab|external)\s+/.exec(out); m; m = /^(new-tab|external)\s+/.exec(out)) out = out.slice(m[0].length);
  if (liquid && /\{\{|\{%/.test(out)) out = liquid(out)?.text.trim() ?? out;
  return out;
}

function isLocal(url: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url);
}
