/** A new site's writer on its own thread (see `writeSiteWhile` in write.ts). */
import { parentPort } from 'node:worker_threads';
import { serve } from '../threads.ts';
import { writeJob, type WriteJob } from './write.ts';

serve(parentPort, (job: WriteJob) => writeJob(job));
