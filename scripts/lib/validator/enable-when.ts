/**
 * Is a Questionnaire item enabled for this QuestionnaireResponse? As the HL7 Java validator's
 * EnableWhenEvaluator decides it (R4 Questionnaire.item.enableWhen, enableBehavior):
 * - the SDC `enableWhenExpression` (or the Finnish PHR enablewhen extension), when present, is
 *   evaluated with FHIRPath on the response and decides alone (true only for a true result);
 * - otherwise each enableWhen looks for answers to its question in the response group that
 *   matches the nearest Questionnaire group holding both items (the whole response when none);
 * - `exists` compares answerBoolean with "has answers"; the other operators hold when some
 *   answer compares so (Coding: system and code; Quantity: value; primitives in their order);
 * - one condition, or enableBehavior `any`: some holds; `all`: every one holds; several without
 *   enableBehavior (que-12 broken): enabled.
 * An expression or a comparison that cannot be evaluated leaves the item enabled, so no answer
 * is reported as disabled on a guess.
 */
import { evaluateBoolean } from './invariants.ts';
import { isObject } from './state.ts';

type Obj = Record<string, unknown>;

export const SDC_ENABLE_WHEN_EXPRESSION = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression';
const KANTA_ENABLE_WHEN = 'http://phr.kanta.fi/StructureDefinition/fiphr-ext-questionnaire-enablewhen';

/** One level of the walk: the Questionnaire item and the response item answering it. */
export interface Frame {
  qItem: Obj;
  rItem: Obj;
}

export interface EnableContext {
  questionnaire: Obj;
  response: Obj;
  /** Parents of the pairs being checked, outermost first. */
  stack: readonly Frame[];
}

export function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function isEnabled(ctx: EnableContext, qItem: Obj): boolean {
  const expression = enableExpression(qItem);
  if (expression !== undefined) {
    const result = evaluateBoolean(expression, ctx.response);
    return result instanceof Error ? true : result;
  }
  const conditions = list(qItem.enableWhen);
  if (conditions.length === 0) return true;
  const results = conditions.map(cond => holds(cond, answersTo(ctx, qItem, String(cond.question))));
  if (results.includes(undefined)) return true;
  if (qItem.enableBehavior === 'any' || results.length === 1) return results.some(Boolean);
  if (qItem.enableBehavior === 'all') return results.every(Boolean);
  return true;
}

function enableExpression(qItem: Obj): string | undefined {
  for (const ext of list(qItem.extension)) {
    if (ext.url === KANTA_ENABLE_WHEN && typeof ext.valueString === 'string') return ext.valueString;
    if (ext.url === SDC_ENABLE_WHEN_EXPRESSION && isObject(ext.valueExpression)) {
      const e = ext.valueExpression;
      if (e.language === 'text/fhirpath' && typeof e.expression === 'string') return e.expression;
    }
  }
  return undefined;
}

/** true / false, or undefined when the condition cannot be evaluated (types that do not compare). */
function holds(cond: Obj, answers: unknown[]): boolean | undefined {
  const key = Object.keys(cond).find(k => k.startsWith('answer') && k.length > 6);
  const expected = key ? cond[key] : undefined;
  if (cond.operator === 'exists') return typeof expected === 'boolean' ? expected !== (answers.length === 0) : undefined;
  let unknown = false;
  for (const actual of answers) {
    const r = compareAnswer(actual, expected, String(cond.operator));
    if (r === true) return true;
    if (r === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

function compareAnswer(actual: unknown, expected: unknown, op: string): boolean | undefined {
  if (isObject(expected) && (typeof expected.code === 'string' || typeof expected.system === 'string')) {
    if (!isObject(actual)) return undefined;
    const same = (expected.system === undefined || expected.system === actual.system) && expected.code === actual.code;
    return op === '=' ? same : op === '!=' ? !same : undefined;
  }
  if (isObject(expected) && typeof expected.value === 'number') {
    return isObject(actual) && typeof actual.value === 'number' ? byOrder(Math.sign(actual.value - expected.value), op) : undefined;
  }
  if (typeof actual !== typeof expected || isObject(actual) || isObject(expected)) return undefined;
  if (typeof actual === 'number' && typeof expected === 'number') return byOrder(Math.sign(actual - expected), op);
  if (typeof actual === 'boolean') return byOrder(actual === expected ? 0 : actual ? 1 : -1, op);
  if (typeof actual === 'string' && typeof expected === 'string') return byOrder(actual < expected ? -1 : actual > expected ? 1 : 0, op);
  return undefined;
}

function byOrder(r: number, op: string): boolean | undefined {
  switch (op) {
    case '=':
      return r === 0;
    case '!=':
      return r !== 0;
    case '>':
      return r > 0;
    case '<':
      return r < 0;
    case '>=':
      return r >= 0;
    case '<=':
      return r <= 0;
    default:
      return undefined;
  }
}

/** Answers to `question` within the response group matching the nearest common Questionnaire group. */
function answersTo(ctx: EnableContext, source: Obj, question: string): unknown[] {
  const sourcePath = pathTo(list(ctx.questionnaire.item), source, []);
  const targetPath = pathTo(list(ctx.questionnaire.item), (i: Obj) => i.linkId === question, []);
  if (!sourcePath || !targetPath) return [];
  let common: Obj | undefined;
  for (let i = 0; i < Math.min(sourcePath.length, targetPath.length) - 1; i++) {
    if (sourcePath[i] !== targetPath[i]) break;
    common = sourcePath[i];
  }
  // The target itself may be the common ancestor (an item enabled by its parent question).
  if (targetPath.length < sourcePath.length && sourcePath[targetPath.length - 1] === targetPath[targetPath.length - 1]) {
    common = targetPath[targetPath.length - 1];
  }
  let focus: Obj = ctx.response;
  if (common) {
    const frame = [...ctx.stack].reverse().find(f => f.qItem === common);
    if (!frame) return [];
    focus = frame.rItem;
  }
  const out: unknown[] = [];
  collect(focus, question, out, 0);
  return out;
}

/** The chain of Questionnaire items from the top down to the one `match` selects. */
function pathTo(items: Obj[], match: Obj | ((i: Obj) => boolean), above: Obj[]): Obj[] | undefined {
  if (above.length > 50) return undefined;
  for (const item of items) {
    const chain = [...above, item];
    if (typeof match === 'function' ? match(item) : item === match) return chain;
    const deeper = pathTo(list(item.item), match, chain);
    if (deeper) return deeper;
  }
  return undefined;
}

function collect(focus: Obj, question: string, out: unknown[], depth: number): void {
  if (depth > 50) return;
  if (focus.linkId === question) for (const a of list(focus.answer)) pushValue(a, out);
  for (const item of list(focus.item)) collect(item, question, out, depth + 1);
  for (const a of list(focus.answer)) for (const item of list(a.item)) collect(item, question, out, depth + 1);
}

function pushValue(answer: Obj, out: unknown[]): void {
  const key = Object.keys(answer).find(k => k.startsWith('value'));
  if (key !== undefined) out.push(answer[key]);
}
