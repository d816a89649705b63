/**
 * The spec author's experience with the installed CLI (issue #28): validation issues on FSH
 * resources point at the FSH rule; repeated messages are grouped and information is printed only
 * with --verbose (qa.html groups them the same way); FSH syntax slips are explained; CLI
 * conventions (--version, --port checked, "1 error", `site` printing only its own work).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, type CliRun } from '../helpers/cli.ts';
import { dedent, makeProject, MINIMAL_CONFIG, REPO_ROOT } from '../helpers/project.ts';

const FSH = dedent(`
  Profile: MyObs
  Parent: Observation
  * code from MyVS (required)
  * ^status = #bogus

  ValueSet: MyVS
  * include codes from system http://loinc.org

  Instance: BadObs
  InstanceOf: MyObs
  Usage: #example
  * status = #final
  * code = http://loinc.org#1234-5
  * component[0].code = http://loinc.org#1111-1
  * component[0].valueString = ""

  Instance: GoodObs
  InstanceOf: MyObs
  Usage: #example
  * status = #final
  * code = http://loinc.org#1234-5
`);

const SLIPS = dedent(`
  Instance: A
  InstanceOf: Patient
  Usage: #example
  name.family = "Smith"

  Instance: C
  InstanceOf: Patient
  * gender = #female

  Instance: D
  InstanceOf: Patient
  * name.family = "Jones
  * gender = #male
  * birthDate = "2000-01-01"

  Instance: E
  InstanceOf: Patient
  * nmae.family = "X"
`);

describe('validation issues, grouping and CLI conventions', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let build: CliRun;

  beforeAll(async () => {
    root = makeProject({ 'sushi-config.yaml': MINIMAL_CONFIG, 'fsh/obs.fsh': FSH });
    env = cliEnv();
    build = await runCli(root, ['build'], { env });
  });

  it('points validation issues on FSH resources at the rule that set the value, beside the generated file', () => {
    expect(build.status).toBe(1);
    const empty = build.report!.diagnostics.find(d => d.location?.expression === 'Observation.component[0].valueString');
    expect(empty?.location).toMatchObject({ file: 'fsh-generated/resources/Observation-BadObs.json', fsh: { file: 'fsh/obs.fsh', line: 15, column: 1 } });
    const status = build.report!.diagnostics.find(d => d.location?.expression === 'StructureDefinition.status');
    expect(status?.location?.fsh).toMatchObject({ file: 'fsh/obs.fsh', line: 4 });
    expect(build.stderr).toContain('fsh/obs.fsh:15:1: error Observation.component[0].valueString:');
    expect(build.stderr).toContain('(in fsh-generated/resources/Observation-BadObs.json)');
    expect(readFileSync(join(root, 'build', 'site', 'qa.html'), 'utf8')).toContain('fsh/obs.fsh:15:1');
  });

  it('prints information only with --verbose, repeated messages grouped, and counts in words', async () => {
    const info = build.report!.diagnostics.filter(d => d.severity === 'information');
    expect(info.length).toBeGreaterThanOrEqual(2);
    expect(build.stdout).not.toMatch(/: information /);
    expect(build.stdout).toMatch(/2 errors, \d+ warnings? \(\d+ information messages? not shown: --verbose shows them\)/);
    const verbose = await runCli(root, ['--verbose', 'build'], { env });
    const lines = verbose.stdout.split('\n').filter(l => l.includes('cannot be expanded offline'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[2 times; also fsh\/obs\.fsh:\d+:\d+ Observation\.code\]$/);
    const qa = readFileSync(join(root, 'build', 'site', 'qa.html'), 'utf8');
    expect(qa).toContain('Repeated messages');
  });

  it('site prints only its own work', async () => {
    const site = await runCli(root, ['site'], { env });
    expect(site.stderr).not.toContain('valueString');
    expect(site.stdout).not.toMatch(/^validate:/m);
    expect(site.stdout).toMatch(/^site: /m);
    expect(site.status).toBe(0);
  });

  it('--version, and numeric options checked', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = await runCli(root, ['--version'], { env });
    expect(v.stdout.trim()).toBe(version);
    for (const command of ['dev', 'sandbox']) {
      const bad = await runCli(root, [command, '--port', 'abc'], { env });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("argument 'abc' is invalid. expected a port number from 0 to 65535");
    }
  });
});

describe('FSH syntax slips', () => {
  it('says what the slip is and where it starts', async () => {
    const root = makeProject({
      'sushi-config.yaml': MINIMAL_CONFIG,
      'fsh/slips.fsh': SLIPS,
      'fsh/tab.fsh': 'Instance: B\nInstanceOf: Patient\n\t* gender = #male\n',
      'fsh/keyword.fsh': 'Instanse: K\nInstanceOf: Patient\n* gender = #male\n'
    });
    const run = await runCli(root, ['compile']);
    expect(run.status).toBe(1);
    const messages = run.report!.diagnostics.map(d => `${d.location?.file}:${d.location?.line}: ${d.rule}: ${d.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^fsh\/slips\.fsh:4: fsh-missing-star: this rule does not start with '\*'/));
    expect(messages).toContainEqual(
      expect.stringMatching(/^fsh\/keyword\.fsh:1: fsh-unknown-keyword: unknown keyword 'Instanse:' \(did you mean 'Instance:'\?\)/)
    );
    expect(messages).toContainEqual(expect.stringMatching(/^fsh\/slips\.fsh:12: fsh-unclosed-string: unclosed string: the quote at line 12 column 17/));
    expect(messages).toContainEqual(expect.stringMatching(/^fsh\/slips\.fsh:18: fsh: .*nmae\.family \(did you mean 'name'\?\)/));
    expect(messages).toContainEqual(expect.stringMatching(/^fsh\/tab\.fsh:3: fsh-tab: a tab indents line 3/));
    // The parser's follow-on message inside the open string is not shown on its own.
    expect(messages.filter(m => m.startsWith('fsh/slips.fsh:14:'))).toEqual([]);
    expect(run.stdout).toMatch(/^compile: nothing compiled; 5 errors, 0 warnings in /m);
  });
});
