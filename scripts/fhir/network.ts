/**
 * Whether this run may open connections to package registries, and who hears about downloads.
 * The command line sets it once (`--offline`, `-q`); `VM_IG_OFFLINE=1` in the environment means
 * `--offline` everywhere (CI, test runs). Kept here rather than threaded through every stage's
 * options: only dependency loading (stages/compile/definitions.ts) and `vm-ig packages` read it.
 */
/** What a download reports as it goes, for progress lines. */
export type DownloadEvent =
  | { type: 'start'; label: string; url: string; total?: number }
  | { type: 'progress'; label: string; bytes: number; total?: number; ms: number }
  | { type: 'done'; label: string; bytes: number; ms: number; url: string }
  | { type: 'retry'; label: string; url: string; problem: string; attempt: number };

export interface NetworkOptions {
  offline: boolean;
  onEvent?: (event: DownloadEvent) => void;
}

let chosen: Partial<NetworkOptions> = {};

/** packages.fhir.org and its secondary, asked in this order when no FPL_REGISTRY is set. */
export const FHIR_REGISTRIES = ['https://packages.fhir.org', 'https://packages2.fhir.org/packages'];

/**
 * Where a missing package is asked for, in order: `FPL_REGISTRY` alone (an NPM-style registry)
 * when set, as SUSHI does; else packages.fhir.org then its secondary. `VM_IG_TEST_FHIR_REGISTRIES`
 * (comma-separated) replaces the latter in tests only, so that no test reaches packages.fhir.org.
 */
export function registryUrls(env: NodeJS.ProcessEnv = process.env): { kind: 'npm' | 'fhir'; urls: string[] } {
  if (env.FPL_REGISTRY) return { kind: 'npm', urls: [env.FPL_REGISTRY] };
  return { kind: 'fhir', urls: env.VM_IG_TEST_FHIR_REGISTRIES ? env.VM_IG_TEST_FHIR_REGISTRIES.split(',').filter(Boolean) : FHIR_REGISTRIES };
}

export function setNetworkOptions(options: Partial<NetworkOptions>): void {
  chosen = { ...chosen, ...options };
}

export function networkOptions(env: NodeJS.ProcessEnv = process.env): NetworkOptions {
  const flag = env.VM_IG_OFFLINE;
  const offline = chosen.offline === true || (flag !== undefined && flag !== '' && flag !== '0' && flag !== 'false');
  return { offline, onEvent: chosen.onEvent };
}

/** Progress lines for downloads on `stream` (stderr): start, every second or so, done; nothing when quiet. */
export function downloadReporter(quiet: boolean, stream: { write(text: string): unknown } = process.stderr): (event: DownloadEvent) => void {
  if (quiet) return () => {};
  return event => {
    if (event.type === 'start') stream.write(`downloading ${event.label} from ${event.url}${event.total ? ` (${formatBytes(event.total)})` : ''}\n`);
    else if (event.type === 'progress')
      stream.write(`  ${event.label}: ${formatBytes(event.bytes)}${event.total ? ` of ${formatBytes(event.total)}` : ''} in ${seconds(event.ms)}\n`);
    else if (event.type === 'done') stream.write(`downloaded ${event.label}: ${formatBytes(event.bytes)} in ${seconds(event.ms)}\n`);
    else stream.write(`  ${event.label}: ${event.url} failed (${event.problem}); trying again (${event.attempt})\n`);
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
