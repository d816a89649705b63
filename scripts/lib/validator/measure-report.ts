/**
 * A MeasureReport checked against its Measure, as the HL7 Java validator's MeasureValidator
 * (validateMeasureReport): the Measure is found (MEASURE_MR_M_NONE, MEASURE_MR_M_NOTFOUND), each
 * group and population matches one of the Measure's by code, none is repeated or missing, counts
 * and subject lists fit the report type, each stratifier matches one of the group's by code
 * (MEASURE_MR_GRPST_POP_UNK_CODE, MEASURE_MR_GRP_POP_DUPL_CODE, MEASURE_MR_GRP_MISSING_BY_CODE), and
 * the measureScore fits the Measure's scoring, with the unit the Measure fixes
 * (questionnaire-unit: MEASURE_MR_SCORE_FIXED).
 */
import { each } from './conformance.ts';
import { child, isObject, type CheckContext, type Finding, type Loc } from './state.ts';

type Obj = Record<string, unknown>;

const POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';

export function checkMeasureReport(c: CheckContext): Finding[] {
  const mr = c.value;
  if (!isObject(mr) || mr.resourceType !== 'MeasureReport') return [];
  const ref = typeof mr.measure === 'string' && mr.measure.trim() ? mr.measure : undefined;
  if (!ref) {
    return [
      { severity: 'information', rule: 'measurereport-measure', message: 'No Measure is identified, so no validation can be performed against the Measure' }
    ];
  }
  const measure = ref.startsWith('#') ? each(mr.contained).find(([r]) => r.id === ref.slice(1) && r.resourceType === 'Measure')?.[0] : c.state.defs.get(ref);
  const measureLoc = child(c.loc, 'measure');
  if (!measure || measure.resourceType !== 'Measure') {
    return [
      {
        severity: 'warning',
        rule: 'measurereport-measure',
        at: measureLoc,
        message: `The Measure '${ref}' could not be resolved, so no validation can be performed against the Measure`
      }
    ];
  }
  const out: Finding[] = [];
  const scoring = firstCode(measure.scoring);
  if (!['proportion', 'ratio', 'continuous-variable', 'cohort'].includes(scoring ?? '')) {
    // MEASURE_MR_M_SCORING_UNK (a hint)
    out.push({
      severity: 'information',
      rule: 'measurereport-score',
      at: measureLoc,
      message: 'The scoring system in this measure is unknown, so the measureScore values cannot be checked'
    });
  }
  const ctx: Ctx = { out, measure, scoring, reportType: typeof mr.type === 'string' ? mr.type : undefined };
  const groups = each(mr.group);
  const defined = each(measure.group).map(([g]) => g);
  if (groups.length === 1 && defined.length === 1) {
    const [group, i] = groups[0]!;
    const def = defined[0]!;
    const at = child(c.loc, 'group', i);
    if (isObject(def.code) && isObject(group.code)) {
      if (!usable(group.code)) {
        out.push({
          rule: 'measurereport-group',
          at,
          message: 'None of the codes provided are usable for comparison - need both system and code on at least one code'
        });
      } else if (!matches(group.code, def.code)) {
        // MEASURE_MR_GRP_NO_WRONG_CODE
        out.push({
          rule: 'measurereport-group',
          at,
          message: `The code provided (${display(group.code)}) does not match the code specified in the measure report (${display(def.code)})`
        });
      }
    }
    checkGroup(ctx, group, def, at);
    return out;
  }
  const seen = new Set<Obj>();
  for (const [group, i] of groups) {
    const at = child(c.loc, 'group', i);
    if (!isObject(group.code)) {
      out.push({ rule: 'measurereport-group', at, message: 'Group should have a code that matches the group definition in the measure' });
      continue;
    }
    const def = byCode(defined, group.code);
    if (!def) {
      out.push({ rule: 'measurereport-group', at, message: 'The code for this group has no match in the measure definition' });
    } else if (seen.has(def)) {
      out.push({ rule: 'measurereport-group', at, message: 'The code for this group is duplicated with another group' });
    } else {
      seen.add(def);
      checkGroup(ctx, group, def, at);
    }
  }
  if (mr.type !== 'data-collection') {
    for (const def of defined) {
      if (!seen.has(def)) {
        // MEASURE_MR_GRP_MISSING_BY_CODE
        out.push({ rule: 'measurereport-group', message: `The MeasureReport does not include a group for the group ${display(def.code)}` });
      }
    }
  }
  return out;
}

