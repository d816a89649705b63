/** The validate stage's work on its own thread (see `validateOnThread` in stage.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { answer } from '../threads.ts';
import { validateGuide } from './guide.ts';
import type { ValidateThreadData } from './stage.ts';

const data = workerData as ValidateThreadData;

void answer(parentPort, async () => validateGuide(data.packageCache, data.resources, data.request));
