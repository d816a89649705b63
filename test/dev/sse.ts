/** Test helper: a server-sent-events client over fetch, collecting events as they arrive. */
export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseClient {
  events: SseEvent[];
  /** Resolve with the first event named `name` after index `from` (default: any so far). */
  next(name: string, from?: number, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function connectSse(url: string): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`);
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  void pump(res.body, events, waiters).catch(() => {});
  const next = (name: string, from = 0, timeoutMs = 20_000) =>
    new Promise<SseEvent>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no '${name}' event within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const hit = events.slice(from).find(e => e.event === name);
        if (!hit) return void waiters.push(check);
        clearTimeout(timer);
        ok(hit);
      };
      check();
    });
  return { events, next, close: () => abort.abort() };
}

async function pump(body: ReadableStream<Uint8Array>, events: SseEvent[], waiters: (() => void)[]): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event) events.push({ event, data: data === undefined ? null : JSON.parse(data) });
    }
    waiters.splice(0).forEach(w => w());
  }
}
