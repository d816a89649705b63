/**
 * Package registries on 127.0.0.1 for the registry tests: a real npm registry (Verdaccio 6.8, in
 * this process, with a temporary storage and configuration) into which the corpus packages are
 * published as `npm publish` sends them, and a small node:http stand-in for answers a real
 * registry never gives (bad shasum, traversal entries, truncated tarballs, 404, 500, stalls) and
 * for the packages.fhir.org protocol (`GET /<id>`, `GET /<id>/<version>`).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { requireCorpus } from '../helpers/corpus.ts';
import { REPO_ROOT } from '../helpers/project.ts';

export const CORPUS = requireCorpus(REPO_ROOT);
export const CORPUS_PACKAGES = join(CORPUS, 'packages');

export interface PackageFile {
  name: string;
  version: string;
  file: string;
  bytes: Buffer;
  manifest: Record<string, unknown>;
}

/** The corpus packages, lowest version first (so `latest` ends on the highest). */
export async function corpusPackages(filter: (name: string) => boolean = () => true): Promise<PackageFile[]> {
  const files = readdirSync(CORPUS_PACKAGES)
    .filter(f => f.endsWith('.tgz') && filter(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return Promise.all(files.map(f => packageFile(join(CORPUS_PACKAGES, f))));
}

export async function packageFile(file: string): Promise<PackageFile> {
  let text = '';
  await tar.t({
    file,
    onReadEntry: entry => {
      if (entry.path === 'package/package.json') entry.on('data', (c: Buffer) => (text += c.toString('utf8')));
      else entry.resume();
    }
  });
  const manifest = JSON.parse(text) as Record<string, unknown>;
  return { name: String(manifest.name), version: String(manifest.version), file, bytes: readFileSync(file), manifest };
}

export function dist(bytes: Buffer, tarball: string) {
  return {
    shasum: createHash('sha1').update(bytes).digest('hex'),
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    tarball
  };
}

export interface Verdaccio {
  url: string;
  port: number;
  publish(pkg: PackageFile, token?: string): Promise<void>;
  /** Create a user (npm adduser); its bearer token. */
  addUser(name: string, password: string): Promise<string>;
  requests: string[];
  close(): Promise<void>;
}

/** Verdaccio on 127.0.0.1 with no uplink; `authenticated`: reading and publishing need a user's token. */
export async function startVerdaccio(options: { authenticated?: boolean } = {}): Promise<Verdaccio> {
  const { runServer } = (await import('verdaccio')) as unknown as { runServer(config: unknown): Promise<Server> };
  const dir = mkdtempSync(join(tmpdir(), 'vm-ig-verdaccio-'));
  const who = options.authenticated ? '$authenticated' : '$all';
  const server = await runServer({
    self_path: join(dir, 'config.yaml'),
    storage: join(dir, 'storage'),
    uplinks: {},
    packages: { '**': { access: who, publish: who } },
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 100 } },
    log: { type: 'stdout', format: 'json', level: 'fatal' },
    max_body_size: '100mb',
    web: { enable: false }
  });
  const requests: string[] = [];
  server.on('request', (req: IncomingMessage) => requests.push(`${req.method} ${req.url}`));
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    port,
    requests,
    async publish(pkg, token) {
      const base = url.replace(/\/$/, '');
      const body = {
        _id: pkg.name,
        name: pkg.name,
        'dist-tags': { latest: pkg.version },
        versions: {
          [pkg.version]: { ...pkg.manifest, _id: `${pkg.name}@${pkg.version}`, dist: dist(pkg.bytes, `${base}/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`) }
        },
        _attachments: {
          [`${pkg.name}-${pkg.version}.tgz`]: { content_type: 'application/octet-stream', data: pkg.bytes.toString('base64'), length: pkg.bytes.length }
        }
      };
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${base}/${pkg.name}`, { method: 'PUT', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`publishing ${pkg.name}#${pkg.version}: HTTP ${res.status} ${await res.text()}`);
    },
    async addUser(name, password) {
      const res = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password })
      });
      const answer = (await res.json()) as { token?: string };
      if (!answer.token) throw new Error(`adduser: HTTP ${res.status} ${JSON.stringify(answer)}`);
      return answer.token;
    },
    close: () => {
      server.closeAllConnections();
      return close(server);
    }
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: string) => void | 'stall';

export interface StandIn {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 answering with `handler`; `'stall'` leaves the request hanging. */
export async function startStandIn(handler: Handler): Promise<StandIn> {
  const requests: string[] = [];
  const stalled = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (handler(req, res, req.url ?? '/') === 'stall') stalled.add(res);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await close(server);
    }
  };
}

/** An npm package document for `pkgs` (one name), with tarballs at `<base>/<name>/-/<name>-<v>.tgz`. */
export function npmDocument(base: string, pkgs: { name: string; version: string; bytes: Buffer; dist?: Record<string, string> }[], latest?: string) {
  const name = pkgs[0]!.name;
  return {
    name,
    'dist-tags': { latest: latest ?? pkgs.at(-1)!.version },
    versions: Object.fromEntries(
      pkgs.map(p => [p.version, { name, version: p.version, dist: { ...dist(p.bytes, `${base}/${name}/-/${name}-${p.version}.tgz`), ...p.dist } }])
    )
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendBytes(res: ServerResponse, bytes: Buffer, declaredLength = bytes.length): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': declaredLength });
  res.end(bytes);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise(resolve => server.close(() => resolve()));
}
