/**
 * Integration on the real guide: every compiled instance and conformance resource validates with
 * 0 errors; the guide's profiles really apply (a mutated example is rejected); every invalid
 * fixture of the content corpus (test/fixtures/validate/profile-invalid/manifest.json) is rejected with the
 * expected rule at the expected path (as the guide's own examples: only 999-range NHS Numbers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import type { CompiledResource } from '../../scripts/model/resources.ts';
import { validateGuide, guideValidator } from '../../scripts/lib/validator/guide.ts';
import { copyGuide, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const INVALID = join(REPO_ROOT, 'test', 'fixtures', 'validate', 'profile-invalid');
interface InvalidEntry {
  file: string;
  profile?: string;
  rule: string;
  path: string;
  description?: string;
}

let compiled: CompiledResource[] = [];

beforeAll(async () => {
  const result = await runPipeline(copyGuide(), ['compile'], { packageCache: SHARED_PACKAGE_CACHE });
  expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  compiled = result.ctx!.compiled!.resources;
}, 180_000);

describe('the compiled guide', () => {
  it('has instances, and every resource validates with 0 errors', () => {
    expect(compiled.filter(c => c.usage !== undefined).length).toBeGreaterThan(5);
    const report = validateGuide(SHARED_PACKAGE_CACHE, compiled);
    const errors = report.files.flatMap(f =>
      f.diagnostics.filter(d => d.severity === 'error').map(d => `${f.file}: ${d.location?.expression} ${d.message} [${d.rule}]`)
    );
    expect(errors).toEqual([]);
    expect(report.files).toHaveLength(compiled.length);
  });

  it("applies the guide's own profiles to its examples", () => {
    const example = compiled.find(c => c.resource.resourceType === 'Observation' && c.instanceOf?.startsWith('https://'))!;
    expect(example).toBeDefined();
    const mutated = { ...example, resource: { ...example.resource, status: 'not-a-status', identifier: [{ value: 'x' }] } };
    const report = validateGuide(
      SHARED_PACKAGE_CACHE,
      compiled.map(c => (c === example ? mutated : c))
    );
    const rules = report.files
      .find(f => f.file.endsWith(example.fileName))!
      .diagnostics.filter(d => d.severity === 'error')
      .map(d => d.rule);
    expect(rules).toContain('binding-required');
    expect(rules.some(r => r === 'cardinality-max' || r === 'fixed-value')).toBe(true);
  });
});

describe("the guide's invalid fixtures (profile violations)", () => {
  const manifest: InvalidEntry[] = JSON.parse(readFileSync(join(INVALID, 'manifest.json'), 'utf8'));

  it('has a manifest with entries', () => expect(manifest.length).toBeGreaterThan(20));

  it.each(manifest.map(e => [e.file, e] as const))('%s is rejected with its rule and path', (_file, entry) => {
    const validator = guideValidator(
      SHARED_PACKAGE_CACHE,
      compiled.map(c => c.resource)
    );
    const report = validator.validateText(readFileSync(join(INVALID, entry.file)), entry.file, {
      profiles: entry.profile ? [entry.profile] : [],
      ownExample: true
    });
    const found = report.diagnostics.filter(d => d.severity === 'error').map(d => `${d.rule} ${d.location?.expression ?? ''}`);
    expect(found, entry.description).toContain(`${entry.rule} ${entry.path}`);
  });
});
