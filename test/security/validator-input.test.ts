/**
 * `vm-ig validate` on hostile input: regular expressions and the narrative checker stay linear on
 * 1 MB of adversarial text (measured as a 100 KB : 1 MB time ratio in a child process, so a
 * catastrophic pattern fails by timeout instead of hanging the suite), devices and FIFOs are
 * refused, the size and node limits hold, and control characters never reach the terminal.
 */
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCommand } from '../../scripts/commands/validate.ts';
import { LIMITS } from '../../scripts/lib/validator/parse.ts';
import { REPO_ROOT, tempDir } from '../helpers/project.ts';

/** Adversarial inputs (as a function of length) for every pattern that sees user input. */
const CASES = `
const DIV = '<div xmlns="http://www.w3.org/1999/xhtml">';
const fill = (unit, n, tail = '') => unit.repeat(Math.ceil(n / unit.length)) + tail;
export const cases = {
  'base64Binary groups and spaces': [n => fill('AAAA ', n, '!'), s => checkPrimitive('base64Binary', s)],
  'base64Binary spaces only between': [n => fill(' AAA', n, '!'), s => checkPrimitive('base64Binary', s)],
  'code with single spaces': [n => fill('a ', n, '  x'), s => checkPrimitive('code', s)],
  'oid with many arcs': [n => 'urn:oid:1' + fill('.1', n, '.'), s => checkPrimitive('oid', s)],
  'uri with a late space': [n => fill('a', n, ' '), s => checkPrimitive('uri', s)],
  'id far too long': [n => fill('a', n), s => checkPrimitive('id', s)],
  'dateTime with long fraction': [n => '2020-01-01T00:00:00.' + fill('0', n, 'x'), s => checkPrimitive('dateTime', s)],
  'instant with long fraction': [n => '2020-01-01T00:00:00.' + fill('0', n, 'x'), s => checkPrimitive('instant', s)],
  'time with long fraction': [n => '10:00:00.' + fill('0', n, 'x'), s => checkPrimitive('time', s)],
  'narrative <a x repeated': [n => DIV + fill('<a x ', n), s => narrativeProblems(s)],
  'narrative unclosed comments': [n => DIV + fill('<!--', n), s => narrativeProblems(s)],
  'narrative unclosed attribute values': [n => DIV + fill('<a x="', n), s => narrativeProblems(s)],
  'narrative one tag, many attributes': [n => DIV + '<a ' + fill('x ', n), s => narrativeProblems(s)],
  'narrative entities without ;': [n => DIV + fill('&a', n) + '</div>', s => narrativeProblems(s)],
  'narrative deep nesting': [n => DIV + fill('<b>', n), s => narrativeProblems(s)],
  'XML unclosed comments': [n => '<Patient xmlns="http://hl7.org/fhir">' + fill('<!--', n), s => parseInput(s, 'x.xml')],
  'XML unclosed processing instructions': [n => '<Patient xmlns="http://hl7.org/fhir">' + fill('<?', n), s => parseInput(s, 'x.xml')],
  'XML unclosed tags': [n => '<Patient xmlns="http://hl7.org/fhir">' + fill('<a ', n), s => parseInput(s, 'x.xml')],
  'XML namespace lookalikes': [n => '<Patient ' + fill('xmlns ', n) + '>', s => parseInput(s, 'x.xml')],
  'JSON Binary from the report': [n => JSON.stringify({ resourceType: 'Binary', contentType: 'x', data: fill('AAAA ', n, '!') }), s => parseInput(s, 'x.json')]
};
`;

/** Linear is about 10x for 10x the input, quadratic about 100x; the floor (ms) absorbs timer noise. */
const LIMIT = 40;
const FLOOR = 5;

const RUNNER = `
import { checkPrimitive } from ${JSON.stringify(join(REPO_ROOT, 'scripts/lib/validator/primitives.ts'))};
import { narrativeProblems } from ${JSON.stringify(join(REPO_ROOT, 'scripts/lib/validator/narrative.ts'))};
import { parseInput } from ${JSON.stringify(join(REPO_ROOT, 'scripts/lib/validator/parse.ts'))};
${CASES}
const LIMIT = ${LIMIT}, FLOOR = ${FLOOR};
const best = (f) => { let t = Infinity; for (let i = 0; i < 3; i++) { const s = performance.now(); f(); t = Math.min(t, performance.now() - s); } return t; };
const out = {};
for (const [name, [make, check]] of Object.entries(cases)) {
  const small = make(100_000), big = make(1_000_000);
  check(small);
  // Timer and scheduler noise on a shared machine: measure again (up to 4 times) before reporting a ratio.
  for (let attempt = 0; attempt < 4; attempt++) {
    out[name] = { small: best(() => check(small)), big: best(() => check(big)), bytes: big.length };
    if (out[name].big < LIMIT * Math.max(out[name].small, FLOOR)) break;
  }
}
console.log(JSON.stringify(out));
`;

