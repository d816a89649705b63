/**
 * The watcher: chokidar over fsh/, input/, site/ and sushi-config.yaml, turning file events into
 * classified changes delivered in small batches (editors often write a file in several steps).
 */
import { watch, type FSWatcher } from 'chokidar';
import { relative } from 'node:path';
import { classifyChange, isWatchEvent, type Change } from './classify.ts';

export interface WatchOptions {
  /** Quiet time before a batch is delivered; default 20 ms. */
  settleMs?: number;
}

export interface ProjectWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}

export const WATCHED = ['fsh', 'input', 'site', 'sushi-config.yaml'];

export function watchProject(root: string, onChanges: (changes: Change[]) => void, options: WatchOptions = {}): ProjectWatcher {
  const settleMs = options.settleMs ?? 20;
  const watcher: FSWatcher = watch(WATCHED, { cwd: root, ignoreInitial: true, ignored: (p: string) => /(^|[/\\])(node_modules|\.git)([/\\]|$)/.test(p) });
  let pending: Change[] = [];
  let timer: NodeJS.Timeout | undefined;
  watcher.on('all', (event, path) => {
    if (!isWatchEvent(event)) return;
    const change = classifyChange(relative(root, `${root}/${path}`), event);
    if (change.kind === 'ignore') return;
    pending.push(change);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = pending;
      pending = [];
      onChanges(batch);
    }, settleMs);
  });
  const ready = new Promise<void>(ok => watcher.once('ready', () => ok()));
  return {
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    }
  };
}
