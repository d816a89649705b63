/**
 * One QuestionnaireResponse answer against its Questionnaire item: the value's type, its
 * answerOption / answerValueSet, and the R4 core and SDC item extensions the HL7 Java validator's
 * QuestionnaireValidator checks (message ids from its I18nConstants in each finding's comment):
 * minLength / maxLength / regex (string), minValue / maxValue (integer, decimal, date, dateTime,
 * time), maxDecimalPlaces, mimeType / maxSize (attachment), minQuantity / maxQuantity /
 * unitOption / unitValueSet (quantity, UCUM units converted), optionExclusive (choice).
 *
 * Where Java's own comparison is off by one (maxOccurs, minOccurs, maxSize fail on equality; the
 * SDC minQuantity test is inverted) the rule follows the extension's definition instead: an
 * answer that meets the limit exactly is never reported.
 */
import { valueSetCodeSets } from './expand.ts';
import { compareQuantities } from './quantity.ts';
import { decodeBase64 } from './datatypes.ts';
import { list } from './enable-when.ts';
import { child, isObject, type CheckContext, type Finding, type Loc } from './state.ts';

type Obj = Record<string, unknown>;

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const SDC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/';

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

export interface AnswerContext {
  c: CheckContext;
  qItem: Obj;
  /** How many answers the response item has (optionExclusive). */
  count: number;
  out: Finding[];
}

export function extensions(item: Obj, url: string): Obj[] {
  return list(item.extension).filter(e => e.url === url);
}

export function extensionValue(item: Obj, url: string): unknown {
  const ext = extensions(item, url)[0];
  if (!ext) return undefined;
  const key = Object.keys(ext).find(k => k.startsWith('value'));
  return key ? ext[key] : undefined;
}

export function checkAnswer(a: AnswerContext, answer: Obj, at: Loc): void {
  const type = String(a.qItem.type ?? '');
  const key = Object.keys(answer).find(k => k.startsWith('value'));
  if (!key) return;
  const value = answer[key];
  const allowed = ANSWER_TYPES[type];
  const valueAt = child(at, key);
  const linkId = String(a.qItem.linkId);
  if (allowed && !allowed.includes(key)) {
    // QUESTIONNAIRE_QR_ITEM_WRONGTYPE
    a.out.push({
      rule: 'qr-answer-type',
      at: valueAt,
      message: `The item '${linkId}' is of type ${type}, so its answer must be ${allowed.join(' or ')}, not ${key}`
    });
    return;
  }
  const fail = (rule: string, message: string, severity: Finding['severity'] = 'error') => a.out.push({ rule, at: valueAt, message, severity });
  checkOptions(a, key, value, fail);
  if (typeof value === 'string' && (type === 'string' || type === 'text' || key === 'valueString')) checkString(a, value, type, fail);
  if (key === 'valueInteger' || key === 'valueDecimal') checkNumber(a, value, key, fail);
  if (key === 'valueDate' || key === 'valueDateTime' || key === 'valueTime') checkDate(a, value, fail);
  if (key === 'valueAttachment' && isObject(value)) checkAttachment(a, value, fail);
  if (key === 'valueQuantity' && isObject(value)) checkQuantity(a, value, fail);
}

type Fail = (rule: string, message: string, severity?: Finding['severity']) => void;

function checkOptions(a: AnswerContext, key: string, value: unknown, fail: Fail): void {
  const { qItem } = a;
  const type = String(qItem.type ?? '');
  const linkId = String(qItem.linkId);
  const options = list(qItem.answerOption);
  if (options.length > 0 && !(type === 'open-choice' && key === 'valueString')) {
    const match = options.find(o => sameOption(optionValue(o), value));
    // QUESTIONNAIRE_QR_ITEM_NOCODING / NOINTEGER / NODATE / NOTIME / NOSTRING
    if (!match) return fail('qr-answer-option', `The answer is not one of the answerOptions of item '${linkId}'`);
    // QUESTIONNAIRE_QR_ITEM_EXCLUSIVE: an option marked exclusive is the only answer
    if (a.count > 1 && extensionValue(match, `${CORE}questionnaire-optionExclusive`) === true) {
      fail('qr-answer-exclusive', `The answer ${describe(value)} of item '${linkId}' is exclusive, so it cannot be given with other answers`);
    }
    return;
  }
  if (typeof qItem.answerValueSet === 'string' && isObject(value) && typeof value.code === 'string') {
    const expansion = valueSetCodeSets(a.c.state.defs, qItem.answerValueSet);
    if (expansion && typeof value.system === 'string' && !expansion.open.has(value.system) && !expansion.codes.get(value.system)?.has(value.code)) {
      // QUESTIONNAIRE_QR_ITEM_BADOPTION
      fail('qr-answer-valueset', `The answer ${value.system}#${value.code} is not in the answerValueSet ${qItem.answerValueSet}`);
    }
  }
}

function optionValue(option: Obj): unknown {
  const key = Object.keys(option).find(k => k.startsWith('value'));
  return key ? option[key] : undefined;
}