describe('no super-linear regular expression or scan on input', () => {
  it('every pattern and the narrative checker take at most ~linear time on 1 MB of adversarial input', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'run.mts'), RUNNER);
    const stdout = await new Promise<string>((done, fail) => {
      execFile(process.execPath, ['--import', 'tsx', join(dir, 'run.mts')], { cwd: REPO_ROOT, timeout: 50_000, maxBuffer: 1 << 20 }, (e, out) =>
        e ? fail(new Error(`timed out or failed: a pattern is super-linear (${e.message})`)) : done(out)
      );
    });
    const timings = JSON.parse(stdout) as Record<string, { small: number; big: number; bytes: number }>;
    expect(Object.keys(timings)).toHaveLength(20);
    for (const [name, t] of Object.entries(timings)) {
      expect(t.bytes, name).toBeGreaterThanOrEqual(1_000_000);
      expect(t.big, `${name}: ${t.small.toFixed(2)} ms for 100 KB, ${t.big.toFixed(2)} ms for 1 MB`).toBeLessThan(LIMIT * Math.max(t.small, FLOOR));
    }
  }, 60_000);
});

async function run(files: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await validateCommand!({ root: REPO_ROOT, files, format: 'text', load: [], print: l => lines.push(l) });
  return { code, out: lines.join('\n') };
}

describe('only regular files are read, within the limits', () => {
  it('refuses /dev/zero instead of reading it forever', async () => {
    const { code, out } = await run(['/dev/zero']);
    expect(code).toBe(2);
    expect(out).toMatch(/Cannot read \/dev\/zero: not a regular file \(a device\)/);
  });

  it('refuses a FIFO without blocking, and goes on to the next file', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify({ resourceType: 'Basic', code: { text: 'x' } }));
    const { code, out } = await run([fifo, ok]);
    expect(code).toBe(2);
    expect(out).toMatch(/pipe\.json: error Cannot read .*pipe\.json: not a regular file \(a FIFO\)/);
    expect(out).toMatch(/2 resources/);
  });

  it('enforces the size limit while reading', async () => {
    const dir = tempDir();
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ resourceType: 'Basic', text: 'x'.repeat(5000) }));
    const saved = LIMITS.maxBytes;
    LIMITS.maxBytes = 1024;
    try {
      const { code, out } = await run([big]);
      expect(code).toBe(2);
      expect(out).toMatch(/larger than the 0 MB limit|larger than the/);
      expect(out).toMatch(/\[file-too-large\]/);
    } finally {
      LIMITS.maxBytes = saved;
    }
  });

  it('bounds the values checked per file: one clear error, then the next file', async () => {
    const dir = tempDir();
    const ints = join(dir, 'ints.json');
    writeFileSync(ints, `{"resourceType":"Patient","name":[${new Array(LIMITS.maxNodes + 10).fill('1').join(',')}]}`);
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify({ resourceType: 'Patient', gender: 'other' }));
    const { code, out } = await run([ints, ok]);
    expect(code).toBe(1);
    const errors = out.split('\n').filter(l => l.includes('ints.json'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/holds more than 1,000,000 values.*\[structure-size\]/);
    expect(out).toMatch(/2 resources/);
  }, 60_000);

  it('keeps at most 1,000 problems per resource', async () => {
    const dir = tempDir();
    const file = join(dir, 'many.json');
    writeFileSync(file, `{"resourceType":"Patient","name":[${new Array(5000).fill('1').join(',')}]}`);
    const { out } = await run([file]);
    expect(out).toMatch(/More than 1000 problems; the rest were not reported \[too-many-issues\]/);
    expect(out).toMatch(/1 resource, 1001 errors/);
  });
});

describe('printed messages never carry control characters', () => {
  it('escapes terminal escape sequences and newlines from input values', async () => {
    const dir = tempDir();
    const file = join(dir, 'esc.json');
    writeFileSync(file, JSON.stringify({ resourceType: 'Patient', gender: 'x\u001b]0;owned\u0007\u001b[2J\nfake: error', birthDate: 'not\u009b31m a date' }));
    const { out } = await run([file]);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('\\x1b]0;owned\\x07\\x1b[2J\\x0afake: error');
    expect(out).toContain('\\x9b31m');
  });
});
