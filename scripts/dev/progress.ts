/**
 * Progress for long commands (`vm-ig build`): on a terminal, a spinner naming the running stage
 * and its elapsed time, replaced by the stage's summary line when it ends; plain lines when the
 * output is not a terminal or CI is set; nothing with --quiet. The pipeline logs one line per
 * finished stage, starting with the stage name, which is how the spinner knows to move on.
 */
import { STAGES, formatMs, stageDef, type StageName } from '../pipeline.ts';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Stages expected to run, in order (see `plannedStages`). */
  stages: readonly string[];
  quiet?: boolean;
  stream?: ProgressStream;
  env?: Record<string, string | undefined>;
  intervalMs?: number;
}

export interface Progress {
  mode: 'silent' | 'plain' | 'spinner';
  /** A finished stage's line (or any other progress line). */
  log(line: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/** The stages `runPipeline(targets)` will run: what they need, in table order, if they exist. */
export function plannedStages(targets: readonly StageName[]): StageName[] {
  const wanted = new Set<StageName>();
  for (const t of targets) for (const n of [...stageDef(t).needs, t]) wanted.add(n);
  return STAGES.filter(s => wanted.has(s.name) && s.run).map(s => s.name);
}

export function progressMode(options: Pick<ProgressOptions, 'quiet' | 'stream' | 'env'>): Progress['mode'] {
  if (options.quiet) return 'silent';
  const env = options.env ?? process.env;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return (options.stream ?? process.stdout).isTTY && !ci ? 'spinner' : 'plain';
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stdout;
  const mode = progressMode(options);
  if (mode === 'silent') return { mode, log: () => {}, stop: () => {} };
  if (mode === 'plain') return { mode, log: line => void stream.write(`${line}\n`), stop: () => {} };
  return spinner(stream, options.stages, options.intervalMs ?? 80);
}

function spinner(stream: ProgressStream, stages: readonly string[], intervalMs: number): Progress {
  let index = 0;
  let frame = 0;
  let stageStarted = performance.now();
  const draw = () => {
    const name = stages[index];
    if (name === undefined) return;
    const elapsed = formatMs(performance.now() - stageStarted);
    stream.write(`${CLEAR_LINE}${FRAMES[frame++ % FRAMES.length]} ${name} (${index + 1}/${stages.length}) ${elapsed}`);
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  draw();
  return {
    mode: 'spinner',
    log: line => {
      stream.write(`${CLEAR_LINE}${line}\n`);
      const done = stages.indexOf(line.split(':')[0] ?? '');
      if (done >= index) {
        index = done + 1;
        stageStarted = performance.now();
      }
      draw();
    },
    stop: () => {
      clearInterval(timer);
      stream.write(CLEAR_LINE);
    }
  };
}
