/** The package stage (issue #6). Undefined until the packager lands: the pipeline says so. */
import type { StageRun } from '../context.ts';

export const packageStage: StageRun | undefined = undefined;
