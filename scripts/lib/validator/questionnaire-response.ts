/**
 * A QuestionnaireResponse against its Questionnaire, when that is loaded (the guide, --load), as
 * the HL7 Java validator's QuestionnaireValidator does (its I18nConstants message ids are named
 * where each rule is made): each item's linkId exists at that level and items keep the
 * Questionnaire's order; text matches; required items are answered (an error in a completed or
 * amended response, a warning otherwise); only repeating items repeat, within the SDC
 * minOccurs / maxOccurs; answers have the item's type and fit its options and extensions
 * (qr-answers.ts); an item that enableWhen or enableWhenExpression disables has no answer
 * (enable-when.ts); only groups hold items outside answers.
 */
import { isEnabled, list, type Frame } from './enable-when.ts';
import { checkAnswer, extensionValue } from './qr-answers.ts';
import { child, isObject, type CheckContext, type Finding, type Loc } from './state.ts';

type Obj = Record<string, unknown>;

const CORE = 'http://hl7.org/fhir/StructureDefinition/';

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
  const ctx: Walk = { c, questionnaire: q, response: qr, stack: [], completed: qr.status === 'completed' || qr.status === 'amended', out: [] };
  checkItems(ctx, list(q.item), qr, c.loc);
  return ctx.out;
}

interface Walk {
  c: CheckContext;
  questionnaire: Obj;
  response: Obj;
  stack: Frame[];
  /** completed or amended: a missing required answer is an error, not a warning. */
  completed: boolean;
  out: Finding[];
}

/** The items of `holder` (the response, a group item or an answer) against the Questionnaire items of that level. */
function checkItems(w: Walk, qItems: Obj[], holder: Obj, loc: Loc): void {
  if (w.stack.length > 50) return;
  const rItems = list(holder.item);
  const byLink = new Map<string, { r: Obj; i: number }[]>();
  let last = -1;
  rItems.forEach((r, i) => {
    if (typeof r.linkId !== 'string') return;
    const index = qItems.findIndex(q => q.linkId === r.linkId);
    const at = child(loc, 'item', i);
    if (index === -1) return misplaced(w, r, at, loc);
    // QUESTIONNAIRE_QR_ITEM_ORDER
    if (index < last) w.out.push({ rule: 'qr-item-order', at: loc, message: `Structural Error: items are out of order (item '${r.linkId}' at ${at.expr})` });
    last = index;
    byLink.set(r.linkId, [...(byLink.get(r.linkId) ?? []), { r, i }]);
  });
  for (const qItem of qItems) {
    const matches = byLink.get(String(qItem.linkId)) ?? [];
    const enabled = isEnabled(w, qItem);
    if (matches.length === 0) {
      if (enabled && qItem.required === true) missing(w, qItem, loc);
      continue;
    }
    if (!enabled) {
      for (const { r, i } of matches) {
        // QUESTIONNAIRE_QR_ITEM_NOTENABLED2
        if (list(r.answer).length > 0 || list(r.item).length > 0) {
          w.out.push({
            rule: 'qr-disabled-answered',
            at: child(loc, 'item', i),
            message: `The item '${String(qItem.linkId)}' has an answer, but it is not enabled`
          });
        }
      }
    }
    if (matches.length > 1 && qItem.repeats !== true) {
      // QUESTIONNAIRE_QR_ITEM_ONLYONEI
      w.out.push({
        rule: 'qr-repeats',
        at: child(loc, 'item', matches[1]!.i),
        message: `The item '${String(qItem.linkId)}' does not repeat, but appears ${matches.length} times`
      });
    }
    if (qItem.type === 'group') occurs(w, qItem, matches.length, child(loc, 'item', matches[0]!.i));
    for (const { r, i } of matches) checkItem(w, qItem, r, child(loc, 'item', i), enabled);
  }
}

/** An item whose linkId belongs to another level of the Questionnaire: reported, then checked against that item. */
function misplaced(w: Walk, r: Obj, at: Loc, loc: Loc): void {
  const qItem = findItem(list(w.questionnaire.item), String(r.linkId), 0);
  if (!qItem) {
    // QUESTIONNAIRE_QR_ITEM_NOTFOUND
    w.out.push({ rule: 'qr-linkid-unknown', at: child(at, 'linkId'), message: `No item with linkId '${String(r.linkId)}' at this level of the Questionnaire` });
    return;
  }
  w.out.push({ rule: 'qr-item-misplaced', at: loc, message: `Structural Error: item with linkid ${String(r.linkId)} is in the wrong place (${at.expr})` });
  checkItem(w, qItem, r, at, true);
}

