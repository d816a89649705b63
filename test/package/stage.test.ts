import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { packageStage } from '../../scripts/stages/package/stage.ts';
import { newContext } from '../../scripts/pipeline/sequencer.ts';
import { projectPaths } from '../../scripts/project/paths.ts';
import { tempDir } from '../helpers/project.ts';
import { CONFIG_YAML, fixtureConfig, IG, RESOURCES, VALIDATION } from './fixture.ts';

function context(root: string, yaml = CONFIG_YAML): BuildContext {
  return {
    ...newContext(projectPaths(root), fixtureConfig(yaml)),
    compiled: { resources: RESOURCES, implementationGuide: IG, counts: {} },
    validation: VALIDATION
  };
}

describe('packageStage', () => {
  it('writes build/package.tgz, sets ctx.packagePath and leaves no temp file', async () => {
    const root = tempDir();
    const ctx = context(root);
    const outcome = await packageStage(ctx);
    expect(ctx.packagePath).toBe(join(root, 'build', 'package.tgz'));
    expect(Buffer.from(ctx.packageBytes!).equals(readFileSync(ctx.packagePath!))).toBe(true);
    expect(readdirSync(join(root, 'build'))).toEqual(['package.tgz']);
    expect(outcome.diagnostics).toEqual([]);
    expect(outcome.summary).toBe(
      'build/package.tgz (example.guide#1.2.3): 1 CapabilityStatement, 1 CodeSystem, 1 ImplementationGuide, 1 StructureDefinition; 2 examples'
    );
  });

  it('writes the generated-table includes for the IG Publisher into fsh-generated/includes', async () => {
    const root = tempDir();
    const ctx = context(root);
    const phases = {
      fileName: 'CodeSystem-vm-maturity-phase.json',
      resource: { resourceType: 'CodeSystem', id: 'vm-maturity-phase', concept: [{ code: '1', display: 'Feed' }] }
    };
    ctx.compiled = { ...ctx.compiled!, resources: [...RESOURCES, phases] };
    await packageStage(ctx);
    expect(readFileSync(join(root, 'fsh-generated', 'includes', 'maturity-model.md'), 'utf8')).toContain('| 1 | Feed |');
  });

  it('gives byte-identical packages from two builds', async () => {
    const [a, b] = [tempDir(), tempDir()];
    await packageStage(context(a));
    await packageStage(context(b));
    expect(readFileSync(join(a, 'build', 'package.tgz')).equals(readFileSync(join(b, 'build', 'package.tgz')))).toBe(true);
  });

  it('replaces an older package in place', async () => {
    const root = tempDir();
    await packageStage(context(root));
    const first = readFileSync(join(root, 'build', 'package.tgz'));
    await packageStage(context(root, CONFIG_YAML.replace('version: 1.2.3', 'version: 1.2.4')));
    expect(readFileSync(join(root, 'build', 'package.tgz')).equals(first)).toBe(false);
    expect(readdirSync(join(root, 'build'))).toEqual(['package.tgz']);
  });

  it('warns, pointing at sushi-config.yaml, when the guide declares no date', async () => {
    const root = tempDir();
    const outcome = await packageStage(context(root, CONFIG_YAML.replace('date: 2026-03-04\n', '')));
    expect(outcome.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', rule: 'package-no-date', location: { file: 'sushi-config.yaml' } })]);
    expect(existsSync(join(root, 'build', 'package.tgz'))).toBe(true);
  });

  it('refuses to run before the compile stage', async () => {
    const ctx = { ...context(tempDir()), compiled: undefined };
    await expect(packageStage(ctx)).rejects.toThrow(/compile stage must run first/);
  });
});
