/** The validate stage's work on its own thread (see `validateOnThread` in stage.ts). */
import { parentPort } from 'node:worker_threads';
import { serve } from '../../util/threads.ts';
import { validateGuide } from '../../lib/validator/guide.ts';
import type { ValidateThreadData } from './stage.ts';

serve(parentPort, (job: ValidateThreadData) => validateGuide(job.packageCache, job.resources, { ...job.request, dependencies: job.dependencies }));
