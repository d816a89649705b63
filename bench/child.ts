/**
 * Runs a benchmarked command in a child node process and times it from spawn to exit, with the
 * child's peak memory (bench/peak-rss.mjs). Children run with the environment as it is, minus any
 * proxy variables: the machine has no network, so a tool that tries it fails at once on its own,
 * and a proxy (even a closed one) would only add a detour to SUSHI's attempts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(fileURLToPath(import.meta.url), '..', '..');
const PEAK_RSS = join(REPO, 'bench', 'peak-rss.mjs');
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

export interface ChildRun {
  ms: number;
  code: number | null;
  peakMb: number;
  stdout: string;
  stderr: string;
}

export function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', FORCE_COLOR: '0', ...extra };
  for (const name of PROXY_VARIABLES) delete env[name];
  return env;
}

/** `node [--import tsx] --import peak-rss <script> ...args`, timed. */
export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv, options: { tsx?: boolean; cwd?: string } = {}): Promise<ChildRun> {
  const nodeArgs = [...(options.tsx ? ['--import', 'tsx'] : []), '--import', PEAK_RSS, script, ...args];
  return new Promise((ok, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, nodeArgs, { env, cwd: options.cwd ?? REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => (stdout += c));
    child.stderr.on('data', c => (stderr += c));
    child.on('error', fail);
    child.on('close', code => {
      const ms = performance.now() - started;
      const kb = Number(/@@peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? NaN);
      ok({ ms, code, peakMb: kb / 1024, stdout, stderr: stderr.replace(/\n@@peak-rss-kb \d+\n/, '') });
    });
  });
}

export function mustSucceed(run: ChildRun, what: string): ChildRun {
  if (run.code !== 0 && run.code !== 1) throw new Error(`${what} failed (exit ${run.code}):\n${run.stderr.slice(-2000)}\n${run.stdout.slice(-2000)}`);
  return run;
}
