/** The check page's definitions payload on its own thread (see `payloadOnThread` in assets.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { answer } from '../../threads.ts';
import { definitionsPayload, type PayloadInput } from './assets.ts';

void answer(parentPort, async () => definitionsPayload(workerData as PayloadInput));
