/**
 * This guide against a package built from an earlier commit of its own history
 * (input/releases/uk.nhs.vm-0.0.1.tgz: commit 89456a5, see test/fixtures/diff/README.md), through
 * the CLI as users run it: `vm-ig diff` in text and JSON with `--fail-on breaking`, and
 * `vm-ig build`, whose configuration names that release, making changes.html.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRelease } from '../../scripts/lib/diff/load.ts';
import { compareReleases } from '../../scripts/lib/diff/compare.ts';
import type { DiffReport } from '../../scripts/lib/diff/model.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { copyGuide, REPO_ROOT, tempDir } from '../helpers/project.ts';

const PREVIOUS = 'input/releases/uk.nhs.vm-0.0.1.tgz';
const OBSERVATION = 'StructureDefinition/vm-chargeable-status-observation';

describe('the previous release package', () => {
  it('is read through the safe tar reader: its package id, version and resources', async () => {
    const release = await loadRelease(PREVIOUS, REPO_ROOT);
    expect(release.label).toEqual({ source: PREVIOUS, packageId: 'uk.nhs.vm', version: '0.0.1' });
    expect(release.resources.filter(r => r.resource.resourceType === 'StructureDefinition')).toHaveLength(8);
    expect(release.resources.filter(r => r.example)).toHaveLength(29);
  });
  it('compared with itself has no changes', async () => {
    const release = await loadRelease(PREVIOUS, REPO_ROOT);
    const report = compareReleases(release, release);
    expect(report.artifacts).toEqual([]);
    expect(report.counts.unchanged).toBe(release.resources.length - 1);
  });
  it('a file that is not a package, or a missing id#version, cannot be read', async () => {
    const bad = join(tempDir(), 'x.tgz');
    writeFileSync(bad, 'not gzip');
    await expect(loadRelease(bad, REPO_ROOT)).rejects.toThrow(/not a valid gzip file/);
    await expect(loadRelease('no.such.package#1.0.0', REPO_ROOT, { offline: true, packageCache: tempDir(), userPackageCache: tempDir() })).rejects.toThrow(
      /previous release no.such.package#1.0.0/
    );
  });
});

describe('vm-ig diff and vm-ig build on this guide', () => {
  let dir: string;
  let build: CliRun;
  let json: CliRun;
  let text: CliRun;
  beforeAll(async () => {
    dir = copyGuide();
    build = await runCli(dir, ['build']);
    json = await runCli(dir, ['diff', PREVIOUS, '--format', 'json', '--fail-on', 'breaking']);
    text = await runCli(dir, ['diff', PREVIOUS]);
  }, 280_000);

  it('classifies the changes made since commit 89456a5, and fails the gate on breaking ones', () => {
    expect(json.stderr).toBe('');
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as DiffReport & { rules: Record<string, unknown> };
    expect(report.previous).toEqual({ source: PREVIOUS, packageId: 'uk.nhs.vm', version: '0.0.1' });
    const find = (ref: string) => report.artifacts.find(a => a.ref === ref);
    // Commit f382b86 added must-support flags: breaking for producers and consumers.
    const status = find(OBSERVATION)!.changes.find(c => c.path === 'Observation.status')!;
    expect(status).toMatchObject({ rule: 'must-support-added', old: 'false', new: 'true', producer: 'breaking', consumer: 'breaking', class: 'breaking' });
    // Commits decaceb and f382b86 added the look-up audit profile, its code system and the sandbox scenarios.
    for (const ref of [
      'StructureDefinition/vm-lookup-audit-event',
      'CodeSystem/vm-audit-agent-type',
      'CodeSystem/vm-sandbox-scenario',
      'ValueSet/vm-audit-agent-type'
    ])
      expect(find(ref)).toMatchObject({ status: 'added', class: 'compatible' });
    expect(find('AuditEvent/vm-lookup-audit-example')).toMatchObject({ status: 'added', kind: 'example', class: 'compatible' });
    // The OperationOutcome severity's text changed (NO_RECORD_FOUND became a warning).
    const severity = find('StructureDefinition/vm-spine-operationoutcome')!
      .changes.filter(c => c.path === 'OperationOutcome.issue.severity')
      .map(c => c.rule);
    expect(severity).toEqual(['must-support-added', 'text-changed']);
    expect(report.counts.removed).toBe(0);
    expect(report.counts.breaking).toBeGreaterThan(0);
    expect(report.rules['must-support-added']).toMatchObject({ producer: 'breaking', consumer: 'breaking' });
  });

  it('prints one line a change with its FHIRPath and old -> new, and exits 0 without --fail-on', () => {
    expect(text.status).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toContain(
      `BREAKING   ${OBSERVATION} Observation.status: now must support (false -> true) [must-support-added: producers breaking, consumers breaking]`
    );
    expect(lines.at(-1)).toMatch(/^\d+ breaking, \d+ compatible changes since uk\.nhs\.vm#0\.0\.1: 5 artifacts added, 0 removed, \d+ changed, \d+ unchanged$/);
  });

  it('the build includes the report: a diff stage, changes.html and changes.json, a note on each changed artifact page, the change log summary', () => {
    expect(build.status).toBe(0);
    expect(build.report!.ran).toContain('diff');
    const site = join(dir, 'build', 'site');
    const page = readFileSync(join(site, 'changes.html'), 'utf8');
    expect(page).toContain('Changes since uk.nhs.vm#0.0.1');
    expect(page).toContain('id="StructureDefinition-vm-chargeable-status-observation"');
    expect(JSON.parse(readFileSync(join(site, 'changes.json'), 'utf8'))).toMatchObject({ previous: { version: '0.0.1' } });
    const artifact = readFileSync(join(site, 'StructureDefinition-vm-chargeable-status-observation.html'), 'utf8');
    expect(artifact).toContain('href="changes.html#StructureDefinition-vm-chargeable-status-observation"');
    const unchanged = readFileSync(join(site, 'CodeSystem-vm-basic-chargeable-status.html'), 'utf8');
    expect(existsSync(join(site, 'CodeSystem-vm-basic-chargeable-status.html'))).toBe(true);
    expect(unchanged.includes('vm-changes-note')).toBe(report(dir).artifacts.some(a => a.ref === 'CodeSystem/vm-basic-chargeable-status'));
    const changelog = readFileSync(join(site, 'changelog.html'), 'utf8');
    expect(changelog).toContain('href="changes.html"');
  });

  it('compares two packages with --current, without building', async () => {
    const same = await runCli(dir, ['diff', PREVIOUS, '--current', PREVIOUS, '--fail-on', 'breaking']);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/^0 breaking, 0 compatible changes since uk\.nhs\.vm#0\.0\.1/);
    const missing = await runCli(dir, ['diff', 'nothing-here.tgz']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("previous release 'nothing-here.tgz': no such file");
  });
});

function report(dir: string): DiffReport {
  return JSON.parse(readFileSync(join(dir, 'build', 'site', 'changes.json'), 'utf8')) as DiffReport;
}
