/**
 * The site's static assets: nhsuk-frontend's CSS, JS and icons copied from node_modules (CSS
 * rewritten to relative image URLs, the webfont from assets.nhs.uk dropped so nothing loads from
 * the network; the ES module bundle wrapped as a classic script so it runs from file://), the
 * minisearch browser build, and the theme's own site/assets. Read once per process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { errorCode } from '../../util/errors.ts';
import { toolchainRequire } from '../../util/toolchain-files.ts';

export type SiteFiles = Map<string, string | Uint8Array>;

const require = toolchainRequire;
const cache = new Map<string, SiteFiles>();

/** `nhsuk: false` leaves nhsuk-frontend out (the built-in default theme does not use it). */
export function siteAssets(themeDir: string, options: { nhsuk?: boolean } = {}): SiteFiles {
  const nhsuk = options.nhsuk ?? true;
  const key = `${nhsuk ? 'nhsuk' : 'plain'}:${themeDir}`;
  let files = cache.get(key);
  if (!files) {
    files = new Map([...(nhsuk ? vendorAssets() : new Map()), ...searchAssets(), ...themeAssets(themeDir)]);
    cache.set(key, files);
  }
  return files;
}

function searchAssets(): SiteFiles {
  const minisearch = join(dirname(require.resolve('minisearch')), '..', 'umd', 'index.js');
  return new Map([['assets/js/minisearch.js', readFileSync(minisearch, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '')]]);
}

function nhsukDist(): string {
  return join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');
}

function vendorAssets(): SiteFiles {
  const dist = nhsukDist();
  const files: SiteFiles = new Map();
  const images = join(dist, 'assets', 'images');
  const css = offlineCss(readFileSync(join(dist, 'nhsuk-frontend.min.css'), 'utf8'), name => readFileSync(join(images, name), 'utf8'));
  files.set('assets/css/nhsuk-frontend.min.css', css);
  files.set('assets/js/nhsuk-frontend.min.js', classicScript(readFileSync(join(dist, 'nhsuk-frontend.min.js'), 'utf8')));
  for (const name of readdirSync(images).sort()) {
    if (name.endsWith('.svg') || name === 'favicon.ico') files.set(`assets/images/${name}`, readFileSync(join(images, name)));
  }
  return files;
}

/**
 * Drop @font-face rules (they fetch Frutiger from assets.nhs.uk) and inline the few SVG icons the
 * CSS names: they are CSS masks, which need CORS and so fail from file:// as separate files.
 */
export function offlineCss(css: string, readSvg: (name: string) => string): string {
  return css
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/url\(\/assets\/images\/([\w-]+\.svg)\)/g, (_m, name: string) => `url("data:image/svg+xml,${encodeSvg(readSvg(name))}")`)
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
}

function encodeSvg(svg: string): string {
  return encodeURIComponent(svg.replace(/\s+/g, ' ').trim()).replace(/%20/g, ' ').replace(/%3D/g, '=').replace(/%3A/g, ':').replace(/%2F/g, '/');
}

/** Turn the bundle's trailing `export{a as b,...}` into a global, so a plain <script> can load it. */
export function classicScript(js: string): string {
  const body = js.replace(/\/\/# sourceMappingURL=.*$/m, '');
  const m = /export\s*\{([^}]*)\};?\s*$/.exec(body);
  if (!m) throw new Error('nhsuk-frontend bundle: no trailing export list found');
  const members = m[1]!
    .split(',')
    .map(s => s.trim().split(/\s+as\s+/))
    .map(([local, name]) => `${name ?? local}:${local}`);
  return `(function(){${body.slice(0, m.index)}\nwindow.NHSUKFrontend={${members.join(',')}};})();\n`;
}

function themeAssets(themeDir: string): SiteFiles {
  const root = join(themeDir, 'assets');
  const files: SiteFiles = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(`assets/${relative(root, full).split('\\').join('/')}`, readFileSync(full));
    }
  };
  try {
    walk(root);
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e;
  }
  return files;
}
