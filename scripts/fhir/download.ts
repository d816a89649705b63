/**
 * FHIR package registries, reached through fhir-package-loader's own clients (configured, not
 * forked): `FPL_REGISTRY` (an NPM-style registry, with `FPL_REGISTRY_TOKEN` sent as a bearer
 * token, as SUSHI sends it) or packages.fhir.org with packages2.fhir.org as its fallback, and
 * build.fhir.org for `current` builds. What this module adds around them:
 *
 * - timeouts and bounded retries: the loader's axios is given a timeout (no answer, or a silent
 *   socket, for `VM_IG_REGISTRY_TIMEOUT_MS`, 30 s by default) and a stalled tarball body is cut
 *   off after as long; network failures, timeouts and HTTP 5xx/429 are tried again twice;
 * - errors that name the package, each registry tried and its HTTP status or network error;
 * - the registry's `dist.integrity` / `dist.shasum` checked against the bytes received;
 * - progress events (bytes, time) for the command line.
 *
 * The tarball is saved beside the cache it goes into and installed from there by the same
 * hostile-archive installer as `vm-ig packages add` (packages-add.ts), atomically.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AxiosStatic } from 'axios';
import { axiosGet, BuildDotFhirDotOrgClient, FHIRRegistryClient, NPMRegistryClient, type RegistryClient } from 'fhir-package-loader';
import { toolchainRequire } from '../util/toolchain-files.ts';
import { errorCode, errorMessage } from '../util/errors.ts';
import { isJsonObject } from './json.ts';
import { registryUrls, type DownloadEvent } from './network.ts';

/** packages.fhir.org and its secondary, as fhir-package-loader's DefaultRegistryClient has them. */
const BUILD_FHIR_ORG = 'https://build.fhir.org/';

export interface Registry {
  url: string;
  /** `npm`: an NPM-style registry (FPL_REGISTRY); `fhir`: the packages.fhir.org protocol. */
  kind: 'npm' | 'fhir';
  client: RegistryClient;
}

