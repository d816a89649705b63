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
import { validatorFor, type CheckPayload } from './host.ts';

type Request = { type: 'load'; payload: string } | { type: 'check'; id: number; text: string; name: string; profile?: string };

interface WorkerScope {
  onmessage: ((e: { data: Request }) => void) | null;
  postMessage(message: unknown): void;
}

// The project compiles against the DOM library, where `self` is a Window; in the worker it is the worker scope.
const scope = self as unknown as WorkerScope;
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

scope.onmessage = ({ data }) => {
  try {
    if (data.type === 'load') {
      const started = performance.now();
      const payload = JSON.parse(data.payload) as CheckPayload;
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
