import { describe, expect, it } from 'vitest';
import { clientScript, EVENTS_PATH } from '../../scripts/apps/dev/client.ts';

/** Just enough DOM for the injected script: elements record their text and children. */
class FakeElement {
  id = '';
  textContent = '';
  style = { cssText: '' };
  children: FakeElement[] = [];
  attributes: Record<string, string> = {};
  removed = false;
  onclick?: () => void;
  constructor(readonly tag: string) {}
  setAttribute(name: string, value: string) {
    this.attributes[name] = value;
  }
  append(...els: FakeElement[]) {
    this.children.push(...els);
  }
  remove() {
    this.removed = true;
    body.children = body.children.filter(c => c !== this);
  }
  get innerHTML(): string {
    throw new Error('the overlay must not use innerHTML');
  }
}
const body = new FakeElement('body');

function runClient() {
  const listeners: Record<string, (e: { data: string }) => void> = {};
  let url = '';
  let reloaded = 0;
  class FakeEventSource {
    constructor(u: string) {
      url = u;
    }
    addEventListener(name: string, fn: (e: { data: string }) => void) {
      listeners[name] = fn;
    }
  }
  const document = {
    body,
    createElement: (tag: string) => new FakeElement(tag),
    getElementById: (id: string) => body.children.find(c => c.id === id) ?? null
  };
  new Function('EventSource', 'document', 'location', clientScript())(FakeEventSource, document, { reload: () => reloaded++ });
  return { listeners, url: () => url, reloaded: () => reloaded };
}

describe('live-reload client', () => {
  it('listens on the events path and reloads on `reload`', () => {
    const c = runClient();
    expect(c.url()).toBe(EVENTS_PATH);
    c.listeners.reload!({ data: 'null' });
    expect(c.reloaded()).toBe(1);
  });

  it('shows diagnostics as text in an overlay and removes it when they are gone', () => {
    const c = runClient();
    const lines = ['fsh/a.fsh:3:1: error <img src=x onerror=alert(1)> is not a parent'];
    c.listeners.diagnostics!({ data: JSON.stringify({ errors: 1, warnings: 0, lines }) });
    const overlay = body.children.find(e => e.id === 'vm-ig-overlay')!;
    expect(overlay.attributes.role).toBe('alert');
    const texts = overlay.children.map(e => e.textContent);
    expect(texts).toContain('vm-ig: 1 error, 0 warnings (showing the last good build)');
    expect(texts).toContain(lines[0]);
    c.listeners.diagnostics!({ data: JSON.stringify({ errors: 0, warnings: 0, lines: [] }) });
    expect(body.children.some(e => e.id === 'vm-ig-overlay')).toBe(false);
  });
});