export interface Tuning {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

export function tuning(env: NodeJS.ProcessEnv = process.env): Tuning {
  const num = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  return {
    timeoutMs: num(env.VM_IG_REGISTRY_TIMEOUT_MS, 30_000),
    retries: Math.min(num(env.VM_IG_REGISTRY_RETRIES, 2), 5),
    retryDelayMs: num(env.VM_IG_REGISTRY_RETRY_DELAY_MS, 500)
  };
}

/** The registries to ask (`registryUrls`), each with fhir-package-loader's client for it. */
export function registries(env: NodeJS.ProcessEnv = process.env): Registry[] {
  configureHttp();
  const { kind, urls } = registryUrls(env);
  return urls.map(url => ({
    url,
    kind,
    client: kind === 'npm' ? new NPMRegistryClient(url, { log: () => {} }) : new FHIRRegistryClient(url, { log: () => {} })
  }));
}

let configured = false;

/**
 * Give the loader's axios (the CommonJS copy it requires, not ours) a timeout; in tests, send
 * build.fhir.org requests to the stand-in named by `VM_IG_TEST_BUILD_FHIR_ORG`.
 */
export function configureHttp(): void {
  if (configured) return;
  configured = true;
  const axios = fplAxios();
  axios.defaults.timeout = tuning().timeoutMs;
  axios.interceptors.request.use(config => {
    const stand = process.env.VM_IG_TEST_BUILD_FHIR_ORG;
    if (stand && config.url?.startsWith(BUILD_FHIR_ORG)) config.url = `${stand.replace(/\/$/, '')}/${config.url.slice(BUILD_FHIR_ORG.length)}`;
    config.timeout = tuning().timeoutMs;
    return config;
  });
}

function fplAxios(): AxiosStatic {
  const fplRequire = createRequire(toolchainRequire.resolve('fhir-package-loader'));
  // axios's CommonJS build, typed by its own declarations (its `default` is the module itself).
  const axios: typeof import('axios') = fplRequire('axios');
  return axios.default;
}

/** A failure that names what was asked of which registry and how it answered. */
export class RegistryError extends Error {
  constructor(
    message: string,
    /** Worth trying again (network failure, timeout, 5xx). */
    readonly retryable: boolean,
    /** The registry said it does not have it (404). */
    readonly notFound = false
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** `HTTP 404 Not Found`, `network error ECONNREFUSED`, `no answer within 30 s`: how a request failed. */
export function describeFailure(e: unknown, timeoutMs = tuning().timeoutMs): { text: string; retryable: boolean; notFound: boolean } {
  if (e instanceof RegistryError) return { text: e.message, retryable: e.retryable, notFound: e.notFound };
  const response = isJsonObject(e) && isJsonObject(e.response) ? e.response : undefined;
  const status = typeof response?.status === 'number' ? response.status : undefined;
  if (status !== undefined) return httpStatus(status, typeof response?.statusText === 'string' ? response.statusText : '');
  const code = errorCode(e);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(errorMessage(e)))
    return { text: `no answer within ${formatSeconds(timeoutMs)}`, retryable: true, notFound: false };
  // A refused connection or an unknown host is not worth trying again at once; a reset may be.
  if (code) {
    const detail = errorMessage(e) && !errorMessage(e).includes(code) ? ` (${errorMessage(e)})` : '';
    return { text: `network error ${code}${detail}`, retryable: !PERMANENT_NETWORK_ERRORS.includes(code), notFound: false };
  }
  return { text: errorMessage(e), retryable: false, notFound: false };
}

const PERMANENT_NETWORK_ERRORS = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];

function httpStatus(status: number, statusText: string): { text: string; retryable: boolean; notFound: boolean } {
  const hint = status === 401 || status === 403 ? ' (check FPL_REGISTRY_TOKEN)' : '';
  return { text: `HTTP ${status}${statusText ? ` ${statusText}` : ''}${hint}`, retryable: status >= 500 || status === 429, notFound: status === 404 };
}

/** Run `attempt` with bounded retries of the failures worth retrying. */
async function withRetries<T>(attempt: () => Promise<T>, onRetry: (problem: string, n: number) => void): Promise<T> {
  const { retries, retryDelayMs } = tuning();
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      const failure = describeFailure(e);
      if (!failure.retryable || n >= retries) throw new RegistryError(failure.text, failure.retryable, failure.notFound);
      onRetry(failure.text, n + 1);
      await new Promise(r => setTimeout(r, retryDelayMs * 2 ** n));
    }
  }
}

/** A registry's document about one package (`GET <registry>/<name>`): versions, dist-tags, dist. */
export interface PackageDocument {
  versions: Record<string, { dist?: { tarball?: string; shasum?: string; integrity?: string } }>;
  distTags: Record<string, string>;
}

export async function fetchPackageDocument(
  registry: Registry,
  name: string,
  onRetry: (problem: string, n: number) => void = () => {}
): Promise<PackageDocument> {
  const url = `${registry.url.replace(/\/$/, '')}/${name}`;
  const res = await withRetries(async () => {
    const r = await axiosGet(url, { responseType: 'json' });
    if (r.status !== 200) throw new RegistryError(httpStatus(r.status, r.statusText).text, false);
    return r;
  }, onRetry);
  const data: unknown = res.data;
  if (!isJsonObject(data)) throw new RegistryError(`${url} did not answer with a JSON package document`, false);
  return { versions: versionsOf(data.versions), distTags: stringsOf(data['dist-tags']) };
}

/** A document's `versions`: each version's `dist` with the string members this module reads (others left out). */
function versionsOf(value: unknown): PackageDocument['versions'] {
  const versions: PackageDocument['versions'] = {};
  if (!isJsonObject(value)) return versions;
  for (const [version, entry] of Object.entries(value)) {
    if (!isJsonObject(entry)) continue;
    versions[version] = isJsonObject(entry.dist) ? { dist: stringsOf(entry.dist) } : {};
  }
  return versions;
}

