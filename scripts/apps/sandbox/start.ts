/**
 * Starting the sandbox: compile the guide (compile and narrative stages, so responses carry the
 * same narratives as the published examples), build the sandbox's view of it, load the
 * project's validator with the guide's profiles, and listen.
 */
import type { Server } from 'node:http';
import { countBySeverity, formatDiagnostic } from '../../model/diagnostics.ts';
import { type CompiledResource } from '../../model/resources.ts';
import { runPipeline, type PipelineOptions } from '../../pipeline/sequencer.ts';
import { guideValidator } from '../../lib/validator/guide.ts';
import { sandboxGuide, type SandboxGuide } from '../../lib/spine/guide.ts';
import { SandboxHandler } from './handler.ts';
import { createSandboxServer, listen } from './server.ts';

export interface SandboxOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** Called with one line per request answered (see createSandboxServer). */
  requestLog?: (line: string) => void;
}

export interface RunningSandbox {
  url: string;
  server: Server;
  handler: SandboxHandler;
  close: () => Promise<void>;
}

/** The compiled guide, or an Error listing the compile errors. */
export async function compileForSandbox(root: string, options: PipelineOptions = {}): Promise<{ resources: CompiledResource[]; packageCache: string }> {
  const result = await runPipeline(root, ['narrative'], options);
  const errors = result.diagnostics.filter(d => d.severity === 'error');
  if (!result.ctx?.compiled || countBySeverity(errors).error > 0) {
    throw new Error(`the guide does not compile:\n${errors.map(formatDiagnostic).join('\n')}`);
  }
  return { resources: result.ctx.compiled.resources, packageCache: result.ctx.paths.packageCache };
}

export function sandboxHandler(resources: CompiledResource[], packageCache: string): SandboxHandler {
  const guide = sandboxGuide(resources);
  return new SandboxHandler(guide, guideValidator(packageCache, guide.resources));
}

export async function startSandbox(handler: SandboxHandler, options: SandboxOptions = {}): Promise<RunningSandbox> {
  const server = createSandboxServer(handler, options.log, options.requestLog);
  const address = await listen(server, { port: options.port, host: options.host });
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  handler.base = `http://${host}:${address.port}`;
  const close = () =>
    new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: handler.base, server, handler, close };
}

/** The scenario table as printed at start: value, what selects it, HTTP status, title. */
export function scenarioLines(guide: SandboxGuide): string[] {
  const rows = guide.scenarios.map(s => [s.key, s.keyType === 'asid' ? 'Ssp-From' : 'NHS Number', String(s.httpStatus), s.title]);
  const header = ['Value', 'Sent as', 'HTTP', 'Scenario'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)];
}
