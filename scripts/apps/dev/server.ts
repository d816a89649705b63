/**
 * The dev server: serves a site folder over node:http, on loopback by default, with live reload
 * by server-sent events. HTML responses get a one-line script that listens for `reload` and
 * `diagnostics` events. Requests for paths outside the site root (`..`, encoded or not) are
 * refused, and so are requests whose Host header names another machine (DNS rebinding).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CLIENT_PATH, EVENTS_PATH, clientScript, injectClient } from './client.ts';

export interface VirtualFile {
  body: string | Buffer;
  /** Content type; guessed from the extension when absent. */
  type?: string;
}

export interface DevServerOptions {
  /** Folder to serve (build/site). */
  siteDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Files served from memory, by URL path (`/index.html`); looked up before the disk. */
  virtualFile?: (urlPath: string) => VirtualFile | undefined;
  /** Sent to each live-reload client when it connects (the current diagnostics). */
  greeting?: () => { event: string; data: unknown } | undefined;
}

export interface DevServer {
  url: string;
  port: number;
  /** Send an event to every connected page. */
  notify(event: string, data?: unknown): void;
  clientCount(): number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.tgz': 'application/gzip',
  '.map': 'application/json; charset=utf-8'
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Map a URL path to a file under `root`, or undefined when it would leave the root or cannot be
 * decoded. Directories are resolved to their index.html by the caller.
 */
export function resolveSitePath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return target === base || target.startsWith(base + sep) ? target : undefined;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const clients = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    handle(req, res, options, clients).catch(() => send(res, 500, 'internal error'));
  });
  // A rebuild blocks the event loop for a while; a short keep-alive would then close sockets the
  // browser is already reusing (ECONNRESET), so keep idle connections open longer.
  server.keepAliveTimeout = 60_000;
  await listen(server, host, options.port ?? 0);
  // Listening on a TCP host and port (not a pipe), the address is an AddressInfo.
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`the preview server is not listening on a port (${String(address)})`);
  const port = address.port;
  const heartbeat = setInterval(() => clients.forEach(c => c.write(': ping\n\n')), 15_000);
  heartbeat.unref();
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    notify: (event, data) => clients.forEach(c => writeEvent(c, event, data)),
    clientCount: () => clients.size,
    close: () => closeServer(server, clients, heartbeat)
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
}

function closeServer(server: Server, clients: Set<ServerResponse>, heartbeat: NodeJS.Timeout): Promise<void> {
  clearInterval(heartbeat);
  for (const c of clients) c.end();
  clients.clear();
  server.closeAllConnections();
  return new Promise(ok => server.close(() => ok()));
}

async function handle(req: IncomingMessage, res: ServerResponse, options: DevServerOptions, clients: Set<ServerResponse>): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
  if (!isLocalHostHeader(req.headers.host, options.host ?? '127.0.0.1')) return send(res, 403, 'forbidden host');
  const urlPath = (req.url ?? '/').split(/[?#]/)[0] || '/';
  if (urlPath === EVENTS_PATH) return openEventStream(req, res, options, clients);
  if (urlPath === CLIENT_PATH) return send(res, 200, clientScript(), { 'content-type': contentType(CLIENT_PATH) });
  const virtual = options.virtualFile?.(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath);
  if (virtual) return sendFile(req, res, urlPath, virtual.body, virtual.type);
  const file = await findFile(options.siteDir, urlPath);
  if (file === 'forbidden') return send(res, 403, 'forbidden: outside the site');
  if (!file) return send(res, 404, `not found: ${urlPath}`);
  return sendFile(req, res, file, await readFile(file));
}

async function findFile(root: string, urlPath: string): Promise<string | 'forbidden' | undefined> {
  const target = resolveSitePath(root, urlPath);
  if (!target) return 'forbidden';
  try {
    const info = await stat(target);
    const file = info.isDirectory() ? resolve(target, 'index.html') : target;
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return 'forbidden';
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function sendFile(req: IncomingMessage, res: ServerResponse, name: string, body: string | Buffer, type = contentType(name)): void {
  const out = type.startsWith('text/html') ? injectClient(body.toString()) : body;
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : out);
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function openEventStream(req: IncomingMessage, res: ServerResponse, options: DevServerOptions, clients: Set<ServerResponse>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');
  clients.add(res);
  const hello = options.greeting?.();
  if (hello) writeEvent(res, hello.event, hello.data);
  req.on('close', () => clients.delete(res));
}

function writeEvent(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data ?? null)}\n\n`);
}

/**
 * Accept loopback names and the bound host only, so a web page elsewhere cannot read the site;
 * a server bound to every interface (the user asked for it) accepts any name.
 */
export function isLocalHostHeader(header: string | undefined, boundHost: string): boolean {
  if (!header) return false;
  if (boundHost === '0.0.0.0' || boundHost === '::') return true;
  const name = header
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return ['localhost', '127.0.0.1', '::1', boundHost.toLowerCase()].includes(name);
}
