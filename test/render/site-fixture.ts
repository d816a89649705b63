/** The theme folder and a one-call render of a compiled context, for render tests. */
import { join } from 'node:path';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { buildCheckAssets, type CheckAssets } from '../../scripts/stages/render/check/assets.ts';
import { readCheckErrors } from '../../scripts/stages/render/check/samples.ts';
import { renderSite, type SiteOutput } from '../../scripts/stages/render/site.ts';
import { readImages, readPageSources } from '../../scripts/stages/render/stage.ts';
import { REPO_ROOT } from '../helpers/project.ts';

export const THEME_DIR = join(REPO_ROOT, 'site');

export function renderContext(ctx: BuildContext, check?: CheckAssets): SiteOutput {
  return renderSite({
    config: ctx.config,
    resources: ctx.compiled!.resources,
    implementationGuide: ctx.compiled!.implementationGuide,
    validation: ctx.validation,
    pageSources: readPageSources(ctx.paths.pagecontent),
    images: readImages(join(ctx.paths.input, 'images')),
    themeDir: THEME_DIR,
    check
  });
}

/** The check page's payload for a compiled context, as the site stage builds it. */
export function checkAssetsFor(ctx: BuildContext): Promise<CheckAssets> {
  const errors = readCheckErrors(join(ctx.paths.input, 'check-errors')).samples;
  return buildCheckAssets({ packageCache: ctx.paths.packageCache, resources: ctx.compiled!.resources, errors });
}
