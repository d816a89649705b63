import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, plannedStages, progressMode } from '../../scripts/dev/progress.ts';
import { STAGES } from '../../scripts/pipeline.ts';

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

  it('prints plain lines as they come', () => {
    const stream = fakeStream(false);
    const p = createProgress({ stages: ['compile'], stream, env: {} });
    p.log('compile: 3 profiles; 0 errors, 0 warnings (1.20 s)');
    p.stop();
    expect(stream.writes).toEqual(['compile: 3 profiles; 0 errors, 0 warnings (1.20 s)\n']);
  });

  it('prints nothing when quiet', () => {
    const stream = fakeStream(true);
    const p = createProgress({ stages: ['compile'], stream, env: {}, quiet: true });
    p.log('compile: done');
    p.stop();
    expect(stream.writes).toEqual([]);
  });

  it('spins on the running stage, replaces it with the finished line, and moves to the next', () => {
    vi.useFakeTimers();
    const stream = fakeStream(true);
    const p = createProgress({ stages: ['compile', 'validate'], stream, env: {}, intervalMs: 10 });
    vi.advanceTimersByTime(25);
    expect(stream.writes.at(-1)).toMatch(/^\r\x1b\[2K. compile \(1\/2\) \d+ ms$/);
    const frames = new Set(stream.writes.map(w => w.charAt(5)));
    expect(frames.size).toBeGreaterThan(1);
    p.log('compile: 2 codeSystems; 0 errors, 0 warnings (2.00 s)');
    expect(stream.writes).toContain('\r\x1b[2Kcompile: 2 codeSystems; 0 errors, 0 warnings (2.00 s)\n');
    expect(stream.writes.at(-1)).toMatch(/ validate \(2\/2\) /);
    p.stop();
    const count = stream.writes.length;
    vi.advanceTimersByTime(50);
    expect(stream.writes.length).toBe(count);
    expect(stream.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('plans the stages a target needs, in table order, skipping missing ones', () => {
    const existing = STAGES.filter(s => s.run).map(s => s.name);
    expect(plannedStages(['compile'])).toEqual(['compile']);
    expect(plannedStages(['site'])).toEqual(['compile', 'narrative', 'validate', 'site'].filter(n => existing.includes(n as never)));
    expect(plannedStages(STAGES.map(s => s.name))).toEqual(existing);
  });
});