/** The string-valued members of a JSON object (a document's `dist-tags`, a version's `dist`). */
function stringsOf(value: unknown): Record<string, string> {
  return isJsonObject(value) ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
}

/**
 * The concrete version `spec` names in a registry's document, as fhir-package-loader resolves it:
 * `latest` is the `latest` dist-tag; `1.2.x` the highest 1.2 release (no pre-releases); anything
 * else is itself.
 */
export function resolveFromDocument(doc: PackageDocument, spec: string): string | undefined {
  if (spec === 'latest') return doc.distTags.latest || undefined;
  const wildcard = /^(\d+)\.(\d+)\.x$/.exec(spec);
  if (wildcard) {
    const patches = Object.keys(doc.versions)
      .map(v => new RegExp(`^${wildcard[1]}\\.${wildcard[2]}\\.(\\d+)$`).exec(v))
      .filter((m): m is RegExpExecArray => m !== null)
      .map(m => Number(m[1]));
    return patches.length ? `${wildcard[1]}.${wildcard[2]}.${Math.max(...patches)}` : undefined;
  }
  return spec;
}

export interface Saved {
  file: string;
  bytes: number;
  url: string;
}

/**
 * Download `name#version` from `registry` with its client into a new file in `dir`, checked
 * against `dist` (integrity / shasum). The caller removes the file.
 */
export async function downloadTarball(
  registry: Registry,
  name: string,
  version: string,
  dist: PackageDocument['versions'][string]['dist'],
  dir: string,
  onEvent: (event: DownloadEvent) => void,
  maxBytes: number
): Promise<Saved> {
  const label = `${name}#${version}`;
  const base = registry.url.replace(/\/$/, '');
  // Where the loader's client fetches it from: the document's tarball (NPM), or `<registry>/<name>/<version>`.
  const url = registry.kind === 'fhir' ? `${base}/${name}/${version}` : (dist?.tarball ?? `${base}/${name}/-/${name}-${version}.tgz`);
  return withRetries(
    async () => {
      const stream = await registry.client.download(name, version);
      return saveStream(stream, dir, label, url, onEvent, maxBytes, dist);
    },
    (problem, attempt) => onEvent({ type: 'retry', label, url, problem, attempt })
  );
}

/** Download `name#current` from build.fhir.org with the loader's client; undefined date when it has none. */
export async function downloadCurrentBuild(
  name: string,
  branch: string | undefined,
  dir: string,
  onEvent: (event: DownloadEvent) => void,
  maxBytes: number
): Promise<Saved> {
  configureHttp();
  const client = new BuildDotFhirDotOrgClient({ log: () => {} });
  const label = `${name}#current${branch ? `$${branch}` : ''}`;
  return withRetries(
    async () => {
      let stream: Readable;
      try {
        stream = await client.downloadCurrentBuild(name, branch);
      } catch (e) {
        if (e instanceof Error && e.name === 'CurrentPackageLoadError') throw new RegistryError('build.fhir.org lists no current build of it', false, true);
        throw e;
      }
      return saveStream(stream, dir, label, BUILD_FHIR_ORG, onEvent, maxBytes, undefined);
    },
    (problem, attempt) => onEvent({ type: 'retry', label, url: BUILD_FHIR_ORG, problem, attempt })
  );
}

/** The date of the newest current build (build.fhir.org's package.manifest.json). */
export async function currentBuildDate(name: string, branch?: string): Promise<string | undefined> {
  configureHttp();
  return new BuildDotFhirDotOrgClient({ log: () => {} }).getCurrentBuildDate(name, branch);
}

