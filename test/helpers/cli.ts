/**
 * The CLI as users run it: `node bin/vm-ig.js`, which runs the precompiled bundle in dist/ (the
 * global setup rebuilds it when the sources are newer), in a child process with an empty HOME and
 * no network (a proxy that refuses every connection). The FHIR core package comes from the tests'
 * shared cache through XDG_CACHE_HOME, so it is written once per checkout.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../../scripts/model/diagnostics.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from './project.ts';

export const CLI = join(REPO_ROOT, 'bin', 'vm-ig.js');

/** What `--report` writes. */
export interface CliReport {
  ran: string[];
  counts: Record<string, number> | null;
  diagnostics: Diagnostic[];
  exitCode: number;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The run's report, when the command wrote one. */
  report?: CliReport;
}

/** An XDG cache folder whose vm-ig package cache is the tests' shared one. */
export function sharedXdgCache(): string {
  // SHARED_PACKAGE_CACHE is `<xdg>/vm-ig/fhir-packages` (in older checkouts a link to .fhir-packages/).
  if (!existsSync(SHARED_PACKAGE_CACHE)) mkdirSync(SHARED_PACKAGE_CACHE, { recursive: true });
  return dirname(dirname(SHARED_PACKAGE_CACHE));
}

const REFUSE = 'http://127.0.0.1:9';

/** Environment for a child CLI: empty HOME, the shared core cache, offline, every proxy refusing. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tempDir('vm-ig-home-'),
    XDG_CACHE_HOME: sharedXdgCache(),
    HTTPS_PROXY: REFUSE,
    HTTP_PROXY: REFUSE,
    https_proxy: REFUSE,
    http_proxy: REFUSE,
    NO_PROXY: '',
    no_proxy: '',
    FORCE_COLOR: '0',
    // No registry is reachable from the tests: SUSHI's automatic packages are not asked for
    // (the registry tests set their own environment).
    VM_IG_OFFLINE: '1',
    ...extra
  };
}

/** The same, for the registry tests: the CLI may open connections (to the loopback registries they start). */
export function onlineCliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cliEnv({ VM_IG_OFFLINE: '0', ...extra });
}

/** Run `vm-ig -C root ...args` with `--report`, and read the report back. */
export function runCli(
  root: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cli?: string; cwd?: string } = {}
): Promise<CliRun> {
  const reportFile = join(tempDir('vm-ig-report-'), 'report.json');
  const argv = [options.cli ?? CLI, '-C', root, '--report', reportFile, ...args];
  return new Promise(resolve => {
    execFile(
      process.execPath,
      argv,
      { env: options.env ?? cliEnv(), cwd: options.cwd ?? root, timeout: options.timeoutMs ?? 280_000, maxBuffer: 256 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as CliReport) : undefined;
        resolve({ status, stdout, stderr, report });
      }
    );
  });
}
