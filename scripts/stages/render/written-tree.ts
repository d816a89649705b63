/** What the site stage last wrote, so its cache entry need not hash the site again. */
import type { BuildContext } from '../../pipeline/context.ts';

/** The hashes of the site a context's last site run wrote fresh (see writeSiteAtomically), until its next run. */
export const writtenTrees = new WeakMap<BuildContext, Record<string, string>>();

export function noteWrittenTree(ctx: BuildContext, tree: Record<string, string> | undefined): void {
  if (tree) writtenTrees.set(ctx, tree);
  else writtenTrees.delete(ctx);
}
