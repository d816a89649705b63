/**
 * Navigation beside the header menu: for a page in a menu group (the guide's "Guidance"), a side
 * navigation listing the group's pages with the current one marked, and previous / next links in
 * the group's order. Pages outside every group get neither.
 */
import type { MenuItem, ProjectConfig } from '../project/config.ts';

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

export function groupNavigation(config: ProjectConfig, current: string): GroupNavigation | undefined {
  for (const group of config.menu) {
    const links = flatten(group.children);
    const at = links.findIndex(l => l.href === current);
    if (links.length < 2 || at < 0) continue;
    const items = links.map((l, i) => ({ ...l, current: i === at }));
    return { title: group.label, items, previous: at > 0 ? items[at - 1] : undefined, next: at < items.length - 1 ? items[at + 1] : undefined };
  }
  return undefined;
}

function flatten(items: MenuItem[]): { label: string; href: string; current: boolean }[] {
  return items.flatMap(m => [...(m.url && isLocal(m.url) ? [{ label: m.label, href: m.url, current: false }] : []), ...flatten(m.children)]);
}

function isLocal(url: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url);
}