async function saveStream(
  stream: Readable,
  dir: string,
  label: string,
  url: string,
  onEvent: (event: DownloadEvent) => void,
  maxBytes: number,
  dist: PackageDocument['versions'][string]['dist']
): Promise<Saved> {
  const { timeoutMs } = tuning();
  // The loader's client hands on axios's response stream: Node's IncomingMessage, with the response headers.
  const headers = 'headers' in stream && isJsonObject(stream.headers) ? stream.headers : undefined;
  const declared = Number(headers?.['content-length']);
  const total = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
  if (total !== undefined && total > maxBytes) {
    stream.destroy();
    throw new RegistryError(`the tarball is ${total} bytes, more than the ${maxBytes}-byte limit`, false);
  }
  mkdirSync(dir, { recursive: true });
  // `.<name>.<pid>.tmp`: left by a killed run, it is removed by the next install into this cache (util/atomic.ts).
  const file = join(dir, `.vm-ig-download-${createHash('sha1').update(`${label}${Math.random()}`).digest('hex').slice(0, 8)}.${process.pid}.tmp`);
  const hashes: Record<string, Hash> = { sha1: createHash('sha1'), sha256: createHash('sha256'), sha512: createHash('sha512') };
  const started = performance.now();
  let bytes = 0;
  let lastReport = started;
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      stream.destroy(new RegistryError(`the download stalled: nothing received for ${formatSeconds(timeoutMs)}`, true));
    }, timeoutMs);
  };
  const fd = openSync(file, 'wx', 0o600);
  onEvent({ type: 'start', label, url, total });
  try {
    arm();
    for await (const chunk of stream) {
      arm();
      if (!Buffer.isBuffer(chunk)) throw new RegistryError('the download did not arrive as bytes', false);
      bytes += chunk.length;
      if (bytes > maxBytes) throw new RegistryError(`the tarball is more than the ${maxBytes}-byte limit`, false);
      for (const hash of Object.values(hashes)) hash.update(chunk);
      writeSync(fd, chunk);
      const now = performance.now();
      if (now - lastReport >= 1000) {
        lastReport = now;
        onEvent({ type: 'progress', label, bytes, total, ms: now - started });
      }
    }
    if (total !== undefined && bytes !== total) throw new RegistryError(`the tarball was cut short: ${bytes} of ${total} bytes received`, true);
    const problem = integrityProblem(dist, hashes);
    if (problem) throw new RegistryError(problem, false);
    onEvent({ type: 'done', label, bytes, ms: performance.now() - started, url });
    return { file, bytes, url };
  } catch (e) {
    rmSync(file, { force: true });
    stream.destroy();
    if (stalled && !(e instanceof RegistryError)) throw new RegistryError(`the download stalled: nothing received for ${formatSeconds(timeoutMs)}`, true);
    if (e instanceof RegistryError) throw e;
    const failure = describeFailure(e);
    throw new RegistryError(`the download failed after ${bytes} bytes: ${failure.text}`, true);
  } finally {
    clearTimeout(timer);
    closeSync(fd);
  }
}

/** Why the bytes do not match the registry's `integrity` (SRI) or `shasum`; undefined when they do or it gives neither. */
export function integrityProblem(dist: PackageDocument['versions'][string]['dist'], hashes: Record<string, Hash>): string | undefined {
  const digests = new Map<string, Buffer>();
  const digest = (algorithm: string) => {
    if (!digests.has(algorithm)) digests.set(algorithm, hashes[algorithm]!.copy().digest());
    return digests.get(algorithm)!;
  };
  if (typeof dist?.integrity === 'string' && dist.integrity.trim() !== '') {
    const known = dist.integrity
      .trim()
      .split(/\s+/)
      .map(token => /^(sha1|sha256|sha512)-([A-Za-z0-9+/=]+)/.exec(token))
      .filter((m): m is RegExpExecArray => m !== null);
    if (known.length && !known.some(m => digest(m[1]!).toString('base64') === m[2]))
      return `its integrity does not match the registry's (${known.map(m => `${m[1]}-${m[2]!.slice(0, 16)}...`).join(' ')}, got ${known[0]![1]}-${digest(known[0]![1]!).toString('base64').slice(0, 16)}...)`;
  }
  if (typeof dist?.shasum === 'string' && dist.shasum !== '') {
    const got = digest('sha1').toString('hex');
    if (got !== dist.shasum.toLowerCase()) return `its shasum does not match the registry's (expected ${dist.shasum}, got ${got})`;
  }
  return undefined;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}
