/**
 * Progress for long commands (`vm-ig build`): on a terminal, a spinner naming the running stage
 * and its elapsed time, replaced by the stage's summary line when it ends; plain lines when the
 * output is not a terminal or CI is set; nothing with --quiet. It follows the pipeline's stage
 * start and end events.
 */
import { severityCounts } from '../../model/diagnostic-groups.ts';
import { formatMs, type PipelineEvent } from '../../pipeline/sequencer.ts';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  quiet?: boolean;
  stream?: ProgressStream;
  env?: Record<string, string | undefined>;
  intervalMs?: number;
}

export interface Progress {
  mode: 'silent' | 'plain' | 'spinner';
  /** Subscribe this to the pipeline's events. */
  onEvent(event: PipelineEvent): void;
  stop(): void;
}

type StageEnd = Extract<PipelineEvent, { type: 'stage-end' }>;

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/** A finished stage's line: `compile: 3 profiles; 0 errors, 0 warnings (1.20 s)`. */
export function stageLine(event: StageEnd): string {
  return `${event.stage}: ${event.outcome.summary}; ${severityCounts(event.outcome.diagnostics)} (${formatMs(event.ms)})`;
}

export function progressMode(options: Pick<ProgressOptions, 'quiet' | 'stream' | 'env'>): Progress['mode'] {
  if (options.quiet) return 'silent';
  const env = options.env ?? process.env;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return (options.stream ?? process.stdout).isTTY && !ci ? 'spinner' : 'plain';
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stdout;
  const mode = progressMode(options);
  if (mode === 'silent') return { mode, onEvent: () => {}, stop: () => {} };
  if (mode === 'plain') return { mode, onEvent: e => void (e.type === 'stage-end' && stream.write(`${stageLine(e)}\n`)), stop: () => {} };
  return spinner(stream, options.intervalMs ?? 80);
}

function spinner(stream: ProgressStream, intervalMs: number): Progress {
  // Stages may overlap (validation on a second thread beside the site): the latest one still running is shown.
  const running: { event: Extract<PipelineEvent, { type: 'stage-start' }>; started: number }[] = [];
  let frame = 0;
  const draw = () => {
    const shown = running.at(-1);
    if (!shown) return;
    const elapsed = formatMs(performance.now() - shown.started);
    stream.write(`${CLEAR_LINE}${FRAMES[frame++ % FRAMES.length]} ${shown.event.stage} (${shown.event.index + 1}/${shown.event.total}) ${elapsed}`);
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  return {
    mode: 'spinner',
    onEvent: e => {
      if (e.type === 'stage-start') running.push({ event: e, started: performance.now() });
      else {
        const at = running.findIndex(r => r.event.stage === e.stage);
        if (at >= 0) running.splice(at, 1);
        stream.write(`${CLEAR_LINE}${stageLine(e)}\n`);
      }
      draw();
    },
    stop: () => {
      clearInterval(timer);
      stream.write(CLEAR_LINE);
    }
  };
}