interface Ctx {
  out: Finding[];
  measure: Obj;
  scoring?: string;
  reportType?: string;
}

function checkGroup(ctx: Ctx, group: Obj, def: Obj, at: Loc): void {
  const { out } = ctx;
  const defined = each(def.population).map(([p]) => p);
  const seen = new Set<Obj>();
  for (const [pop, i] of each(group.population)) {
    const popAt = child(at, 'population', i);
    if (!isObject(pop.code)) {
      out.push({
        rule: 'measurereport-population',
        at: popAt,
        message: 'Group should have a code that matches the group population definition in the measure'
      });
      continue;
    }
    const match = byCode(defined, pop.code);
    if (!match) out.push({ rule: 'measurereport-population', at: popAt, message: 'The code for this group population has no match in the measure definition' });
    else if (seen.has(match))
      out.push({ rule: 'measurereport-population', at: popAt, message: 'The code for this group population is duplicated with another group' });
    else {
      seen.add(match);
      // Java compares count with the number of subjectResults for subject-list reports; R4's
      // subjectResults is one List reference, so that comparison is not made here.
      if (ctx.reportType !== 'subject-list') {
        if (pop.subjectResults !== undefined) {
          out.push({ rule: 'measurereport-population', at: popAt, message: "Reports where type is not 'subject-list' don't have subjects listed" });
        }
        if (pop.count === undefined) {
          out.push({
            severity: 'warning',
            rule: 'measurereport-population',
            at: popAt,
            message: "Count should be present for reports where type is not 'subject-list'"
          });
        }
      }
    }
  }
  for (const p of defined) {
    if (seen.has(p) || hasCoding(p.code, POPULATION_SYSTEM, 'measure-observation')) continue;
    // MEASURE_MR_GRP_MISSING_BY_CODE, at the group
    out.push({ rule: 'measurereport-population', at, message: `The MeasureReport does not include a group for the group ${display(p.code)}` });
  }
  checkScore(ctx, group, at);
  checkStratifiers(ctx, group, def, at);
}

/** MeasureValidator.validateMeasureReportGroupStratifiers. */
function checkStratifiers(ctx: Ctx, group: Obj, def: Obj, at: Loc): void {
  const { out } = ctx;
  const defined = each(def.stratifier).map(([s]) => s);
  const seen = new Set<Obj>();
  for (const [strat, i] of each(group.stratifier)) {
    const sAt = child(at, 'stratifier', i);
    // R4's MeasureReport stratifier.code repeats; Java reads the first
    const code: unknown = Array.isArray(strat.code) ? strat.code[0] : strat.code;
    if (!isObject(code)) {
      out.push({ rule: 'measurereport-stratifier', at: sAt, message: 'Group should have a code that matches the group population definition in the measure' });
      continue;
    }
    const match = stratifierFor(defined, code);
    if (!match) out.push({ rule: 'measurereport-stratifier', at: sAt, message: 'The code for this group stratifier has no match in the measure definition' });
    else if (seen.has(match))
      out.push({ rule: 'measurereport-stratifier', at: sAt, message: 'The code for this group population is duplicated with another group' });
    else seen.add(match);
  }
  for (const s of defined) {
    if (!seen.has(s))
      out.push({ rule: 'measurereport-stratifier', at, message: `The MeasureReport does not include a group for the group ${display(s.code)}` });
  }
}

/** Java's getGroupStratifierForCode: a shared coding, or (neither having codings) the same text. */
function stratifierFor(defined: Obj[], cc: Obj): Obj | undefined {
  return defined.find(d => {
    if (!isObject(d.code)) return false;
    if (codings(d.code).some(c => hasCoding(cc, c.system, c.code))) return true;
    return codings(cc).length === 0 && codings(d.code).length === 0 && typeof cc.text === 'string' && cc.text === d.code.text;
  });
}

