/**
 * Loading the validator ahead of validation: the sequencer imports this small module at start (the
 * stage itself loads when it first runs), so the thread starts at once, not when the compile
 * next lets the main thread go.
 */
import type { BuildContext } from '../../pipeline/context.ts';

/** The validation thread's job that only loads its validator. */
export interface WarmJob {
  warm: true;
  packageCache: string;
}

/**
 * Start loading the validator on the context's validation thread (the compile calls this, through
 * `ctx.warm`, when it compiles for real), so validation finds it loaded. A failure here is left to
 * the validation itself to report.
 */
export function warmValidation(ctx: BuildContext): void {
  ctx.keptThreads
    ?.get('validate-thread')
    .run({ warm: true, packageCache: ctx.paths.packageCache } satisfies WarmJob)
    .catch(() => undefined);
}
