/** The validate stage's work on its own thread (see `validateOnThread` in stage.ts). */
import { parentPort } from 'node:worker_threads';
import { serve } from '../../util/threads.ts';
import { validateGuide, warmValidator } from '../../lib/validator/guide.ts';
import type { ValidateThreadJob } from './stage.ts';

serve(parentPort, (job: ValidateThreadJob) =>
  job.warm ? warmValidator(job.packageCache) : validateGuide(job.packageCache, job.resources, { ...job.request, dependencies: job.dependencies })
);
