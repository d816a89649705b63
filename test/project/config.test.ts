import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProjectConfig, readProjectConfig } from '../../scripts/project/config.ts';
import { dedent, MINIMAL_CONFIG, REPO_ROOT, tempDir } from '../helpers/project.ts';

describe('sushi-config.yaml schema', () => {
  it("accepts the guide's own sushi-config.yaml: only keys SUSHI accepts", () => {
    const { config, diagnostics } = readProjectConfig(join(REPO_ROOT, 'sushi-config.yaml'));
    expect(diagnostics).toEqual([]);
    expect(config?.id).toBe('uk.nhs.vm');
  });

  it('warns of an unknown key at its line, as SUSHI does, and reads the rest', () => {
    const yaml = `${MINIMAL_CONFIG}packageName: wrong.key\n`;
    const line = yaml.split('\n').findIndex(l => l.startsWith('packageName')) + 1;
    const { config, diagnostics } = parseProjectConfig(yaml, 'sushi-config.yaml');
    expect(config?.id).toBe('test.fixture');
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        rule: 'config-unknown-key',
        message: "unexpected key 'packageName': SUSHI ignores it. Check that it is spelled, capitalized and indented correctly",
        location: { file: 'sushi-config.yaml', line, column: 1 }
      }
    ]);
  });

  it('reads a dependencies: block that lost its indentation as SUSHI does: unknown keys, warned, no dependency', () => {
    const yaml = `${MINIMAL_CONFIG}dependencies:\nhl7.fhir.uv.testing: 1.0.0\n`;
    const { config, diagnostics } = parseProjectConfig(yaml, 'sushi-config.yaml');
    expect(config?.dependencies).toEqual([]);
    expect(diagnostics.map(d => [d.severity, d.rule, d.message.split(':')[0]])).toEqual([
      ['warning', 'config-unknown-key', "unexpected key 'hl7.fhir.uv.testing'"]
    ]);
  });

  it('accepts an FSHOnly project without id, name or status, as SUSHI does', () => {
    const yaml = dedent(`
      canonical: http://example.org/fsh-only
      fhirVersion: 4.0.1
      FSHOnly: true
    `);
    const { config, diagnostics } = parseProjectConfig(yaml, 'sushi-config.yaml');
    expect(diagnostics).toEqual([]);
    expect(config?.canonical).toBe('http://example.org/fsh-only');
  });

  it('refuses a project that builds an IG without name, as SUSHI does, naming what it needs', () => {
    const { config, diagnostics } = parseProjectConfig(MINIMAL_CONFIG.replace(/^name:.*\n/m, ''), 'sushi-config.yaml');
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        rule: 'config-required',
        message: "missing required key 'name': SUSHI needs canonical, fhirVersion, id, name, status to generate an IG"
      })
    ]);
  });

  it('reports every unknown key, each at its own line', () => {
    const yaml = dedent(`
      id: a.b
      canonical: http://example.org/a
      fhirVersion: 4.0.1
      name: AB
      status: draft
      colour: blue
      dependancies: {}
    `);
    const { diagnostics } = parseProjectConfig(yaml, 'sushi-config.yaml');
    expect(diagnostics.map(d => [d.rule, d.location?.line])).toEqual([
      ['config-unknown-key', 6],
      ['config-unknown-key', 7]
    ]);
    expect(diagnostics.map(d => d.message).join(' ')).toMatch(/'colour'.*'dependancies'/);
  });

  it('names a key with a bad value at its line', () => {
    const yaml = MINIMAL_CONFIG.replace('status: draft', 'status: finished');
    const line = yaml.split('\n').findIndex(l => l.startsWith('status')) + 1;
    const { diagnostics } = parseProjectConfig(yaml, 'sushi-config.yaml');
    expect(diagnostics).toEqual([expect.objectContaining({ rule: 'config-value', location: { file: 'sushi-config.yaml', line, column: 1 } })]);
    expect(diagnostics[0]!.message).toMatch(/^key 'status'/);
  });

  it('names a missing required key', () => {
    const { diagnostics } = parseProjectConfig(MINIMAL_CONFIG.replace(/^canonical:.*\n/m, ''), 'sushi-config.yaml');
    expect(diagnostics).toEqual([
      expect.objectContaining({
        rule: 'config-required',
        message: expect.stringMatching(/^missing required key 'canonical': SUSHI needs canonical, fhirVersion, id/)
      })
    ]);
  });

  it('reports YAML syntax errors with a position', () => {
    const { diagnostics } = parseProjectConfig('id: a\n  canonical: [oops\n', 'sushi-config.yaml');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({ rule: 'config-syntax', location: { file: 'sushi-config.yaml' } });
    expect(diagnostics[0]!.location?.line).toBeGreaterThan(0);
  });

  it('says so when the file cannot be read', () => {
    const { diagnostics } = readProjectConfig(join(tempDir(), 'sushi-config.yaml'));
    expect(diagnostics).toEqual([expect.objectContaining({ rule: 'config-missing' })]);
  });

  it("keeps the guide's declared date for the package", () => {
    const text = readFileSync(join(REPO_ROOT, 'sushi-config.yaml'), 'utf8');
    const { config } = parseProjectConfig(text, 'sushi-config.yaml');
    expect(config?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('a build with a bad sushi-config.yaml', () => {
  it('stops before compiling and names the bad key and line', async () => {
    const { runPipeline } = await import('../../scripts/pipeline/sequencer.ts');
    const { makeProject } = await import('../helpers/project.ts');
    const yaml = `${MINIMAL_CONFIG.replace('status: draft', 'status: finished')}template: x\n`;
    const line = yaml.split('\n').indexOf('status: finished') + 1;
    const root = makeProject({ 'sushi-config.yaml': yaml });
    const result = await runPipeline(root, ['compile']);
    expect(result.ran).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'config-value',
        message: expect.stringContaining("'status'"),
        location: { file: 'sushi-config.yaml', line, column: 1 }
      })
    ]);
  });
});