function sameOption(ov: unknown, value: unknown): boolean {
  if (!isObject(ov) || !isObject(value)) return ov === value;
  if (typeof ov.reference === 'string' || typeof value.reference === 'string') return ov.reference === value.reference;
  return ov.code === value.code && (ov.system === undefined || ov.system === value.system);
}

function checkString(a: AnswerContext, value: string, type: string, fail: Fail): void {
  const { qItem } = a;
  const linkId = String(qItem.linkId);
  if (typeof qItem.maxLength === 'number' && value.length > qItem.maxLength) {
    // QUESTIONNAIRE_QR_ITEM_STRING_MAX_LENGTH
    fail('qr-max-length', `The answer is ${value.length} characters long; item '${linkId}' allows at most ${qItem.maxLength}`);
  }
  const min = extensionValue(qItem, `${CORE}minLength`);
  if (typeof min === 'number' && value.length < min) {
    // QUESTIONNAIRE_QR_ITEM_STRING_MIN_LENGTH
    fail('qr-min-length', `The answer is ${value.length} characters long; item '${linkId}' needs at least ${min}`);
  }
  const regex = extensionValue(qItem, `${CORE}regex`);
  const pattern = typeof regex === 'string' ? wholeMatch(regex) : undefined;
  if (pattern && !pattern.test(value)) {
    const format = extensionValue(qItem, `${CORE}entryFormat`);
    // QUESTIONNAIRE_QR_ITEM_STRING_REGEX / _REGEX_EF
    fail(
      'qr-regex',
      `The answer '${value}' does not match the regex '${String(regex)}' of item '${linkId}'${typeof format === 'string' ? ` (expected format: ${format})` : ''}`
    );
  }
  if (type === 'string' && /[\r\n]/.test(value)) {
    // QUESTIONNAIRE_QR_ITEM_STRING_ILLEGAL_CHARS (a warning in Java too): line breaks belong in a text item
    fail('qr-string-line-break', `The answer to item '${linkId}' has a line break; a string item takes one line (use a text item for more)`, 'warning');
  }
}

const regexes = new Map<string, RegExp | null>();

/** The regex as Java's String.matches uses it (the whole value); undefined when JavaScript cannot compile it. */
function wholeMatch(source: string): RegExp | undefined {
  let re = regexes.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source})$`, 'u');
    } catch {
      re = null;
    }
    regexes.set(source, re);
  }
  return re ?? undefined;
}

function checkNumber(a: AnswerContext, value: unknown, key: string, fail: Fail): void {
  if (typeof value !== 'number') return;
  const { qItem } = a;
  const linkId = String(qItem.linkId);
  const low = extensionValue(qItem, `${CORE}minValue`);
  const high = extensionValue(qItem, `${CORE}maxValue`);
  // QUESTIONNAIRE_QR_ITEM_INTEGER_MIN / _MAX, QUESTIONNAIRE_QR_ITEM_DECIMAL_MIN / _MAX
  if (typeof low === 'number' && value < low) fail('qr-value-range', `The answer ${value} is below the minimum ${low} of item '${linkId}'`);
  if (typeof high === 'number' && value > high) fail('qr-value-range', `The answer ${value} is above the maximum ${high} of item '${linkId}'`);
  if (key === 'valueDecimal') checkDecimals(qItem, value, fail);
}

/** QUESTIONNAIRE_QR_ITEM_DECIMAL_MAX_DECIMALS: digits after the point (of the parsed number: trailing zeros are not counted). */
function checkDecimals(qItem: Obj, value: number, fail: Fail): void {
  const places = extensionValue(qItem, `${CORE}maxDecimalPlaces`);
  if (typeof places !== 'number') return;
  const text = String(value);
  const digits = /e/i.test(text) ? 0 : text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  if (digits > places) fail('qr-decimal-places', `The answer ${text} has ${digits} decimal places; item '${String(qItem.linkId)}' allows at most ${places}`);
}

function checkDate(a: AnswerContext, value: unknown, fail: Fail): void {
  if (typeof value !== 'string') return;
  const linkId = String(a.qItem.linkId);
  const low = extensionValue(a.qItem, `${CORE}minValue`);
  const high = extensionValue(a.qItem, `${CORE}maxValue`);
  // QUESTIONNAIRE_QR_ITEM_DATE_MIN / _MAX, QUESTIONNAIRE_QR_ITEM_TIME_MIN / _MAX
  if (typeof low === 'string' && earlier(value, low)) fail('qr-value-range', `The answer ${value} is before the minimum ${low} of item '${linkId}'`);
  if (typeof high === 'string' && earlier(high, value)) fail('qr-value-range', `The answer ${value} is after the maximum ${high} of item '${linkId}'`);
}

/** a < b for dates, dateTimes or times, compared on the precision both have (never a guess across time zones). */
function earlier(a: string, b: string): boolean {
  const zone = /(Z|[+-]\d\d:\d\d)$/;
  if (zone.test(a) !== zone.test(b) && (a.length > 10 || b.length > 10)) return false;
  if (zone.test(a) && zone.test(b) && a.length > 10 && b.length > 10) {
    const [x, y] = [Date.parse(a), Date.parse(b)];
    return !Number.isNaN(x) && !Number.isNaN(y) && x < y;
  }
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) < b.slice(0, n);
}

function checkAttachment(a: AnswerContext, value: Obj, fail: Fail): void {
  const linkId = String(a.qItem.linkId);
  const allowed = extensions(a.qItem, `${CORE}mimeType`)
    .map(e => e.valueCode)
    .filter((v): v is string => typeof v === 'string');
  if (allowed.length > 0) {
    if (typeof value.contentType !== 'string') {
      // QUESTIONNAIRE_QR_ITEM_NOT_ATTACHMENT_MIMETYPE
      fail('qr-attachment-type', `The attachment answering item '${linkId}' has no contentType; the item allows ${allowed.join(', ')}`);
    } else if (!allowed.some(m => String(value.contentType).startsWith(m))) {
      // QUESTIONNAIRE_QR_ITEM_BAD_ATTACHMENT_MIMETYPE
      fail('qr-attachment-type', `The attachment's contentType ${value.contentType} is not one item '${linkId}' allows (${allowed.join(', ')})`);
    }
  }
  const max = extensionValue(a.qItem, `${CORE}maxSize`);
  if (typeof max === 'number' && typeof value.data === 'string') {
    const bytes = decodeBase64(value.data);
    // QUESTIONNAIRE_QR_ITEM_BAD_ATTACHMENT_LENGTH
    if (bytes && bytes.length > max)
      fail('qr-attachment-size', `The attachment answering item '${linkId}' holds ${bytes.length} bytes; the item allows at most ${max}`);
  }
}

