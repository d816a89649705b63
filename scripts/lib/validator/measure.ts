/**
 * A Measure checked for itself, as the HL7 Java validator's MeasureValidator.validateMeasure:
 * libraries resolve (MEASURE_M_LIB_UNKNOWN, a hint), there is a group (MEASURE_M_NO_GROUPS), groups,
 * populations and stratifiers carry codes when there are several (MEASURE_M_GROUP_CODE,
 * MEASURE_M_GROUP_POP_NO_CODE, MEASURE_M_GROUP_STRATA_NO_CODE), a group has a population
 * (MEASURE_M_GROUP_POP) - all warnings; a stratifier's criteria is CQL only with a library
 * (MEASURE_M_CRITERIA_CQL_NO_LIB, an error, reported here only when the Measure names no library
 * at all: one Java resolves and we cannot would be a false error) and other languages are not
 * checked (MEASURE_M_CRITERIA_UNKNOWN, a warning).
 */
import { each } from './conformance.ts';
import { child, isObject, type CheckContext, type Finding } from './state.ts';

export function checkMeasure(c: CheckContext): Finding[] {
  const m = c.value;
  if (!isObject(m) || m.resourceType !== 'Measure') return [];
  const out: Finding[] = [];
  const libraries = Array.isArray(m.library) ? m.library.filter((l): l is string => typeof l === 'string' && l !== '') : [];
  for (const ref of libraries) {
    if (!c.state.defs.get(ref)) {
      out.push({ severity: 'information', rule: 'measure', message: `The Library ${ref} could not be resolved, so expression validation may not be correct` });
    }
  }
  const groups = each(m.group);
  if (groups.length === 0) return [...out, { severity: 'warning', rule: 'measure', message: 'A measure should contain at least one group' }];
  for (const [group, g] of groups) {
    const at = child(c.loc, 'group', g);
    if (groups.length > 1 && group.code === undefined) {
      out.push({ severity: 'warning', rule: 'measure', at, message: 'Groups should have codes when there is more than one group' });
    }
    const populations = each(group.population);
    if (populations.length === 0) out.push({ severity: 'warning', rule: 'measure', at, message: 'Measure Groups should have at least one population' });
    for (const [p, i] of populations) {
      if (populations.length > 1 && p.code === undefined) {
        out.push({
          severity: 'warning',
          rule: 'measure',
          at: child(at, 'population', i),
          message: 'A measure group population should have a code when there is more than one population'
        });
      }
    }
    const stratifiers = each(group.stratifier);
    for (const [s, i] of stratifiers) {
      const sAt = child(at, 'stratifier', i);
      if (stratifiers.length > 1 && s.code === undefined) {
        out.push({
          severity: 'warning',
          rule: 'measure',
          at: sAt,
          message: 'A measure group stratifier should have a code when there is more than one population'
        });
      }
      if (isObject(s.criteria)) out.push(...criteria(s.criteria, child(sAt, 'criteria'), libraries.length));
    }
  }
  return out;
}

/** MeasureValidator.validateMeasureCriteria, as far as it can be judged without the libraries' ELM. */
function criteria(crit: Record<string, unknown>, at: ReturnType<typeof child>, libraries: number): Finding[] {
  const language = crit.language;
  if (typeof language !== 'string' || !language) return []; // an error elsewhere
  if (language === 'text/cql' || language === 'text/cql.identifier') {
    return libraries === 0 ? [{ rule: 'measure-criteria', at, message: 'No CQL Libraries found on this Measure' }] : [];
  }
  return [{ severity: 'warning', rule: 'measure-criteria', at, message: `The expression language ${language} is not supported, so can't be validated` }];
}
