#!/usr/bin/env node
/**
 * vm-ig: the command line. Parses argv, runs the pipeline, prints diagnostics once each with one
 * formatter, and maps the outcome to exit codes: 0 ok, 1 errors in the input, 2 usage or
 * unreadable input.
 */
import './util/runtime.ts';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { countBySeverity } from './model/diagnostics.ts';
import { diagnosticLines, plural } from './model/diagnostic-groups.ts';
import { TOOLCHAIN_ROOT } from './util/toolchain-files.ts';
import { readFileSync } from 'node:fs';
import { runPipeline, STAGES, formatMs, type PipelineEvent, type StageName } from './pipeline/sequencer.ts';
import { DEFAULT_ARCHIVE_LIMITS } from './fhir/tar-reader.ts';
import { projectPaths } from './project/paths.ts';
import { createProgress } from './apps/dev/progress.ts';
import { downloadReporter, networkOptions, setNetworkOptions } from './fhir/network.ts';
import { isJsonObject } from './fhir/json.ts';
import { errorMessage } from './util/errors.ts';

const OFFLINE_HELP = 'open no connection: packages come from the local caches only (a missing one is an error)';

// Each command loads its own modules when it runs: a build whose stages all come from the build
// cache never loads SUSHI, the validator or the renderer (see pipeline/sequencer.ts).

const program = new Command()
  .name('vm-ig')
  .description('Build, validate and publish the NHS Visitors and Migrants FHIR implementation guide, offline.')
  .option('-C, --project <dir>', 'project root', '.')
  .version(toolchainVersion(), '-V, --version', 'print the version of vm-ig')
  .option('-q, --quiet', 'print only diagnostics and the final summary')
  .option('-v, --verbose', 'also print information messages (grouped like the rest)')
  .option('--report <file>', 'also write the run as JSON (stages run, diagnostics, artifact counts) for CI and editors')
  .showHelpAfterError()
  // --offline (build, compile, validate, packages install) and -q reach dependency loading here.
  .hook('preAction', (_, action) => {
    const quiet = Boolean(program.opts<{ quiet?: boolean }>().quiet);
    setNetworkOptions({ offline: action.opts<{ offline?: boolean }>().offline === true || undefined, onEvent: downloadReporter(quiet) });
  })
  // Usage errors (unknown option, bad --format choice, missing argument) exit 2, as the design says.
  .exitOverride(err => process.exit(err.exitCode === 1 ? 2 : err.exitCode));

for (const name of ['compile', 'site', 'package'] as const) {
  const descriptions: Record<typeof name, string> = {
    compile: 'compile FSH in input/fsh/ or fsh/ to FHIR JSON in fsh-generated/resources (with snapshots)',
    site: 'render the documentation website into build/site',
    package: 'write the FHIR NPM package build/package.tgz'
  };
  const command = program
    .command(name)
    .description(descriptions[name])
    .action(() => runStages([name]));
  if (name === 'compile') command.option('--offline', OFFLINE_HELP);
}

program
  .command('validate')
  .description('validate compiled instances, or the FILEs given (JSON or XML), against profiles and FHIR R4')
  .argument('[file...]', 'files to validate; none = every compiled instance and conformance resource')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
  .option('--profile <url>', 'validate against this profile instead of meta.profile')
  .option('--load <path>', 'load conformance resources from a folder, JSON file or package .tgz (repeatable)', collect, [])
  .option('--offline', OFFLINE_HELP)
  .action(async (files: string[], opts: { format: 'text' | 'json'; profile?: string; load: string[] }) => {
    const { validateCommand } = await import('./commands/validate.ts');
    process.exitCode = await validateCommand({ root: root(), files, format: opts.format, profile: opts.profile, load: opts.load });
  });

program
  .command('build')
  .description(`run every stage, in order: ${STAGES.map(s => s.name).join(' -> ')}`)
  .option('--offline', OFFLINE_HELP)
  .action(() => runStages(STAGES.map(s => s.name)));

program
  .command('dev')
  .description('live preview: watch sources, rebuild what changed, serve build/site with live reload')
  .option('-p, --port <port>', 'port to listen on', portNumber, 8080)
  .option('--host <host>', 'interface to bind (loopback by default)', '127.0.0.1')
  .action(async (opts: { port: number; host: string }) => {
    const { devCommand } = await import('./commands/dev.ts');
    process.exitCode = await devCommand({ root: root(), port: opts.port, host: opts.host });
  });

program
  .command('sandbox')
  .description('serve the Spine Visitors and Migrants endpoint, generated from the guide, with its test scenarios')
  .option('-p, --port <port>', 'port to listen on', portNumber, 8090)
  .option('--host <host>', 'interface to bind (loopback by default)', '127.0.0.1')
  .option('--no-request-log', 'do not print a line per request (method, path, status, time, Spine code)')
  .action(async (opts: { port: number; host: string; requestLog: boolean }) => {
    const { sandboxCommand } = await import('./commands/sandbox.ts');
    process.exitCode = await sandboxCommand({ root: root(), port: opts.port, host: opts.host, requestLog: opts.requestLog });
  });

program
  .command('diff')
  .description('compare the guide with a previous release (a package .tgz or id#version): every change, breaking or compatible')
  .argument('<previous>', 'the previous release: a package .tgz, or id#version from the package caches (downloaded when missing)')
  .option('--current <package>', 'compare this package (.tgz or id#version) instead of the guide being built')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
  .addOption(new Option('--fail-on <class>', 'exit 1 when a change of this class is found').choices(['breaking', 'any']))
  .option('--offline', OFFLINE_HELP)
  .action(async (previous: string, opts: { current?: string; format: 'text' | 'json'; failOn?: 'breaking' | 'any' }) => {
    const { diffCommand } = await import('./commands/diff.ts');
    process.exitCode = await diffCommand({ root: root(), previous, current: opts.current, format: opts.format, failOn: opts.failOn });
  });

