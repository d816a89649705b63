/**
 * Conformance resources checked against the definitions they name, as the HL7 Java validator does:
 * a SearchParameter against the one it is derivedFrom (SearchParameterValidator), and a
 * CapabilityStatement's search parameters against their definitions (InstanceValidator's
 * validateCapabilityStatement). Messages are Java's, with its message ids in comments.
 */
import { child, isObject, type CheckContext, type Finding } from './state.ts';

type Obj = Record<string, unknown>;

/** The objects of a JSON array with their own indexes (a non-object entry is the structure check's). */
export function each(value: unknown): [Obj, number][] {
  return Array.isArray(value) ? value.flatMap((v, i): [Obj, number][] => (isObject(v) ? [[v, i]] : [])) : [];
}

/** SearchParameterValidator.validateSearchParameter. */
export function checkSearchParameter(c: CheckContext): Finding[] {
  const sp = c.value;
  if (!isObject(sp) || sp.resourceType !== 'SearchParameter') return [];
  const master = typeof sp.derivedFrom === 'string' ? sp.derivedFrom : '';
  if (!master) return [];
  const from = c.state.defs.get(master);
  if (!from || from.resourceType !== 'SearchParameter') {
    // SEARCHPARAMETER_NOTFOUND (a warning in Java)
    return [
      {
        severity: 'warning',
        rule: 'searchparameter-derivedfrom',
        message: `Unable to find the base Search Parameter ${master} so can't check that this SearchParameter is a proper derivation from it`
      }
    ];
  }
  const out: Finding[] = [];
  const bases = strings(from.base);
  for (const b of strings(sp.base)) {
    // SEARCHPARAMETER_BASE_WRONG
    if (!bases.includes(b) && !bases.includes('Resource')) {
      out.push({
        rule: 'searchparameter-derivedfrom',
        message: `The resource type ${b} is not listed as a base in the SearchParameter this is derived from (${master})`
      });
    }
  }
  // SEARCHPARAMETER_TYPE_WRONG
  if (typeof sp.type === 'string' && typeof from.type === 'string' && from.type !== sp.type) {
    out.push({
      rule: 'searchparameter-derivedfrom',
      message: `The type ${sp.type} is different to the type ${from.type} in the derivedFrom SearchParameter`
    });
  }
  // SEARCHPARAMETER_EXP_WRONG (a warning): compared as Java's canonicalise, a union of plain paths
  // whose resource-type roots are kept only for this parameter's bases, in sorted order.
  if (typeof from.expression === 'string' && typeof sp.expression === 'string' && from.expression !== sp.expression) {
    const mine = canonicalise(sp.expression, strings(sp.base), c);
    const theirs = canonicalise(from.expression, strings(sp.base), c);
    if (mine !== theirs) {
      out.push({
        severity: 'warning',
        rule: 'searchparameter-derivedfrom',
        message: `The expression '${sp.expression}' is not compatible with the expression '${from.expression}' in the derivedFrom SearchParameter ${master}, and this likely indicates that the derivation relationship is not valid`
      });
    }
  }
  return out;
}

/**
 * Java's canonicalise: only a union (`|`) of dotted names is rewritten; any other expression is
 * compared as written. Terms that start with a resource type other than this parameter's bases
 * are dropped.
 */
function canonicalise(expression: string, bases: string[], c: CheckContext): string {
  const terms = expression.split('|').map(t => t.trim());
  if (!terms.every(t => /^\(?[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*\)?$/.test(t))) return expression;
  const kept = terms
    .map(t => t.replace(/^\((.*)\)$/, '$1'))
    .filter(t => {
      const root = t.split('.')[0]!;
      return !isResourceName(root, c) || bases.includes(root);
    })
    .sort();
  return kept.length ? kept.join(' | ') : expression;
}

function isResourceName(name: string, c: CheckContext): boolean {
  if (!/^[A-Z]/.test(name)) return false;
  const sd = c.state.defs.get(`http://hl7.org/fhir/StructureDefinition/${name}`);
  return sd?.kind === 'resource' && sd.derivation !== 'constraint';
}

/**
 * CapabilityStatement.rest.resource.searchParam: the type must be the SearchParameter's, as Java's
 * InstanceValidator.validateCapabilityStatement (CAPABALITYSTATEMENT_CS_SP_WRONGTYPE, an error at
 * the searchParam). Only a definition that resolves is compared; its URL is shown with its version,
 * and a missing type reads "null", as Java prints them.
 */
export function checkCapabilityStatement(c: CheckContext): Finding[] {
  const cs = c.value;
  if (!isObject(cs) || cs.resourceType !== 'CapabilityStatement') return [];
  const out: Finding[] = [];
  for (const [rest, r] of each(cs.rest)) {
    const restLoc = child(c.loc, 'rest', r);
    for (const [resource, i] of each(rest.resource)) {
      const resLoc = child(restLoc, 'resource', i);
      for (const [param, p] of each(resource.searchParam)) {
        const ref = param.definition;
        if (typeof ref !== 'string' || !ref) continue;
        const sp = c.state.defs.get(ref);
        if (!sp || sp.resourceType !== 'SearchParameter' || typeof sp.type !== 'string') continue;
        const type = typeof param.type === 'string' ? param.type : undefined;
        if (sp.type === type) continue;
        const versioned = typeof sp.version === 'string' && sp.version ? `${String(sp.url)}|${sp.version}` : String(sp.url);
        out.push({
          rule: 'capabilitystatement-searchparam-type',
          at: child(resLoc, 'searchParam', p),
          message: `Type mismatch - SearchParameter '${versioned}' type is ${sp.type}, but type here is ${type ?? 'null'}`
        });
      }
    }
  }
  return out;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
