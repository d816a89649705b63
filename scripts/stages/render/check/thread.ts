/**
 * The check page's payload made on its own thread (a one-off build's site stage: see
 * `checkAssetsOnThread` in ../stage.ts), while the site's pages are made on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { serve } from '../../../util/threads.ts';
import type { WarmCheckJob } from '../warm.ts';
import { buildCheckAssets, warmCheckAssets, type CheckAssets, type CheckAssetsInput } from './assets.ts';

/** Make the payload, or (`warm`) only load what making it needs while the guide compiles. */
export type CheckThreadJob = CheckAssetsInput | WarmCheckJob;

serve(parentPort, async (job: CheckThreadJob): Promise<CheckAssets | undefined> => {
  if (!('warm' in job)) return buildCheckAssets(job);
  await warmCheckAssets(job.packageCache);
  return undefined;
});
