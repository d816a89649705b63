/**
 * The site stage in the build cache: build/site is reused when everything the render reads is
 * what it was made from (the compiled guide, the validation report, the package, the build's
 * messages, the project's inputs and theme, the toolchain) and the folder still holds exactly the
 * files written then, byte for byte (a file edited, added or removed there, and the site is
 * rendered again). A dev page edit (only some pages re-rendered) is never cached.
 */
import type { BuildContext } from '../context.ts';
import { compileKey } from '../compile/cache.ts';
import { compiledDigest, KeyHash, sameTree, sha256, treeHashes, type StageCache } from '../stage-cache.ts';

interface Saved {
  files: Record<string, string>;
  pages: string[];
}

export const siteCache: StageCache = {
  key: ctx => (ctx.pagesChanged || !ctx.compiled ? undefined : siteKey(ctx)),
  save: ctx => {
    const files = ctx.sitePages ? treeHashes(ctx.paths.site) : undefined;
    return files && ctx.sitePages ? ({ files, pages: ctx.sitePages } satisfies Saved) : undefined;
  },
  restore: (ctx, saved) => {
    if (!isSaved(saved) || !sameTree(treeHashes(ctx.paths.site), saved.files)) return false;
    ctx.sitePages = saved.pages;
    // A dev session renders it in memory once it has shown it, so its next page edit is quick.
    ctx.afterReload?.push(async () => (await import('./stage.ts')).primeSiteRenderer(ctx));
    return true;
  }
};

function siteKey(ctx: BuildContext): string {
  return new KeyHash()
    .add('inputs', compileKey(ctx.paths, ctx.config))
    .addTree(ctx.paths.theme, ctx.paths.root)
    .add('compiled', compiledDigest(ctx))
    .add('validation', JSON.stringify(ctx.validation ?? null))
    .add('package', ctx.packageBytes ? sha256(ctx.packageBytes) : 'none')
    .add('messages', JSON.stringify(ctx.buildDiagnostics))
    .digest();
}

function isSaved(value: unknown): value is Saved {
  const s = value as Partial<Saved> | null;
  return typeof s?.files === 'object' && s.files !== null && Array.isArray(s.pages) && s.pages.every(p => typeof p === 'string');
}