const packages = program.command('packages').description("FHIR packages: download the guide's dependencies, list the caches, add a tarball");
// Whatever the command, work a killed package command left in the caches goes first.
packages.hook('preAction', async () => {
  const { clearStalePackageWork } = await import('./fhir/packages-add.ts');
  const paths = projectPaths(root());
  clearStalePackageWork([paths.packageCache, paths.userPackageCache]);
});
packages
  .command('install')
  .description("download packages into the FHIR package cache (~/.fhir/packages); none named: the guide's dependencies and SUSHI's automatic ones")
  .argument('[package...]', 'id#version (or id#latest, id#1.0.x, id#current, or id alone for the latest)')
  .option('--offline', OFFLINE_HELP)
  .action(async (specs: string[]) => {
    const { packagesInstallCommand } = await import('./commands/packages.ts');
    const quiet = Boolean(program.opts<{ quiet?: boolean }>().quiet);
    process.exitCode = await packagesInstallCommand({ root: root(), specs, offline: networkOptions().offline, quiet });
  });
packages
  .command('list')
  .description('list the cached FHIR packages a build can use: where, and their size')
  .action(async () => {
    const { packagesListCommand } = await import('./commands/packages.ts');
    process.exitCode = packagesListCommand(root());
  });
packages
  .command('add')
  .description('install a FHIR package tarball (.tgz) into the local cache, for offline dependencies')
  .argument('<tarball>', 'path to the package .tgz')
  .option('--max-bytes <bytes>', 'refuse a package that unpacks to more than this many bytes', positiveInt, DEFAULT_ARCHIVE_LIMITS.maxBytes)
  .option('--max-files <count>', 'refuse a package with more than this many entries', positiveInt, DEFAULT_ARCHIVE_LIMITS.maxEntries)
  .action(async (tarball: string, opts: { maxBytes: number; maxFiles: number }) => {
    try {
      const { installPackageTarball } = await import('./fhir/packages-add.ts');
      const limits = { maxBytes: opts.maxBytes, maxEntries: opts.maxFiles };
      const installed = await installPackageTarball(projectPaths(root()).packageCache, resolve(tarball), { limits });
      const dropped = installed.dropped ? ` (${installed.dropped} links or special files left out)` : '';
      console.log(`installed ${installed.name}#${installed.version} into ${installed.path}: ${installed.files} files${dropped}`);
    } catch (e) {
      console.error(`vm-ig packages add: ${errorMessage(e)}`);
      process.exitCode = 2;
    }
  });

function root(): string {
  return resolve(program.opts<{ project: string }>().project);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return n;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runStages(targets: StageName[]): Promise<void> {
  const { quiet, verbose } = program.opts<{ quiet?: boolean; verbose?: boolean }>();
  const started = performance.now();
  const progress = createProgress({ quiet: Boolean(quiet) });
  // Other stages' lines are left out, except one whose errors stop the run.
  const stops = (e: PipelineEvent) =>
    e.type === 'stage-end' && STAGES.some(s => s.name === e.stage && s.haltOnError) && e.outcome.diagnostics.some(d => d.severity === 'error');
  const onEvent = (e: PipelineEvent) => (e.type === 'stage-end' && !targets.includes(e.stage) && !stops(e) ? undefined : progress.onEvent(e));
  // A one-off command validates on a second thread while this one makes the site's pages;
  // VM_IG_THREADS=0 keeps everything on one thread.
  const threads = process.env.VM_IG_THREADS !== '0';
  const result = await runPipeline(root(), targets, { onEvent, threads }).finally(() => progress.stop());
  // A command prints its own stages' work: `site` runs validation for the QA page, but its
  // findings are `validate`'s to print (a stage that stopped the run is shown, with its errors).
  const own = (stage: StageName) => targets.includes(stage) || result.haltedAt === stage;
  const ctx = result.ctx;
  const ownDiagnostics = ctx ? [...ctx.configDiagnostics, ...result.ran.filter(own).flatMap(s => ctx.stageDiagnostics.get(s) ?? [])] : result.diagnostics;
  // A failure to write the output, whichever stage met it, is why the command exits 2: always shown.
  const shown = [...ownDiagnostics, ...result.diagnostics.filter(d => d.rule === 'io-error' && !ownDiagnostics.includes(d))];
  const { lines, hidden } = diagnosticLines(shown, { verbose });
  for (const line of lines) (line.severity === 'error' ? console.error : console.log)(line.text);
  const c = countBySeverity(shown);
  const counts = result.ctx?.compiled?.counts;
  const artifacts = counts
    ? Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')
    : 'nothing compiled';
  const info = hidden ? ` (${plural(hidden, 'information message')} not shown: --verbose shows them)` : '';
  console.log(
    `${result.ran.filter(own).join(' -> ') || 'no stage ran'}: ${artifacts}; ${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}${info} in ${formatMs(performance.now() - started)}`
  );
  process.exitCode = result.ioFailure ? 2 : c.error > 0 ? 1 : 0;
  const report = program.opts<{ report?: string }>().report;
  if (report) {
    const { writeFileAtomic } = await import('./util/atomic.ts');
    writeFileAtomic(
      resolve(report),
      `${JSON.stringify({ ran: result.ran, counts: counts ?? null, diagnostics: result.diagnostics, exitCode: process.exitCode }, null, 2)}\n`
    );
  }
}

function toolchainVersion(): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(TOOLCHAIN_ROOT, 'package.json'), 'utf8'));
    return isJsonObject(manifest) && typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`vm-ig: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 70;
});