function checkQuantity(a: AnswerContext, value: Obj, fail: Fail): void {
  const { qItem } = a;
  const linkId = String(qItem.linkId);
  for (const [url, isMin] of [
    [`${SDC}sdc-questionnaire-minQuantity`, true],
    [`${SDC}sdc-questionnaire-maxQuantity`, false]
  ] as const) {
    const limit = extensionValue(qItem, url);
    if (!isObject(limit) || typeof limit.value !== 'number' || typeof value.value !== 'number') continue;
    const r = compareQuantities(value, limit);
    const word = isMin ? 'minimum' : 'maximum';
    if (r === undefined) {
      // QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MIN(_UNITS) / _MAX(_UNITS)
      fail('qr-quantity-range', `The answer ${describe(value)} cannot be compared with the ${word} ${describe(limit)} of item '${linkId}' (units differ)`);
    } else if (isMin ? r < 0 : r > 0) {
      // QUESTIONNAIRE_QR_ITEM_QUANTITY_MIN / _MAX
      fail('qr-quantity-range', `The answer ${describe(value)} is ${isMin ? 'below' : 'above'} the ${word} ${describe(limit)} of item '${linkId}'`);
    }
  }
  if (typeof value.value === 'number') checkDecimals(qItem, value.value, fail);
  const units = extensions(qItem, `${CORE}questionnaire-unitOption`)
    .map(e => e.valueCoding)
    .filter(isObject);
  if (units.length > 0 && !units.some(u => unitMatches(value, u))) {
    // QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNITS
    fail('qr-quantity-unit', `The unit of the answer ${describe(value)} is not one of the unitOptions of item '${linkId}' (${units.map(describe).join(', ')})`);
  }
  const unitVs = extensionValue(qItem, `${CORE}questionnaire-unitValueSet`);
  if (typeof unitVs === 'string') checkUnitValueSet(a, value, unitVs, fail);
}

function checkUnitValueSet(a: AnswerContext, value: Obj, url: string, fail: Fail): void {
  const expansion = valueSetCodeSets(a.c.state.defs, url);
  if (!expansion) {
    // QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNIT_VS (a warning in Java too)
    return fail('qr-quantity-unit', `The unitValueSet ${url} of item '${String(a.qItem.linkId)}' is not loaded, so the unit was not checked`, 'warning');
  }
  const system = typeof value.system === 'string' ? value.system : undefined;
  if (system && expansion.open.has(system)) return;
  if (!system || typeof value.code !== 'string' || !expansion.codes.get(system)?.has(value.code)) {
    // QUESTIONNAIRE_QR_ITEM_DECIMAL_UNIT_FAIL_VS
    fail('qr-quantity-unit', `The unit of the answer ${describe(value)} is not in the unitValueSet ${url} of item '${String(a.qItem.linkId)}'`);
  }
}

function unitMatches(q: Obj, unit: Obj): boolean {
  return (
    (unit.system === undefined || unit.system === q.system) &&
    (unit.code === undefined || unit.code === q.code) &&
    (unit.display === undefined || unit.display === q.unit)
  );
}

function describe(v: unknown): string {
  if (!isObject(v)) return String(v);
  if (typeof v.value === 'number') return `${String(v.comparator ?? '')}${v.value}${v.unit ? ` ${String(v.unit)}` : ''}${v.code ? ` (${String(v.code)})` : ''}`;
  return `${String(v.system ?? '')}#${String(v.code ?? '')}`;
}
