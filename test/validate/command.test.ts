/** `vm-ig validate`: exit codes, text and JSON output, --profile, --load (folder and .tgz), no FILE. */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../scripts/commands/validate.ts';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import { makeProject, REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';

const run = promisify(execFile);
const DIR = join(REPO_ROOT, 'test', 'fixtures', 'validate');
const VALID = join(DIR, 'base-valid', 'Patient.json');
const INVALID = join(DIR, 'base-invalid', '29-binding-required.json');
const ENV = { ...process.env, VM_IG_PACKAGE_CACHE: SHARED_PACKAGE_CACHE };

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'cli.ts'), ...args], { cwd: REPO_ROOT, env: ENV });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

async function command(args: Partial<Parameters<typeof validateCommand>[0]>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await validateCommand({ root: REPO_ROOT, files: [], format: 'text', load: [], print: l => lines.push(l), ...args });
  return { code, out: lines.join('\n') };
}

describe('vm-ig validate FILE...', () => {
  it('exits 0 for a valid file, 1 for errors, 2 for an unreadable file (real process)', async () => {
    const ok = await cli('validate', VALID);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/1 resource, 0 errors/);
    const bad = await cli('validate', INVALID);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('test/fixtures/validate/base-invalid/29-binding-required.json:');
    expect(bad.stdout).toMatch(/: error Patient\.gender: The value provided \('mle'\) is not in the value set .* \[binding-required\]/);
    expect((await cli('validate', 'no/such/file.json')).code).toBe(2);
    expect((await cli('validate', '--format', 'yaml', VALID)).code).toBe(2);
  }, 120_000);

  it("prints one OperationOutcome for one file, in the Java validator's shape", async () => {
    const { code, out } = await command({ files: [INVALID], format: 'json' });
    expect(code).toBe(1);
    const oo = JSON.parse(out);
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.extension).toEqual([
      { url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-file', valueString: 'test/fixtures/validate/base-invalid/29-binding-required.json' }
    ]);
    const issue = oo.issue.find((i: { expression: string[] }) => i.expression?.[0] === 'Patient.gender');
    expect(issue).toMatchObject({ severity: 'error', code: 'code-invalid', details: { text: expect.stringContaining("'mle'") } });
    expect(issue.extension).toContainEqual({ url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line', valueInteger: expect.any(Number) });
    expect(issue.extension).toContainEqual({ url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col', valueInteger: expect.any(Number) });
  });

  it('prints a Bundle of OperationOutcomes for several files, All OK for clean ones', async () => {
    const { code, out } = await command({ files: [VALID, INVALID], format: 'json' });
    expect(code).toBe(1);
    const bundle = JSON.parse(out);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(2);
    expect(bundle.entry[0].resource.issue).toEqual([{ severity: 'information', code: 'informational', details: { text: 'All OK' } }]);
  });

  it('refuses an unknown --profile as a usage error', async () => {
    expect((await command({ files: [VALID], profile: 'http://example.org/nope' })).code).toBe(2);
  });
});

describe('--load and no-FILE validation on a small project', () => {
  let project: string;
  let tgz: string;
  let folder: string;

  beforeAll(async () => {
    project = makeProject(
      {
        'fsh/examples.fsh':
          'Instance: bad-patient\nInstanceOf: TestPatient\nUsage: #example\n* identifier.system = "https://fhir.nhs.uk/Id/nhs-number"\n* identifier.value = "9434765919"\n* gender = #male\n'
      },
      join(DIR, 'profiled')
    );
    const compiled = await runPipeline(project, ['compile'], { packageCache: SHARED_PACKAGE_CACHE });
    folder = tempDir();
    mkdirSync(join(folder, 'package'));
    for (const r of compiled.ctx!.compiled!.resources) writeFileSync(join(folder, 'package', r.fileName), JSON.stringify(r.resource));
    writeFileSync(join(folder, 'package', 'package.json'), JSON.stringify({ name: 'test.validate', version: '0.0.1' }));
    tgz = join(folder, 'test.validate.tgz');
    await tar.c({ gzip: true, file: tgz, cwd: folder }, ['package']);
  }, 120_000);

  it('validates against a profile from a package .tgz or a folder', async () => {
    const noGender = join(tempDir(), 'p.json');
    writeFileSync(noGender, JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }] }));
    for (const load of [tgz, join(folder, 'package')]) {
      const { code, out } = await command({ files: [noGender], load: [load], profile: 'http://example.org/fhir/StructureDefinition/test-patient' });
      expect(code).toBe(1);
      expect(out).toContain('error Patient: Patient.gender: minimum required = 1, but only found 0 [cardinality-min]');
    }
    expect((await command({ files: [noGender], load: ['/no/such/package.tgz'] })).code).toBe(2);
  });

  it('with no FILE compiles the project, validates every instance and writes build/validation.json', async () => {
    const { code, out } = await command({ root: project });
    expect(code).toBe(1);
    // At the FSH rule that set the value, with the generated file it is in.
    expect(out).toMatch(
      /^fsh\/examples\.fsh:\d+:\d+: error Patient\.identifier\[0\]\.value: The NHS Number 9434765919 is not a 999-range test number.* \(in fsh-generated\/resources\/Patient-bad-patient\.json\)/m
    );
    expect(out).toMatch(/^9 resources, 1 error, 0 warnings, 0 information$/m);
    const report = JSON.parse(readFileSync(join(project, 'build', 'validation.json'), 'utf8'));
    expect(report.resourceType).toBe('Bundle');
    expect(report.entry.length).toBeGreaterThan(5);
    expect(readdirSync(join(project, 'build'))).toEqual(['validation.json']);
  });
});
