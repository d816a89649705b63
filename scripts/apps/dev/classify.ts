/**
 * What a changed file means for the dev loop. Pure: a project-relative path (and the watcher's
 * event) in, the smallest rebuild that covers it out. The session merges several changes that
 * arrive together with `widerChange`.
 */

/**
 * - `page`: one markdown page; re-render that page and the search index.
 * - `site`: a theme template or asset, or an include; re-render every page.
 * - `compile`: FSH; compile, validate and render the affected artifacts.
 * - `reload`: sushi-config.yaml or predefined resources; reload definitions, then as `compile`.
 * - `ignore`: nothing the site depends on.
 */
export type ChangeKind = 'ignore' | 'page' | 'site' | 'compile' | 'reload';

const WATCH_EVENTS = ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const;

export type WatchEvent = (typeof WATCH_EVENTS)[number];

/** A file event the watcher delivers (chokidar's `all` also names `ready`, `raw` and `error`, which it does not pass on). */
export function isWatchEvent(event: string): event is WatchEvent {
  return WATCH_EVENTS.some(e => e === event);
}

export interface Change {
  kind: ChangeKind;
  /** Project-relative path with forward slashes. */
  path: string;
  /** For `page`: the file name inside input/pagecontent, e.g. `index.md`. */
  page?: string;
}

const ORDER: readonly ChangeKind[] = ['ignore', 'page', 'site', 'compile', 'reload'];

/** Editor droppings and generated folders never trigger a rebuild. */
const IGNORED = [/(^|\/)\.[^/]*$/, /~$/, /\.swp$/, /\.swx$/, /\.tmp$/, /(^|\/)4913$/, /#[^/]*#$/];

export function classifyChange(path: string, event: WatchEvent = 'change'): Change {
  const rel = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const kind = kindOf(rel, event);
  const page = kind === 'page' ? rel.slice('input/pagecontent/'.length) : undefined;
  return page === undefined ? { kind, path: rel } : { kind, path: rel, page };
}

function kindOf(rel: string, event: WatchEvent): ChangeKind {
  if (IGNORED.some(re => re.test(rel))) return 'ignore';
  if (rel === 'sushi-config.yaml') return 'reload';
  if (rel.startsWith('fsh/') || rel.startsWith('input/fsh/')) return rel.endsWith('.fsh') || event === 'unlinkDir' ? 'compile' : 'ignore';
  if (rel.startsWith('input/pagecontent/')) return pageKind(rel, event);
  if (/^input\/(resources|examples|vocabulary|extensions|profiles|capabilities|models|operations)\//.test(rel)) return 'reload';
  if (rel.startsWith('input/')) return 'site';
  if (rel.startsWith('site/')) return 'site';
  return 'ignore';
}

/** Editing a page touches only that page; adding or removing one changes the IG's page list. */
function pageKind(rel: string, event: WatchEvent): ChangeKind {
  const isPage = /\.(md|xml|html)$/.test(rel) && !rel.slice('input/pagecontent/'.length).includes('/');
  if (!isPage) return 'site';
  return event === 'change' ? 'page' : 'compile';
}

/** The wider of two changes: one rebuild that covers both. */
export function widerChange(a: ChangeKind, b: ChangeKind): ChangeKind {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** Merge a batch of changes into one plan: the widest kind and the pages touched. */
export function planChanges(changes: readonly Change[]): { kind: ChangeKind; pages: string[]; changes: Change[] } {
  let kind: ChangeKind = 'ignore';
  const pages = new Set<string>();
  for (const c of changes) {
    kind = widerChange(kind, c.kind);
    if (c.page) pages.add(c.page);
  }
  return { kind, pages: [...pages].sort(), changes: changes.filter(c => c.kind !== 'ignore') };
}
