/**
 * A QuestionnaireResponse against its Questionnaire, when that is loaded (the guide, --load), as
 * the HL7 Java validator's QuestionnaireValidator does: each item's linkId exists at that level;
 * required items are answered in a completed response; only repeating items repeat; answers have
 * the item's type and come from its answerOption or answerValueSet; string lengths and value
 * limits hold; an item that enableWhen disables has no answer.
 */
import { valueSetCodeSets } from './expand.ts';
import { child, isObject, type CheckContext, type Finding, type Loc } from './state.ts';

type Obj = Record<string, unknown>;

const ANSWER_TYPES: Record<string, string[]> = {
  boolean: ['valueBoolean'],
  decimal: ['valueDecimal'],
  integer: ['valueInteger'],
  date: ['valueDate'],
  dateTime: ['valueDateTime'],
  time: ['valueTime'],
  string: ['valueString'],
  text: ['valueString'],
  url: ['valueUri'],
  // R4 answerOption.value[x]: integer | date | time | string | Coding | Reference; a choice item
  // may be answered with any of them (Java's QuestionnaireValidator for CHOICE).
  choice: ['valueCoding', 'valueInteger', 'valueDate', 'valueTime', 'valueString', 'valueReference'],
  'open-choice': ['valueCoding', 'valueInteger', 'valueDate', 'valueTime', 'valueString', 'valueReference'],
  attachment: ['valueAttachment'],
  reference: ['valueReference'],
  quantity: ['valueQuantity']
};
const EXT = 'http://hl7.org/fhir/StructureDefinition/';

export function checkQuestionnaireResponse(c: CheckContext): Finding[] {
  const qr = c.value;
  if (!isObject(qr) || qr.resourceType !== 'QuestionnaireResponse' || typeof qr.questionnaire !== 'string') return [];
  const q = c.state.defs.get(qr.questionnaire);
  if (!q || q.resourceType !== 'Questionnaire') {
    return [
      {
        severity: 'information',
        rule: 'qr-questionnaire-unknown',
        at: child(c.loc, 'questionnaire'),
        message: `The Questionnaire ${qr.questionnaire} is not loaded, so the answers were not checked against it`
      }
    ];
  }
  const answers = new Map<string, unknown[]>();
  collectAnswers(qr.item, answers, 0);
  const ctx: Walk = { c, answers, completed: qr.status === 'completed', out: [] };
  checkItems(ctx, list(q.item), list(qr.item), c.loc, 0);
  return ctx.out;
}

