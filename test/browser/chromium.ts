/**
 * Launches Debian's chromium through playwright-core (never a downloaded browser), with a fresh
 * profile and no background networking. CHROMIUM_PATH overrides the binary found on PATH.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error("chromium not found on PATH: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH");
  }
}

export interface LaunchedBrowser {
  /** A persistent context on a fresh, throw-away profile folder (playwright's --user-data-dir). */
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(options: { javaScriptEnabled?: boolean } = {}): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'vm-ig-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
  ];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args,
    headless: true,
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  };
}

export interface PageWatch {
  errors: string[];
  dialogs: string[];
  external: string[];
}

/** Collect console errors, uncaught exceptions, dialogs and requests that leave the site. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], dialogs: [], external: [] };
  page.on('console', m => {
    if (m.type() === 'error') watch.errors.push(m.text());
  });
  page.on('pageerror', e => watch.errors.push(e.message));
  page.on('dialog', d => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', r => {
    if (!r.url().startsWith('file://')) watch.external.push(r.url());
  });
  return watch;
}
