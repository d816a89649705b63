import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, progressMode } from '../../scripts/apps/dev/progress.ts';
import { planStages, type PipelineEvent, type StageName } from '../../scripts/pipeline/sequencer.ts';
import type { Diagnostic } from '../../scripts/model/diagnostics.ts';

const start = (stage: StageName, index: number, total: number): PipelineEvent => ({ type: 'stage-start', stage, index, total });
const end = (stage: StageName, index: number, total: number, summary: string, ms: number, diagnostics: Diagnostic[] = []): PipelineEvent => ({
  type: 'stage-end',
  stage,
  index,
  total,
  ms,
  outcome: { summary, diagnostics }
});
const warning: Diagnostic = { severity: 'warning', rule: 'fsh', message: 'w' };

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (t: string) => writes.push(t) };
}

describe('progress', () => {
  afterEach(() => vi.useRealTimers());

  it('picks spinner on a terminal, plain lines without one or under CI, nothing when quiet', () => {
    expect(progressMode({ stream: fakeStream(true), env: {} })).toBe('spinner');
    expect(progressMode({ stream: fakeStream(false), env: {} })).toBe('plain');
    expect(progressMode({ stream: fakeStream(true), env: { CI: 'true' } })).toBe('plain');
    expect(progressMode({ stream: fakeStream(true), env: { CI: 'false' } })).toBe('spinner');
    expect(progressMode({ stream: fakeStream(true), env: {}, quiet: true })).toBe('silent');
  });

  it('prints a plain line as each stage ends', () => {
    const stream = fakeStream(false);
    const p = createProgress({ stream, env: {} });
    p.onEvent(start('compile', 0, 1));
    p.onEvent(end('compile', 0, 1, '3 profiles', 1200, [warning]));
    p.stop();
    expect(stream.writes).toEqual(['compile: 3 profiles; 0 errors, 1 warning (1.20 s)\n']);
  });

  it('prints nothing when quiet', () => {
    const stream = fakeStream(true);
    const p = createProgress({ stream, env: {}, quiet: true });
    p.onEvent(start('compile', 0, 1));
    p.onEvent(end('compile', 0, 1, 'done', 5));
    p.stop();
    expect(stream.writes).toEqual([]);
  });

  it('spins on the running stage, replaces it with the finished line, and moves to the next', () => {
    vi.useFakeTimers();
    const stream = fakeStream(true);
    const p = createProgress({ stream, env: {}, intervalMs: 10 });
    p.onEvent(start('compile', 0, 2));
    vi.advanceTimersByTime(25);
    expect(stream.writes.at(-1)).toMatch(/^\r\x1b\[2K. compile \(1\/2\) \d+ ms$/);
    const frames = new Set(stream.writes.map(w => w.charAt(5)));
    expect(frames.size).toBeGreaterThan(1);
    p.onEvent(end('compile', 0, 2, '2 codeSystems', 2000));
    expect(stream.writes).toContain('\r\x1b[2Kcompile: 2 codeSystems; 0 errors, 0 warnings (2.00 s)\n');
    p.onEvent(start('validate', 1, 2));
    expect(stream.writes.at(-1)).toMatch(/ validate \(2\/2\) /);
    p.stop();
    const count = stream.writes.length;
    vi.advanceTimersByTime(50);
    expect(stream.writes.length).toBe(count);
    expect(stream.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('plans the stages a target needs, in table order', () => {
    expect(planStages(['compile'])).toEqual(['compile']);
    expect(planStages(['validate'])).toEqual(['compile', 'narrative', 'validate']);
    expect(planStages(['site'])).toEqual(['compile', 'narrative', 'diff', 'validate', 'package', 'site']);
    expect(planStages(['package', 'narrative'])).toEqual(['compile', 'narrative', 'validate', 'package']);
  });
});