interface Walk {
  c: CheckContext;
  answers: Map<string, unknown[]>;
  completed: boolean;
  out: Finding[];
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function collectAnswers(items: unknown, out: Map<string, unknown[]>, depth: number): void {
  if (depth > 50) return;
  for (const item of list(items)) {
    if (typeof item.linkId === 'string') {
      const values = list(item.answer)
        .map(answerValue)
        .filter(v => v !== undefined);
      out.set(item.linkId, [...(out.get(item.linkId) ?? []), ...values]);
    }
    collectAnswers(item.item, out, depth + 1);
    for (const a of list(item.answer)) collectAnswers(a.item, out, depth + 1);
  }
}

function answerValue(answer: Obj): unknown {
  const key = Object.keys(answer).find(k => k.startsWith('value'));
  return key ? answer[key] : undefined;
}

function checkItems(w: Walk, qItems: Obj[], rItems: Obj[], loc: Loc, depth: number): void {
  if (depth > 50) return;
  const byLink = new Map<string, Obj>();
  for (const q of qItems) if (typeof q.linkId === 'string') byLink.set(q.linkId, q);
  rItems.forEach((r, i) => {
    const at = child(loc, 'item', i);
    if (typeof r.linkId === 'string' && !byLink.has(r.linkId)) {
      w.out.push({ rule: 'qr-linkid-unknown', at: child(at, 'linkId'), message: `No item with linkId '${r.linkId}' at this level of the Questionnaire` });
    }
  });
  for (const qItem of qItems) {
    const linkId = qItem.linkId;
    const matches = rItems.map((r, i) => ({ r, i })).filter(x => x.r.linkId === linkId);
    const enabled = isEnabled(w, qItem);
    if (matches.length === 0) {
      if (qItem.required === true && enabled && w.completed) {
        w.out.push({ rule: 'qr-required', at: loc, message: `The item '${linkId}' is required, but the completed response has no answer for it` });
      }
      continue;
    }
    if (matches.length > 1 && qItem.repeats !== true && qItem.type === 'group') {
      w.out.push({
        rule: 'qr-repeats',
        at: child(loc, 'item', matches[1]!.i),
        message: `The group '${linkId}' does not repeat, but appears ${matches.length} times`
      });
    }
    for (const { r, i } of matches) checkItem(w, qItem, r, child(loc, 'item', i), enabled, depth);
  }
}

function checkItem(w: Walk, qItem: Obj, r: Obj, at: Loc, enabled: boolean, depth: number): void {
  const linkId = String(qItem.linkId);
  const answers = list(r.answer);
  const type = String(qItem.type ?? '');
  if (!enabled && answers.length > 0) {
    w.out.push({ rule: 'qr-disabled-answered', at, message: `The item '${linkId}' has an answer, but its enableWhen conditions disable it` });
  }
  if ((type === 'group' || type === 'display') && answers.length > 0) {
    w.out.push({ rule: 'qr-answer-type', at: child(at, 'answer', 0), message: `The item '${linkId}' is a ${type} and cannot have answers` });
  }
  if (answers.length > 1 && qItem.repeats !== true) {
    w.out.push({ rule: 'qr-repeats', at: child(at, 'answer', 1), message: `The item '${linkId}' does not repeat, but has ${answers.length} answers` });
  }
  if (qItem.required === true && enabled && w.completed && answers.length === 0 && type !== 'group' && type !== 'display') {
    w.out.push({ rule: 'qr-required', at, message: `The item '${linkId}' is required, but has no answer` });
  }
  answers.forEach((a, i) => checkAnswer(w, qItem, a, child(at, 'answer', i), depth));
  if (type === 'group') checkItems(w, list(qItem.item), list(r.item), at, depth + 1);
  else answers.forEach((a, i) => checkItems(w, list(qItem.item), list(a.item), child(at, 'answer', i), depth + 1));
}

function checkAnswer(w: Walk, qItem: Obj, answer: Obj, at: Loc, _depth: number): void {
  const type = String(qItem.type ?? '');
  const key = Object.keys(answer).find(k => k.startsWith('value'));
  if (!key) return;
  const value = answer[key];
  const allowed = ANSWER_TYPES[type];
  const valueAt = child(at, key);
  if (allowed && !allowed.includes(key)) {
    w.out.push({
      rule: 'qr-answer-type',
      at: valueAt,
      message: `The item '${String(qItem.linkId)}' is of type ${type}, so its answer must be ${allowed.join(' or ')}, not ${key}`
    });
    return;
  }
  const options = list(qItem.answerOption);
  if (options.length > 0 && !(type === 'open-choice' && key === 'valueString')) {
    const ok = options.some(o => {
      const ov = answerValue(o);
      if (!isObject(ov) || !isObject(value)) return ov === value;
      if (typeof ov.reference === 'string' || typeof value.reference === 'string') return ov.reference === value.reference;
      return ov.code === value.code && (ov.system === undefined || ov.system === value.system);
    });
    if (!ok) w.out.push({ rule: 'qr-answer-option', at: valueAt, message: `The answer is not one of the answerOptions of item '${String(qItem.linkId)}'` });
  } else if (typeof qItem.answerValueSet === 'string' && isObject(value) && typeof value.code === 'string') {
    const expansion = valueSetCodeSets(w.c.state.defs, qItem.answerValueSet);
    if (expansion && typeof value.system === 'string' && !expansion.open.has(value.system) && !expansion.codes.get(value.system)?.has(value.code)) {
      w.out.push({
        rule: 'qr-answer-valueset',
        at: valueAt,
        message: `The answer ${value.system}#${value.code} is not in the answerValueSet ${qItem.answerValueSet}`
      });
    }
  }
  if (typeof value === 'string') {
    if (typeof qItem.maxLength === 'number' && value.length > qItem.maxLength) {
      w.out.push({
        rule: 'qr-max-length',
        at: valueAt,
        message: `The answer is ${value.length} characters long; item '${String(qItem.linkId)}' allows at most ${qItem.maxLength}`
      });
    }
    const min = extensionValue(qItem, `${EXT}minLength`);
    if (typeof min === 'number' && value.length < min) {
      w.out.push({
        rule: 'qr-min-length',
        at: valueAt,
        message: `The answer is ${value.length} characters long; item '${String(qItem.linkId)}' needs at least ${min}`
      });
    }
  }
  const low = extensionValue(qItem, `${EXT}minValue`);
  const high = extensionValue(qItem, `${EXT}maxValue`);
  if (low !== undefined && compare(value, low) === -1)
    w.out.push({
      rule: 'qr-value-range',
      at: valueAt,
      message: `The answer ${String(value)} is below the minimum ${String(low)} of item '${String(qItem.linkId)}'`
    });
  if (high !== undefined && compare(value, high) === 1)
    w.out.push({
      rule: 'qr-value-range',
      at: valueAt,
      message: `The answer ${String(value)} is above the maximum ${String(high)} of item '${String(qItem.linkId)}'`
    });
}

function extensionValue(item: Obj, url: string): unknown {
  const ext = list(item.extension).find(e => e.url === url);
  return ext ? answerValue(ext) : undefined;
}

/** -1, 0, 1 for numbers and same-format date/time strings; undefined when they do not compare. */
function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string' && /^\d/.test(a) && /^\d/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function isEnabled(w: Walk, qItem: Obj): boolean {
  const conditions = list(qItem.enableWhen);
  if (conditions.length === 0) return true;
  const results = conditions.map(cond => {
    const values = w.answers.get(String(cond.question)) ?? [];
    const key = Object.keys(cond).find(k => k.startsWith('answer'));
    const expected = key ? cond[key] : undefined;
    switch (cond.operator) {
      case 'exists':
        return values.length > 0 === (expected === true);
      case '=':
        return values.some(v => same(v, expected));
      case '!=':
        return values.length > 0 && values.every(v => !same(v, expected));
      case '>':
        return values.some(v => compare(v, expected) === 1);
      case '<':
        return values.some(v => compare(v, expected) === -1);
      case '>=':
        return values.some(v => {
          const r = compare(v, expected);
          return r === 1 || r === 0;
        });
      case '<=':
        return values.some(v => {
          const r = compare(v, expected);
          return r === -1 || r === 0;
        });
      default:
        return true;
    }
  });
  return qItem.enableBehavior === 'any' ? results.some(Boolean) : results.every(Boolean);
}

function same(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) return a.code === b.code && (a.system === undefined || b.system === undefined || a.system === b.system);
  return a === b;
}
