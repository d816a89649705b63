/**
 * The site stage in the build cache: build/site is reused when everything the render reads is
 * what it was made from (the compiled guide, the validation report, the package, the build's
 * messages, the project's inputs and theme, the toolchain) and the folder still holds exactly the
 * files written then, byte for byte (a file edited, added or removed there, and the site is
 * rendered again). A dev page edit (only some pages re-rendered) is never cached.
 */
import { join } from 'node:path';
import type { BuildContext } from '../../pipeline/context.ts';
import { compileKey, validationKey } from '../../pipeline/stage-keys.ts';
import { compiledDigest, KeyHash, sameTree, treeHashes, type StageCache } from '../../pipeline/stage-cache.ts';
import { writtenTrees } from './written-tree.ts';
import { isJsonObject } from '../../fhir/json.ts';
import { dataFolders, implementationGuideParameters, insideProject } from '../../project/data-files.ts';

interface Saved {
  files: Record<string, string>;
  pages: string[];
}

export const siteCache: StageCache = {
  key: ctx => (ctx.pagesChanged || !ctx.compiled ? undefined : siteKey(ctx)),
  save: ctx => {
    const files = ctx.sitePages ? (writtenTrees.get(ctx) ?? treeHashes(ctx.paths.site)) : undefined;
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

/**
 * Known when the stage starts, so the site may be rendered while validation still runs (see
 * `late` in pipeline/sequencer.ts): the validation report and the package are named by the keys of their
 * stages' inputs (each a function of those), not by their contents; the messages are those of
 * the configuration, compile and narrative (the package's follow from its inputs).
 */
function siteKey(ctx: BuildContext): string | undefined {
  const validation = validationKey(ctx);
  if (!validation) return undefined;
  return new KeyHash()
    .add('inputs', compileKey(ctx.paths, ctx.config))
    .addTree(ctx.paths.theme, ctx.paths.root)
    .add('data', dataFoldersOutsideInput(ctx))
    .add('compiled', compiledDigest(ctx))
    .add('validation', validation)
    .add('changes', JSON.stringify(ctx.changes ?? null))
    .add('messages', JSON.stringify([...ctx.configDiagnostics, ...['compile', 'narrative'].flatMap(s => ctx.stageDiagnostics.get(s) ?? [])]))
    .digest();
}

/**
 * The author's data files in `path-data` folders outside input/ (input/ is in the compile's key
 * already): pages read them as `site.data`, so an edit there renders the site again.
 */
function dataFoldersOutsideInput(ctx: BuildContext): string {
  const folders = dataFolders(ctx.config.raw.parameters, implementationGuideParameters(ctx.compiled?.implementationGuide?.resource));
  const hash = new KeyHash();
  for (const folder of folders.filter(f => insideProject(f) && !`${f}/`.startsWith('input/'))) hash.addTree(join(ctx.paths.root, folder), ctx.paths.root);
  return hash.digest();
}

function isSaved(value: unknown): value is Saved {
  return (
    isJsonObject(value) &&
    typeof value.files === 'object' &&
    value.files !== null &&
    Array.isArray(value.pages) &&
    value.pages.every((p: unknown) => typeof p === 'string')
  );
}
