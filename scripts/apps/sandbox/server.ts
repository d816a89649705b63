/**
 * The sandbox's HTTP server (node:http): loopback by default, bounded in what it reads and how
 * long it waits, never answering with a stack trace. A request head larger than the server reads
 * is still answered with a Spine OperationOutcome (MESSAGE_NOT_WELL_FORMED), written directly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MEDIA_TYPES, serialise } from './format.ts';
import type { SandboxHandler } from './handler.ts';
import { spineError } from '../../lib/spine/responses.ts';
import { errorMessage } from '../../util/errors.ts';

/** The most the server reads of a request line and headers (a 1 MB query string is refused). */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ListenOptions {
  port?: number;
  host?: string;
}

/**
 * `log` gets the internal errors; `requestLog`, when given, one line per request as it is
 * answered: method, path (never the query: it holds the NHS Number), HTTP status, time taken and
 * the Spine code returned (FOUND for a status, `-` when none applies).
 */
export function createSandboxServer(handler: SandboxHandler, log: (line: string) => void = () => {}, requestLog?: (line: string) => void): Server {
  const server = createServer({ maxHeaderSize: MAX_HEAD_BYTES, requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    const start = process.hrtime.bigint();
    let status = 500;
    let code: string | undefined = 'INTERNAL_ERROR';
    try {
      ({ status, code } = answer(handler, req, res));
    } catch (e) {
      log(`sandbox: internal error: ${errorMessage(e)}`);
      if (!res.headersSent) writeBody(res, 500, MEDIA_TYPES.json, JSON.stringify(internalError()));
      else res.destroy();
    }
    requestLog?.(requestLine(req.method ?? 'GET', req.url ?? '/', status, Number(process.hrtime.bigint() - start) / 1e6, code));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const tooBig = err.code === 'HPE_HEADER_OVERFLOW';
    const diagnostics = tooBig ? `The request line and headers are larger than ${MAX_HEAD_BYTES} bytes.` : 'The request is not well-formed HTTP.';
    const reply = spineError(handler.guide, 'MESSAGE_NOT_WELL_FORMED', diagnostics);
    const body = JSON.stringify(reply.body);
    requestLog?.(requestLine('-', '-', reply.status, 0, reply.outcomeCode));
    socket.end(
      `HTTP/1.1 ${reply.status} Bad Request\r\nContent-Type: ${MEDIA_TYPES.json}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    );
  });
  return server;
}

/** One request as the console shows it: `GET /Observation 400 1.2 ms MISSING_OR_INVALID_HEADER`. */
export function requestLine(method: string, target: string, status: number, ms: number, code: string | undefined): string {
  const path = target.split('?')[0]!;
  return `${printable(method, 10)} ${printable(path, 80)} ${status} ${ms.toFixed(1)} ms ${code ?? '-'}`;
}

/** A request value as one safe log word: printable ASCII, no spaces, clipped. */
function printable(s: string, max: number): string {
  const clean = s.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

function answer(handler: SandboxHandler, req: IncomingMessage, res: ServerResponse): { status: number; code: string | undefined } {
  const handled = handler.handle({ method: req.method ?? 'GET', target: req.url ?? '/', headers: req.headers });
  const body = serialise(handled.body, handled.format);
  for (const [k, v] of Object.entries(handled.headers ?? {})) res.setHeader(k, v);
  const trace = req.headers['ssp-traceid'];
  if (typeof trace === 'string' && /^[0-9a-f-]{36}$/i.test(trace)) res.setHeader('Ssp-TraceID', trace);
  // A request with a body is not part of this API; the body is not read, so the connection closes.
  if (req.headers['content-length'] || req.headers['transfer-encoding']) res.setHeader('Connection', 'close');
  writeBody(res, handled.status, MEDIA_TYPES[handled.format], body, req.method === 'HEAD');
  return { status: handled.status, code: handled.outcomeCode };
}

function writeBody(res: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(headOnly ? undefined : body);
}

function internalError(): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'The sandbox failed to answer this request.' }] };
}

/** Listens and resolves with the address actually bound (port 0 picks a free one). */
export function listen(server: Server, options: ListenOptions = {}): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      // A TCP listener's address is an AddressInfo; a string is only for pipes and Unix sockets.
      if (address !== null && typeof address === 'object') resolve(address);
      else reject(new Error(`listening on ${String(address)}, not a TCP port`));
    });
  });
}
