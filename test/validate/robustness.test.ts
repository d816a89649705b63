/**
 * Hostile input: the validator never throws and always returns a report. Fuzzing mutates the
 * valid corpus (delete, duplicate, retype, rename, null, deep nesting); broken files each give
 * exactly one clear error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.ts';
import { validator } from './helpers.ts';

const VALID = join(REPO_ROOT, 'test', 'fixtures', 'validate', 'base-valid');
const examples = readdirSync(VALID)
  .filter(f => f.endsWith('.json'))
  .map(f => JSON.parse(readFileSync(join(VALID, f), 'utf8')) as unknown);

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    out.push([...prefix, key]);
    paths(v, [...prefix, key], out);
  }
  return out;
}

function nest(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { extension: v };
  return v;
}

type Op = 'delete' | 'duplicate' | 'retype' | 'rename' | 'null' | 'nest';

function mutate(example: unknown, pick: number, op: Op, value: unknown, depth: number): unknown {
  const copy = structuredClone(example) as Record<string, unknown>;
  const all = paths(copy);
  const path = all[pick % all.length]!;
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (op === 'duplicate')
    parent[key] = Array.isArray(parent[key]) ? [...(parent[key] as unknown[]), ...(parent[key] as unknown[])] : [parent[key], parent[key]];
  else if (op === 'retype') parent[key] = value;
  else if (op === 'rename' && !Array.isArray(parent)) {
    parent[`${String(key)}${typeof value === 'string' ? value.slice(0, 3) : 'X'}`] = parent[key];
    delete parent[key];
    parent[`_${String(key)}`] = value;
  } else if (op === 'null') parent[key] = null;
  else if (op === 'nest') parent[key] = nest(depth, parent[key]);
  return copy;
}

describe('fuzzing the validator', () => {
  it('never throws and always reports, over 2,000 mutations of valid examples', () => {
    const v = validator();
    let runs = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: examples.length - 1 }),
        fc.nat(),
        fc.constantFrom<Op>('delete', 'duplicate', 'retype', 'rename', 'null', 'nest'),
        fc.jsonValue({ maxDepth: 3 }),
        fc.integer({ min: 1, max: 300 }),
        (which, pick, op, value, depth) => {
          runs++;
          const mutated = mutate(examples[which], pick, op, value, depth);
          const issues = v.validateResource(mutated);
          expect(Array.isArray(issues)).toBe(true);
          const report = v.validateText(JSON.stringify(mutated), 'm.json');
          expect(report.file).toBe('m.json');
          for (const d of report.diagnostics) expect(typeof d.message).toBe('string');
        }
      ),
      { numRuns: 2000, seed: 42 }
    );
    expect(runs).toBe(2000);
  });

  it('finds errors in mutated examples (the mutations are not all harmless)', () => {
    const mutated = mutate(examples[0], 3, 'retype', { nonsense: true }, 1);
    expect(
      validator()
        .validateResource(mutated)
        .some(i => i.severity === 'error')
    ).toBe(true);
  });
});

describe('broken files give one clear error', () => {
  const one = (text: string | Buffer) => {
    const report = validator().validateText(text, 'broken');
    expect(report.diagnostics).toHaveLength(1);
    return report.diagnostics[0]!;
  };

  it('truncated JSON, with line and column', () => {
    const d = one('{\n  "resourceType": "Patient",\n  "name": [{"family": "X"');
    expect(d).toMatchObject({ severity: 'error', rule: 'json-syntax', location: { file: 'broken', line: 3 } });
    expect(d.message).toMatch(/Invalid JSON/);
  });

  it('an array or a scalar at the root', () => {
    expect(one('[{"resourceType":"Patient"}]')).toMatchObject({ rule: 'resource-type', message: expect.stringContaining('found an array') });
    expect(one('42')).toMatchObject({ rule: 'resource-type', message: expect.stringContaining('found a number') });
    expect(one('"Patient"')).toMatchObject({ rule: 'resource-type' });
    expect(one('{"id": "x"}')).toMatchObject({ rule: 'resource-type', message: expect.stringContaining('no resourceType') });
  });

  it('a 50 MB file', () => {
    const big = `{"resourceType":"Binary","contentType":"text/plain","data":"${'A'.repeat(50 * 1024 * 1024)}"}`;
    expect(one(big)).toMatchObject({ rule: 'file-too-large', message: expect.stringContaining('50.0 MB') });
  });

  it('10,000-deep nesting', () => {
    const deep = `{"resourceType":"Patient","extension":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(one(deep)).toMatchObject({ rule: 'structure-depth', message: expect.stringContaining('10001 levels') });
    const object = JSON.parse(deep);
    expect(validator().validateResource(object)).toHaveLength(1);
  });

  it('binary garbage', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(one(bytes)).toMatchObject({ rule: 'json-syntax', message: expect.stringContaining('binary') });
  });

  it('truncated XML', () => {
    expect(one('<Patient xmlns="http://hl7.org/fhir"><id value="x"/>')).toMatchObject({ rule: 'xml-syntax' });
  });
});
