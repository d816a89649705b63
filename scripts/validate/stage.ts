/** The validate stage (issue #4). Undefined until the validator lands: the pipeline says so. */
import type { StageRun } from '../context.ts';

export const validateStage: StageRun | undefined = undefined;
