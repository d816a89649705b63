/**
 * The base-spec corpus in test/fixtures/validate: each invalid file has one defect and must be
 * rejected with the manifest's rule at its path; each valid file passes with 0 errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.ts';
import { validator } from './helpers.ts';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'validate');

interface Entry {
  file: string;
  rule: string;
  path: string | null;
  severity: string;
  description: string;
}
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Entry[];

describe('base-spec defect corpus', () => {
  it('has at least 120 single-defect instances', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(120);
    expect(readdirSync(join(DIR, 'base-invalid')).length).toBe(manifest.length);
  });

  it.each(manifest.map(e => [e.file, e] as const))('%s is rejected', (_file, entry) => {
    const report = validator().validateText(readFileSync(join(DIR, 'base-invalid', entry.file)), entry.file);
    const found = report.diagnostics.map(d => `${d.severity} ${d.rule} ${d.location?.expression ?? ''}`);
    const expected = `${entry.severity} ${entry.rule} ${entry.path ?? ''}`;
    expect(found, entry.description).toContain(expected);
  });

  it.each(readdirSync(join(DIR, 'base-valid')))('base-valid/%s has no errors or warnings', file => {
    const report = validator().validateText(readFileSync(join(DIR, 'base-valid', file)), file);
    expect(report.diagnostics.filter(d => d.severity !== 'information')).toEqual([]);
  });

  it('gives line and column for JSON issues', () => {
    const report = validator().validateText(readFileSync(join(DIR, 'base-invalid', manifest.find(e => e.rule === 'unknown-element')!.file)), 'x.json');
    const d = report.diagnostics.find(x => x.rule === 'unknown-element')!;
    expect(d.location).toMatchObject({ file: 'x.json', expression: 'Patient.nickname' });
    expect(d.location!.line).toBeGreaterThan(1);
    expect(d.location!.column).toBe(3);
  });
});