/** MeasureValidator.validateScore, for the scorings it checks. */
function checkScore(ctx: Ctx, group: Obj, at: Loc): void {
  const { out, scoring } = ctx;
  const score = group.measureScore;
  const scoreAt = child(at, 'measureScore');
  if (ctx.reportType === 'data-collection') {
    if (score !== undefined)
      out.push({ rule: 'measurereport-score', at: scoreAt, message: "No measureScore when the type of the report is 'data-collection'" });
    return;
  }
  if (scoring === 'cohort') {
    if (score !== undefined) out.push({ rule: 'measurereport-score', at: scoreAt, message: "No measureScore when the scoring of the mesage is 'cohort'" });
    return;
  }
  if (!scoring || !['proportion', 'ratio', 'continuous-variable'].includes(scoring)) return;
  if (!isObject(score)) {
    out.push({ rule: 'measurereport-score', at, message: `A measureScore is required when the Measure.scoring=${scoring}` });
    return;
  }
  if (scoring === 'proportion') {
    for (const key of ['unit', 'system', 'code']) {
      if (score[key] !== undefined) {
        out.push({
          rule: 'measurereport-score',
          at: child(scoreAt, key),
          message: 'A measureScore for this Measure Scoring (proportion) should not have units'
        });
      }
    }
  }
  if (score.value === undefined) {
    // Java also takes the DEQM alternateScoreType extension's value in place of value.
    if (!hasExtension(score, 'http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-alternateScoreType')) {
      out.push({ rule: 'measurereport-score', at: scoreAt, message: `A value is required when the Measure.scoring = ${scoring}` });
    }
    return;
  }
  if (scoring === 'proportion' && typeof score.value === 'number' && (score.value < 0 || score.value > 1)) {
    out.push({ rule: 'measurereport-score', at: child(scoreAt, 'value'), message: 'The value is invalid - it must be between 0 and 1' });
  }
  if (scoring === 'ratio' || scoring === 'continuous-variable') checkFixedUnit(ctx, score, scoreAt);
}

const UNIT_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit';

/**
 * MEASURE_MR_SCORE_FIXED: a Measure that fixes the score's unit (questionnaire-unit) wants that
 * code and system; with no unit fixed, a ratio score should still have one (MEASURE_MR_SCORE_UNIT_REQUIRED,
 * a warning). A code without a system is left alone (Java fails on it).
 */
function checkFixedUnit(ctx: Ctx, score: Obj, scoreAt: Loc): void {
  const fixed = each(ctx.measure.extension).find(([e]) => e.url === UNIT_EXTENSION)?.[0]?.valueCoding;
  const unit = isObject(fixed) ? fixed : undefined;
  const fixedMessage = (value: unknown) => `This value is fixed by the Measure to '${String(value)}'`;
  if (score.code !== undefined) {
    if (!unit) return;
    if (unit.code !== score.code) ctx.out.push({ rule: 'measurereport-score', at: child(scoreAt, 'code'), message: fixedMessage(unit.code) });
    if (score.system !== undefined && unit.system !== score.system)
      ctx.out.push({ rule: 'measurereport-score', at: scoreAt, message: fixedMessage(unit.system) });
  } else if (unit) {
    ctx.out.push({ rule: 'measurereport-score', at: scoreAt, message: fixedMessage(unit.display ?? unit.code) });
  } else if (ctx.scoring === 'ratio') {
    ctx.out.push({ severity: 'warning', rule: 'measurereport-score', at: scoreAt, message: 'A unit should be present when the scoring type is ratio' });
  }
}

function hasExtension(obj: Obj, url: string): boolean {
  return each(obj.extension).some(([e]) => e.url === url);
}

function firstCode(cc: unknown): string | undefined {
  if (!isObject(cc)) return undefined;
  const first = each(cc.coding)[0]?.[0];
  return typeof first?.code === 'string' ? first.code : undefined;
}

function codings(cc: unknown): Obj[] {
  return isObject(cc) ? each(cc.coding).map(([c]) => c) : [];
}

function hasCoding(cc: unknown, system: unknown, code: unknown): boolean {
  return codings(cc).some(c => c.system === system && c.code === code);
}

function usable(cc: Obj): boolean {
  return codings(cc).some(c => typeof c.system === 'string' && typeof c.code === 'string');
}

/** Java's CodeableConcept.matches: a coding of the other (system and code) is one of these. */
function matches(cc: Obj, other: Obj): boolean {
  return codings(other).some(c => hasCoding(cc, c.system, c.code));
}

/** The definition whose code shares a coding (system and code) with `cc` (Java's getGroupForCode / getGroupPopForCode). */
function byCode(defined: Obj[], cc: Obj): Obj | undefined {
  return defined.find(d => codings(d.code).some(c => hasCoding(cc, c.system, c.code)));
}

function display(cc: unknown): string {
  if (!isObject(cc)) return '';
  if (typeof cc.text === 'string') return cc.text;
  // As Java's DataRenderer: the text, else a coding's display, else its code.
  const all = codings(cc);
  const shown = all.find(c => typeof c.display === 'string') ?? all.find(c => typeof c.code === 'string');
  return String(shown?.display ?? shown?.code ?? '');
}
