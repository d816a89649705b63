/**
 * The browser host: the bundle entry run in a Web Worker by the check page. It builds the same
 * validator as the CLI (scripts/validate/) over the page's definitions payload and answers each
 * check with the OperationOutcome `vm-ig validate --format json` prints for that file.
 * Messages: { type: 'load', payload } once, then { type: 'check', id, text, name, profile? }.
 */
import { toOperationOutcome } from '../../lib/validator/outcome.ts';
import { parseInput } from '../../lib/validator/parse.ts';
import type { ValidatorContext } from '../../lib/validator/validator.ts';
import { instanceRoots } from '../../stages/render/check/closure.ts';
import { isJsonObject } from '../../fhir/json.ts';
import { parseCheckPayload, validatorFor } from './host.ts';

type Request = { type: 'load'; payload: string } | { type: 'check'; id: number; text: string; name: string; profile?: string };

interface WorkerScope {
  onmessage: ((e: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
}

/**
 * The project compiles against the DOM library, where `self` is a Window; in the worker it is the
 * worker scope: what this module uses of it is checked here.
 */
function isWorkerScope(value: unknown): value is WorkerScope {
  return typeof value === 'object' && value !== null && 'onmessage' in value && 'postMessage' in value && typeof value.postMessage === 'function';
}

if (!isWorkerScope(self)) throw new Error('the check validator runs in a Web Worker');
const scope: WorkerScope = self;
let validator: ValidatorContext | undefined;
let omitted = new Set<string>();

/** Core definitions the message names (types, profiles, extensions, code systems) that the page lacks. */
function missingFor(text: string, name: string): string[] {
  const value = parseInput(text, name).value;
  return value
    ? instanceRoots(value)
        .filter(u => omitted.has(u))
        .sort()
    : [];
}

/** A message from the page (page/client.ts), checked: the worker answers only the two it knows. */
function requestOf(data: unknown): Request | undefined {
  if (!isJsonObject(data)) return undefined;
  if (data.type === 'load' && typeof data.payload === 'string') return { type: 'load', payload: data.payload };
  const { id, text, name, profile } = data;
  if (data.type !== 'check' || typeof id !== 'number' || typeof text !== 'string' || typeof name !== 'string') return undefined;
  if (profile !== undefined && typeof profile !== 'string') return undefined;
  return { type: 'check', id, text, name, ...(profile !== undefined ? { profile } : {}) };
}

scope.onmessage = ({ data: message }) => {
  const data = requestOf(message);
  if (!data) {
    scope.postMessage({ type: 'failed', id: undefined, message: 'the worker was sent a message it does not know' });
    return;
  }
  try {
    if (data.type === 'load') {
      const started = performance.now();
      const payload = parseCheckPayload(data.payload);
      validator = validatorFor(payload);
      omitted = new Set(payload.omitted);
      scope.postMessage({ type: 'loaded', ms: performance.now() - started });
      return;
    }
    if (!validator) throw new Error('definitions are not loaded yet');
    const started = performance.now();
    const report = validator.validateText(data.text, data.name, { profiles: data.profile ? [data.profile] : [] });
    const ms = performance.now() - started;
    scope.postMessage({
      type: 'result',
      id: data.id,
      outcome: toOperationOutcome(report),
      resourceType: report.resourceType,
      ms,
      missing: missingFor(data.text, data.name)
    });
  } catch (e) {
    scope.postMessage({ type: 'failed', id: data.type === 'check' ? data.id : undefined, message: e instanceof Error ? e.message : String(e) });
  }
};
