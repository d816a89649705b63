/**
 * Process tuning, imported first by the CLI. SUSHI allocates many short-lived objects (deep
 * clones of element definitions); a larger young generation cuts garbage-collection time, which
 * measured about 25-35% of a compile here (bench/README.md has the figures). Raising the limit
 * only lets V8 grow the young generation when it needs to.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--max-semi-space-size=64');

/**
 * For a long-running process that makes much the same garbage over and over (`vm-ig dev`, which
 * renders the site again after every edit): V8 lets the old generation grow to several times what
 * is live before it collects, so a dev session's peak memory rose from about 0.9 GB to 2.1 GB over
 * 100 FSH edits of this guide, all of it garbage. Growing the heap by half of what is live at a
 * time kept it near 0.9 GB, with no change in an edit's time (`npm run bench -- dev`).
 */
export function keepHeapNearLive(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}
