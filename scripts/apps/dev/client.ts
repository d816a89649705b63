/**
 * The script the dev server injects into every HTML page: it listens for server-sent events,
 * reloads on `reload`, and shows `diagnostics` as an overlay. Diagnostics are user text, so the
 * overlay is built with textContent only, never innerHTML.
 */

export const EVENTS_PATH = '/__vm-ig/events';
export const CLIENT_PATH = '/__vm-ig/client.js';
const TAG = `<script src="${CLIENT_PATH}" defer></script>`;

/** What the overlay shows: counts and one formatted line per diagnostic. */
export interface OverlayState {
  errors: number;
  warnings: number;
  lines: string[];
  /** Set while a rebuild is running. */
  building?: boolean;
}

export function injectClient(html: string): string {
  if (html.includes(TAG)) return html;
  const at = html.lastIndexOf('</body>');
  return at === -1 ? html + TAG : html.slice(0, at) + TAG + html.slice(at);
}

/**
 * Browser code, kept as plain JavaScript text: serialising a compiled function would carry the
 * transpiler's helpers along.
 */
export function clientScript(): string {
  return `(function () {
  var source = new EventSource(${JSON.stringify(EVENTS_PATH)});
  function show(state) {
    var old = document.getElementById('vm-ig-overlay');
    if (old) old.remove();
    if (!state.lines.length) return;
    var box = document.createElement('div');
    box.id = 'vm-ig-overlay';
    box.setAttribute('role', 'alert');
    box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:99999;' +
      'background:#1d1d1d;color:#fff;font:14px/1.4 monospace;padding:12px 16px;border-top:4px solid ' +
      (state.errors ? '#d5281b' : '#ffeb3b');
    var close = document.createElement('button');
    close.textContent = 'Hide';
    close.style.cssText = 'float:right';
    close.onclick = function () { box.remove(); };
    var head = document.createElement('strong');
    head.textContent = 'vm-ig: ' + state.errors + (state.errors === 1 ? ' error, ' : ' errors, ') + state.warnings + (state.warnings === 1 ? ' warning' : ' warnings') +
      (state.errors ? ' (showing the last good build)' : '');
    var list = document.createElement('pre');
    list.style.cssText = 'white-space:pre-wrap;margin:8px 0 0';
    list.textContent = state.lines.join('\\n');
    box.append(close, head, list);
    document.body.append(box);
  }
  source.addEventListener('reload', function () { location.reload(); });
  // Pages brought up to date after a reload (the QA report): reloaded only where they are on show.
  source.addEventListener('refresh', function (e) {
    var here = decodeURIComponent(location.pathname.replace(/^\\/+/, '')) || 'index.html';
    if (JSON.parse(e.data).pages.indexOf(here) >= 0) location.reload();
  });
  source.addEventListener('diagnostics', function (e) { show(JSON.parse(e.data)); });
})();
`;
}