function findItem(items: Obj[], linkId: string, depth: number): Obj | undefined {
  if (depth > 50) return undefined;
  for (const item of items) {
    if (item.linkId === linkId) return item;
    const inner = findItem(list(item.item), linkId, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** QUESTIONNAIRE_QR_ITEM_MISSING: an error once the response is completed, a warning before. */
function missing(w: Walk, qItem: Obj, at: Loc, present = false): void {
  const linkId = String(qItem.linkId);
  w.out.push({
    severity: w.completed ? 'error' : 'warning',
    rule: 'qr-required',
    at,
    message: present ? `The item '${linkId}' is required, but has no answer` : `The item '${linkId}' is required, but the response has no answer for it`
  });
}

/** SDC minOccurs / maxOccurs: answers of a question, or repetitions of a group (QUESTIONNAIRE_QR_ITEM_MIN_OCCURS / _MAX_OCCURS). */
function occurs(w: Walk, qItem: Obj, count: number, at: Loc): void {
  const min = extensionValue(qItem, `${CORE}questionnaire-minOccurs`);
  const max = extensionValue(qItem, `${CORE}questionnaire-maxOccurs`);
  const what = qItem.type === 'group' ? 'times' : 'answers';
  if (typeof min === 'number' && count < min) {
    w.out.push({ rule: 'qr-occurs', at, message: `The item '${String(qItem.linkId)}' needs at least ${min} ${what} (minOccurs), but has ${count}` });
  }
  if (typeof max === 'number' && count > max) {
    w.out.push({ rule: 'qr-occurs', at, message: `The item '${String(qItem.linkId)}' allows at most ${max} ${what} (maxOccurs), but has ${count}` });
  }
}

function checkItem(w: Walk, qItem: Obj, r: Obj, at: Loc, enabled: boolean): void {
  const linkId = String(qItem.linkId);
  const answers = list(r.answer);
  const type = String(qItem.type ?? '');
  // QUESTIONNAIRE_QR_ITEM_TEXT
  if (typeof r.text === 'string' && r.text !== '' && r.text !== qItem.text) {
    w.out.push({ rule: 'qr-item-text', at, message: `If text exists, it must match the Questionnaire's text for linkId '${linkId}'` });
  }
  if ((type === 'group' || type === 'display') && answers.length > 0) {
    // QUESTIONNAIRE_QR_ITEM_GROUP / QUESTIONNAIRE_QR_ITEM_DISPLAY_NO_VALUE
    w.out.push({ rule: 'qr-answer-type', at: child(at, 'answer', 0), message: `The item '${linkId}' is a ${type} and cannot have answers` });
  }
  if (answers.length > 1 && qItem.repeats !== true) {
    // QUESTIONNAIRE_QR_ITEM_ONLYONEA
    w.out.push({ rule: 'qr-repeats', at: child(at, 'answer', 1), message: `The item '${linkId}' does not repeat, but has ${answers.length} answers` });
  }
  if (qItem.required === true && enabled && answers.length === 0 && type !== 'group' && type !== 'display') missing(w, qItem, at, true);
  if (type !== 'group' && type !== 'display') occurs(w, qItem, answers.length, at);
  const frame: Frame = { qItem, rItem: r };
  w.stack.push(frame);
  answers.forEach((a, i) => {
    const answerAt = child(at, 'answer', i);
    checkAnswer({ c: w.c, qItem, count: answers.length, out: w.out }, a, answerAt);
    if (type !== 'group') checkItems(w, list(qItem.item), a, answerAt);
  });
  const nested = list(r.item).length > 0;
  if (type === 'group') {
    // QUESTIONNAIRE_QR_ITEM_GROUP_REQUIRED
    if (qItem.required === true && enabled && !nested) {
      w.out.push({ severity: w.completed ? 'error' : 'warning', rule: 'qr-required', at, message: `The group '${linkId}' is required, but has no items` });
    }
    checkItems(w, list(qItem.item), r, at);
  } else if (nested) {
    // QUESTIONNAIRE_QR_ITEM_DISPLAY / QUESTIONNAIRE_QR_ITEM_GROUP_ANSWER
    const message =
      type === 'display'
        ? `The display item '${linkId}' cannot hold items`
        : `The item '${linkId}' is not a group: its items belong under its answers (answer.item, not item)`;
    w.out.push({ rule: 'qr-item-nested', at, message });
  }
  w.stack.pop();
}
