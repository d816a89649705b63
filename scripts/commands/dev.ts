/**
 * `vm-ig dev`: build once, keep the session in memory, watch the sources, rebuild what a change
 * affects, and serve build/site with live reload and a diagnostics overlay.
 */
import type { PathOptions } from '../project/paths.ts';
import { keepHeapNearLive } from '../util/runtime.ts';
import { DevSession, type BuildOutcome, type DevSessionOptions } from '../apps/dev/session.ts';
import { startDevServer, type DevServer } from '../apps/dev/server.ts';
import { watchProject, type ProjectWatcher } from '../apps/dev/watch.ts';
import { themeHooks } from '../apps/dev/theme.ts';
import { errorCode, errorMessage } from '../util/errors.ts';

export interface DevCommandOptions {
  root: string;
  port: number;
  host: string;
}

export interface StartDevOptions extends PathOptions {
  root: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** Override stage runners (tests). */
  session?: Omit<DevSessionOptions, keyof PathOptions | 'log'>;
  settleMs?: number;
}

export interface RunningDev {
  session: DevSession;
  server: DevServer;
  watcher: ProjectWatcher;
  /** The outcome of the first build. */
  first: BuildOutcome | undefined;
  close(): Promise<void>;
}

/** Start the whole loop; the caller decides how long it runs (tests and the bench use this). */
export async function startDev(options: StartDevOptions): Promise<RunningDev> {
  keepHeapNearLive();
  const log = options.log ?? (() => {});
  const session = new DevSession(options.root, {
    theme: themeHooks,
    ...options.session,
    packageCache: options.packageCache,
    userPackageCache: options.userPackageCache,
    log
  });
  const first = await session.start();
  const server = await startDevServer({
    siteDir: session.paths.site,
    host: options.host,
    port: options.port,
    virtualFile: url => session.virtualFile(url),
    greeting: () => ({ event: 'diagnostics', data: session.overlayState() })
  });
  session.onBuilt(outcome => {
    server.notify('diagnostics', session.overlayState());
    if (outcome.siteChanged) server.notify('reload', { kind: outcome.kind, pages: outcome.pages });
  });
  session.onRefreshed(pages => {
    server.notify('diagnostics', session.overlayState());
    server.notify('refresh', { pages });
  });
  const watcher = watchProject(options.root, changes => void session.apply(changes), { settleMs: options.settleMs });
  await watcher.ready;
  return { session, server, watcher, first, close: () => closeAll(watcher, server, session) };
}

async function closeAll(watcher: ProjectWatcher, server: DevServer, session: DevSession): Promise<void> {
  await watcher.close();
  await server.close();
  await session.close();
}

export async function devCommand(options: DevCommandOptions): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error(`vm-ig dev: --port must be a whole number from 0 to 65535, not '${options.port}'`);
    return 2;
  }
  console.log(`vm-ig dev: building ${options.root} once, then watching ${['fsh/', 'input/', 'site/', 'sushi-config.yaml'].join(', ')}`);
  let dev: RunningDev;
  try {
    dev = await startDev({ root: options.root, port: options.port, host: options.host, log: line => console.log(line) });
  } catch (e) {
    const code = errorCode(e);
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      console.error(`vm-ig dev: cannot listen on ${options.host}:${options.port}: ${errorMessage(e)}`);
      return 2;
    }
    throw e;
  }
  console.log(`vm-ig dev: serving ${dev.session.paths.site} at ${dev.server.url} (Ctrl+C to stop)`);
  await untilSignal();
  await dev.close();
  return 0;
}

function untilSignal(): Promise<void> {
  return new Promise(ok => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      ok();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
