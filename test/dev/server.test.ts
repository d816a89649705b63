import { request } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType, isLocalHostHeader, resolveSitePath, startDevServer, type DevServer } from '../../scripts/apps/dev/server.ts';
import { CLIENT_PATH, EVENTS_PATH, injectClient } from '../../scripts/apps/dev/client.ts';
import { tempDir } from '../helpers/project.ts';
import { connectSse } from './sse.ts';

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise `..`). */
function get(server: DevServer, path: string, host = `127.0.0.1:${server.port}`): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', c => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('dev server', () => {
  let dir: string;
  let site: string;
  let server: DevServer;

  beforeAll(async () => {
    dir = tempDir('vm-ig-dev-server-');
    site = join(dir, 'site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><html><body><h1>Home</h1></body></html>');
    writeFileSync(join(site, 'assets', 'guide.css'), 'body { color: black }');
    writeFileSync(join(site, 'Observation-x.json'), '{"resourceType":"Observation"}');
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    symlinkSync(join(dir, 'secret.txt'), join(site, 'link.txt'));
    server = await startDevServer({
      siteDir: site,
      virtualFile: url => (url === '/virtual.html' ? { body: '<p>from memory</p>' } : undefined),
      greeting: () => ({ event: 'diagnostics', data: { errors: 0, warnings: 0, lines: [] } })
    });
  });
  afterAll(() => server.close());

  it('listens on loopback', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('serves files with their content types and injects the live-reload script into HTML', async () => {
    const home = await get(server, '/');
    expect(home.status).toBe(200);
    expect(home.type).toBe('text/html; charset=utf-8');
    expect(home.body).toContain('<h1>Home</h1>');
    expect(home.body).toContain(`<script src="${CLIENT_PATH}" defer></script></body>`);
    const css = await get(server, '/assets/guide.css');
    expect([css.status, css.type, css.body]).toEqual([200, 'text/css; charset=utf-8', 'body { color: black }']);
    const json = await get(server, '/Observation-x.json?x=1');
    expect([json.status, json.type]).toEqual([200, 'application/json; charset=utf-8']);
    expect(json.body).not.toContain('<script');
  });

  it('serves the client script and in-memory files', async () => {
    const client = await get(server, CLIENT_PATH);
    expect(client.type).toBe('text/javascript; charset=utf-8');
    expect(client.body).toContain(`new EventSource("${EVENTS_PATH}")`);
    const virtual = await get(server, '/virtual.html');
    expect(virtual.body).toContain('<p>from memory</p>');
  });

  it('answers 404 for missing files', async () => {
    expect((await get(server, '/nope.html')).status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00',
    '/%E0%A4%A'
  ])('refuses %s', async path => {
    const res = await get(server, path);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('top secret');
  });

  it('refuses a symlink that points outside the site', async () => {
    const res = await get(server, '/link.txt');
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('top secret');
  });

  it('refuses a Host header naming another machine (DNS rebinding)', async () => {
    expect((await get(server, '/', 'evil.example.com')).status).toBe(403);
    expect((await get(server, '/', `localhost:${server.port}`)).status).toBe(200);
  });

  it('delivers live-reload messages to connected pages', async () => {
    const sse = await connectSse(`${server.url}${EVENTS_PATH.slice(1)}`);
    try {
      const hello = await sse.next('diagnostics');
      expect(hello.data).toEqual({ errors: 0, warnings: 0, lines: [] });
      const before = sse.events.length;
      server.notify('reload', { kind: 'page', pages: ['index.md'] });
      expect((await sse.next('reload', before)).data).toEqual({ kind: 'page', pages: ['index.md'] });
    } finally {
      sse.close();
    }
  });
});

describe('server helpers', () => {
  it('resolves paths inside the root only', () => {
    expect(resolveSitePath('/srv/site', '/a/b.html')).toBe('/srv/site/a/b.html');
    expect(resolveSitePath('/srv/site', '/')).toBe('/srv/site');
    expect(resolveSitePath('/srv/site', '/../site2/x')).toBeUndefined();
    expect(resolveSitePath('/srv/site', '/%2e%2e/x')).toBeUndefined();
    expect(resolveSitePath('/srv/site', '/%zz')).toBeUndefined();
  });

  it('knows the content types the site uses', () => {
    expect(contentType('a.svg')).toBe('image/svg+xml');
    expect(contentType('a.XML')).toBe('application/xml; charset=utf-8');
    expect(contentType('package.tgz')).toBe('application/gzip');
    expect(contentType('noext')).toBe('application/octet-stream');
  });

  it('injects the client once, before </body>, or at the end', () => {
    const once = injectClient('<html><body>x</body></html>');
    expect(injectClient(once)).toBe(once);
    expect(injectClient('<p>fragment</p>')).toMatch(/^<p>fragment<\/p><script/);
  });

  it('accepts loopback Host headers and the bound host', () => {
    expect(isLocalHostHeader('127.0.0.1:8080', '127.0.0.1')).toBe(true);
    expect(isLocalHostHeader('[::1]:8080', '127.0.0.1')).toBe(true);
    expect(isLocalHostHeader('myhost:8080', 'myhost')).toBe(true);
    expect(isLocalHostHeader('attacker.test', '127.0.0.1')).toBe(false);
    expect(isLocalHostHeader(undefined, '127.0.0.1')).toBe(false);
    expect(isLocalHostHeader('192.168.1.4:80', '0.0.0.0')).toBe(true);
  });
});
