/**
 * Loads the validator payload on first use - two content-hashed scripts, so it works from file://
 * as well as from a server - and runs the validator in a Web Worker made from a Blob, so a large
 * message never blocks the page. Nothing is sent anywhere: the worker gets the text by message.
 */
import type { OperationOutcomeIssue } from '../../../fhir/r4.ts';
export interface CheckResult {
  outcome: { issue: Issue[] };
  resourceType?: string;
  /** Milliseconds the validator took. */
  ms: number;
  /** Core definitions the message names that the page does not carry. */
  missing: string[];
}

/** One issue of the OperationOutcome the worker answers with (R4's). */
export type Issue = OperationOutcomeIssue;

declare global {
  /** Set by the validator and definitions scripts the page loads. */
  interface Window {
    VMCheckValidator?: () => void;
    VMCheckDefinitions?: string;
  }
}

type Reply = { type: 'loaded' } | ({ type: 'result'; id: number } & CheckResult) | { type: 'failed'; id?: number; message: string };

export class CheckClient {
  private worker?: Promise<Worker>;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: CheckResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly urls: { validator: string; definitions: string }) {}

  get loaded(): boolean {
    return this.worker !== undefined;
  }

  async check(text: string, name: string, profile?: string): Promise<CheckResult> {
    const worker = await this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'check', id, text, name, profile });
    });
  }

  private start(): Promise<Worker> {
    this.worker ??= this.create();
    this.worker.catch(() => (this.worker = undefined));
    return this.worker;
  }

  private async create(): Promise<Worker> {
    await Promise.all([loadScript(this.urls.validator), loadScript(this.urls.definitions)]);
    const g = window;
    if (!g.VMCheckValidator || g.VMCheckDefinitions === undefined) throw new Error('the validator files did not load');
    const source = `(${g.VMCheckValidator.toString()})();`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<Reply>) => {
        const reply = e.data;
        if (reply.type === 'loaded') resolve();
        else if (reply.type === 'failed') reject(new Error(reply.message));
      };
      worker.onerror = e => reject(new Error(e.message || 'the validator could not start'));
      worker.postMessage({ type: 'load', payload: g.VMCheckDefinitions });
    });
    worker.onmessage = (e: MessageEvent<Reply>) => this.reply(e.data);
    return worker;
  }

  private reply(reply: Reply): void {
    if (reply.type === 'loaded' || reply.id === undefined) return;
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.type === 'failed') waiting.reject(new Error(reply.message));
    else waiting.resolve(reply);
  }
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}
