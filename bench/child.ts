/**
 * Runs a benchmarked command in a child node process and times it from spawn to exit, with the
 * child's peak memory (bench/peak-rss.mjs). Children get a network that refuses at once: proxies
 * point at a closed loopback port, so anything that tries the network fails fast and offline.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(fileURLToPath(import.meta.url), '..', '..');
const PEAK_RSS = join(REPO, 'bench', 'peak-rss.mjs');
/** Port 9 (discard) on loopback: nothing listens, connections are refused immediately. */
export const REFUSING_PROXY = 'http://127.0.0.1:9';

export interface ChildRun {
  ms: number;
  code: number | null;
  peakMb: number;
  stdout: string;
  stderr: string;
}

export function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const proxy = { HTTPS_PROXY: REFUSING_PROXY, HTTP_PROXY: REFUSING_PROXY, https_proxy: REFUSING_PROXY, http_proxy: REFUSING_PROXY, NO_PROXY: '', no_proxy: '' };
  return { ...process.env, ...proxy, CI: '1', FORCE_COLOR: '0', ...extra };
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
