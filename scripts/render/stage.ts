/** The site stage (issue #5). Undefined until the renderer lands: the pipeline says so. */
import type { StageRun } from '../context.ts';

export const renderStage: StageRun | undefined = undefined;
