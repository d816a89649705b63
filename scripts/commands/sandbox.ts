/**
 * `vm-ig sandbox [--port N] [--host H] [--no-request-log]`: the Spine Visitors and Migrants endpoint,
 * generated from the compiled guide, on loopback by default. Prints the test scenarios, then one
 * line per request, and runs until stopped.
 * Exit 1 when the guide cannot drive it, 2 when the port cannot be bound.
 */
import { SandboxGuideError } from '../lib/spine/guide.ts';
import { compileForSandbox, sandboxHandler, scenarioLines, startSandbox } from '../apps/sandbox/start.ts';
import { errorCode, errorMessage } from '../util/errors.ts';

export interface SandboxCommandOptions {
  root: string;
  port: number;
  host: string;
  /** Print one line per request (method, path, status, time, Spine code); true by default. */
  requestLog?: boolean;
  print?: (line: string) => void;
  /** The project-local FHIR package cache, when not `<root>/.fhir-packages`. */
  packageCache?: string;
  /** Called once the sandbox listens, with its URL. */
  onListening?: (url: string) => void;
  /** Resolves when the sandbox should stop; SIGINT or SIGTERM by default. */
  stopped?: Promise<void>;
}

export async function sandboxCommand(options: SandboxCommandOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    print(`vm-ig sandbox: --port must be a number from 0 to 65535`);
    return 2;
  }
  let handler;
  try {
    const compiled = await compileForSandbox(options.root, { packageCache: options.packageCache });
    handler = sandboxHandler(compiled.resources, compiled.packageCache);
  } catch (e) {
    print(`vm-ig sandbox: ${errorMessage(e)}`);
    return e instanceof SandboxGuideError || /does not compile/.test(errorMessage(e)) ? 1 : 2;
  }
  let running;
  try {
    running = await startSandbox(handler, { port: options.port, host: options.host, log: print, requestLog: options.requestLog === false ? undefined : print });
  } catch (e) {
    print(`vm-ig sandbox: cannot listen on ${options.host}:${options.port}: ${errorCode(e) ?? errorMessage(e)}`);
    return 2;
  }
  print(`Visitors and Migrants sandbox on ${running.url} (GET /metadata, GET /Observation; GET /AuditEvent for the audit trail)`);
  print('Test scenarios:');
  for (const line of scenarioLines(handler.guide)) print(`  ${line}`);
  print('Any other valid NHS Number: PATIENT_NOT_FOUND. Press Ctrl+C to stop.');
  if (options.requestLog !== false) print('Requests (method, path, HTTP status, time, Spine code):');
  options.onListening?.(running.url);
  await (options.stopped ?? signalled());
  await running.close();
  return 0;
}

function signalled(): Promise<void> {
  return new Promise(resolve => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
