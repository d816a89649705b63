/**
 * A Questionnaire checked for itself, as the HL7 Java validator's QuestionnaireValidator does
 * (validateQuestionnaireElement): each enableWhen names a question (QUESTIONNAIRE_Q_ENABLEWHEN_NOLINK)
 * that is not inside the item itself (QUESTIONNAIRE_Q_ENABLEWHEN_ISINNER), exists in the
 * Questionnaire (QUESTIONNAIRE_Q_ENABLEWHEN_NOTARGET) and is not the item (QUESTIONNAIRE_Q_ENABLEWHEN_SELF);
 * a question that comes after the item is a warning (QUESTIONNAIRE_Q_ENABLEWHEN_AFTER).
 */
import { list } from './enable-when.ts';
import { child, isObject, type CheckContext, type Finding, type Loc } from './state.ts';

type Obj = Record<string, unknown>;

export function checkQuestionnaire(c: CheckContext): Finding[] {
  const q = c.value;
  if (!isObject(q) || q.resourceType !== 'Questionnaire') return [];
  const out: Finding[] = [];
  const order = new Map<Obj, number>();
  numberItems(list(q.item), order, 0);
  walk(q, list(q.item), c.loc, order, out, 0);
  return out;
}

/** Items in document order (pre-order), so "before" is a comparison of numbers. */
function numberItems(items: Obj[], order: Map<Obj, number>, depth: number): void {
  if (depth > 50) return;
  for (const item of items) {
    order.set(item, order.size);
    numberItems(list(item.item), order, depth + 1);
  }
}

function walk(q: Obj, items: Obj[], loc: Loc, order: Map<Obj, number>, out: Finding[], depth: number): void {
  if (depth > 50) return;
  items.forEach((item, i) => {
    const at = child(loc, 'item', i);
    for (const ew of list(item.enableWhen)) checkEnableWhen(q, item, ew, at, order, out);
    walk(q, list(item.item), at, order, out, depth + 1);
  });
}

function checkEnableWhen(q: Obj, item: Obj, ew: Obj, at: Loc, order: Map<Obj, number>, out: Finding[]): void {
  const question = ew.question;
  if (typeof question !== 'string') return; // que-? and the structure check report a missing question
  if (find(list(item.item), question, 0)) {
    out.push({
      rule: 'questionnaire-enablewhen',
      at,
      message: `Questions with an enableWhen cannot refer to an inner question for its enableWhen condition (${question})`
    });
    return;
  }
  const target = find(list(q.item), question, 0);
  if (!target) {
    out.push({
      rule: 'questionnaire-enablewhen',
      at,
      message: `Unable to find target '${question}' for the enableWhen question of item '${String(item.linkId)}'`
    });
    return;
  }
  if (target === item) {
    out.push({ rule: 'questionnaire-enablewhen', at, message: `Target for the enableWhen question of item '${String(item.linkId)}' cannot reference itself` });
    return;
  }
  if ((order.get(target) ?? 0) > (order.get(item) ?? 0)) {
    out.push({
      severity: 'warning',
      rule: 'questionnaire-enablewhen',
      at,
      message: `The target of this enableWhen rule (${question}) comes after the question itself`
    });
  }
}

function find(items: Obj[], linkId: string, depth: number): Obj | undefined {
  if (depth > 50) return undefined;
  for (const item of items) {
    if (item.linkId === linkId) return item;
    const inner = find(list(item.item), linkId, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}
