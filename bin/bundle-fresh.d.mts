/** Whether dist/cli.js is no older than every file under `root`/scripts. */
export function bundleIsFresh(root: string): boolean;
