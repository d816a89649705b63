/**
 * Loading what the site stage's second thread needs ahead of the stage: the sequencer imports this
 * small module at start (the stage itself loads when it first runs), so the thread starts at once.
 */
import type { BuildContext } from '../../pipeline/context.ts';

/** A job of the check page's thread (check/thread.ts): only load what making the payload needs. */
export interface WarmCheckJob {
  warm: true;
  packageCache: string;
}

/**
 * Start loading the check page's thread while the guide compiles (through `ctx.warm`). Only a
 * one-off build makes the payload there; a dev session makes it after the reload, in process.
 */
export function warmSite(ctx: BuildContext): void {
  if (ctx.session) return;
  ctx.keptThreads
    ?.get('check-thread')
    .run({ warm: true, packageCache: ctx.paths.packageCache } satisfies WarmCheckJob)
    .catch(() => undefined);
}
