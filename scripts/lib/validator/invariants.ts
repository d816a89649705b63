/**
 * Invariants: every `constraint` of the element (and of its type's root) evaluated with HL7's
 * fhirpath engine on the R4 model, compiled once per (base, expression) and reused.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';
import type { Constraint, ElementNode } from './profile-index.ts';
import { resolveTarget } from './references.ts';
import { isObject, type CheckContext, type Finding, type Loc, type RunState, type Scope } from './state.ts';

/**
 * Constraints we do not evaluate with fhirpath, and why. Each is either checked natively
 * elsewhere (same key, same meaning) or cannot be evaluated by fhirpath.js 5.1.1.
 */
export const NOT_EVALUATED: Record<string, string> = {
  'ele-1':
    'checked natively (empty object / primitive without value or extension): evaluating it on every node costs more than the rest of validation together',
  'ext-1': 'checked natively in nodes.ts (value[x] xor nested extensions)',
  'dom-3': 'fhirpath.js 5.1.1 fails on the R4 expression (as(canonical) on a collection); references.ts checks it natively',
  'eld-16': 'same as eld-19: the regex is not valid in JavaScript unicode mode',
  'eld-19': 'its regex uses escapes that JavaScript rejects in unicode mode (fhirpath.js compiles matches() with the u flag); element paths come from SUSHI',
  'eld-20': 'same as eld-19: the regex is not valid in JavaScript unicode mode',
  'txt-1': 'htmlChecks() is not implemented by fhirpath.js; the XHTML allow-list in narrative.ts does this check',
  'txt-2': 'htmlChecks() is not implemented by fhirpath.js; narrative.ts checks non-whitespace content'
};

/**
 * R4 invariants whose published expression is wrong, evaluated with the correction the HL7 Java
 * validator applies (its FHIRPathExpressionFixer), matched on the exact published text.
 */
export const CORRECTED: readonly { key: string; published: string; corrected: string; reason: string }[] = [
  {
    key: 'que-12',
    published: 'enableWhen.count() > 2 implies enableBehavior.exists()',
    corrected: 'enableWhen.count() >= 2 implies enableBehavior.exists()',
    reason: "the rule is 'more than one enableWhen'; R4 counts from three (fixed in R4B)"
  },
  {
    key: 'ras-2',
    published: 'probability is decimal implies (probability as decimal) <= 100',
    corrected: '(probability.exists() and (probability is decimal)) implies ((probability as decimal) <= 100)',
    reason: 'the published form fails when probability is absent or a Range'
  },
  {
    key: 'ref-1',
    published: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
    corrected:
      "reference.exists() implies (reference = '#' or (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))))",
    reason: "a contained resource may refer to its container as '#'"
  },
  {
    key: 'que-7',
    published: "operator = 'exists' implies (answer is Boolean)",
    corrected: "operator = 'exists' implies (answer is boolean)",
    reason:
      "Java's `is` compares type names ignoring case (Base.hasType), so an answerBoolean is a Boolean; fhirpath.js reads `Boolean` as System.Boolean, which a FHIR boolean is not"
  },
  {
    key: 'bdl-8',
    published: "fullUrl.contains('/_history/').not()",
    corrected: "fullUrl.exists() implies fullUrl.contains('/_history/').not()",
    reason: 'an entry without a fullUrl has nothing to check'
  },
  {
    key: '*-0',
    published: "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')",
    corrected: "name.exists() implies name.matches('^[A-Z]([A-Za-z0-9_]){0,254}$')",
    reason: 'matches() tests a part of the string; the whole name must be an identifier (the -0 rules of canonical resources)'
  },
  {
    key: 'prov-? (Provenance)',
    published: "generated='generated' implies source.empty()",
    corrected: "generation='generated' implies source.empty()",
    reason: 'the published expression names an element that does not exist'
  }
];

const CORRECTIONS = new Map(CORRECTED.map(c => [c.published, c.corrected]));

type Compiled = (resource: unknown, env: Record<string, unknown>) => unknown[];

const compiled = new Map<string, Compiled | Error>();
const perNode = new WeakMap<ElementNode, Map<ElementNode | undefined, Constraint[]>>();

/**
 * What `resolve()` resolves against while one node's invariants run (evaluation is synchronous):
 * fhirpath.js 5.1.1 only resolves asynchronously, through a server, so a core invariant using it
 * (ctm-1) could not be evaluated. As in the Java validator, a reference resolves to a contained
 * resource, an entry of the enclosing Bundle or one of the guide's examples; otherwise to nothing.
 */
let resolving: { state: RunState; scope: Scope } | undefined;

interface FhirpathNode {
  constructor: { makeResNode?: (ctx: unknown, data: unknown, ...rest: null[]) => unknown };
}

function resolveFn(this: unknown, items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const data = isObject(item) && 'data' in item ? item.data : item;
    if (!resolving || !isObject(data) || typeof data.reference !== 'string') continue;
    const target = resolveTarget(resolving.state, resolving.scope, data.reference);
    const make = (item as FhirpathNode).constructor.makeResNode;
    if (target && typeof make === 'function') out.push(make(this, target, null, null, null, null));
  }
  return out;
}

const OPTIONS = { resolveInternalTypes: false, traceFn: () => {}, userInvocationTable: { resolve: { fn: resolveFn, internalStructures: true } } };

/**
 * fhirpath.js 5.1.1 wraps a number given with a `base` path before it sets up its decimal
 * factory, so any invariant on a decimal or integer element failed with "ctx.getDecimal is not a
 * function" (ras-1 on RiskAssessment.prediction.probabilityDecimal). Numbers are handed over as
 * the library's own native decimals, which is what it would have made of them.
 */
const toDecimal: ((n: number) => unknown) | undefined = (() => {
  const sample = (fhirpath.evaluate({}, '1.5', undefined, r4, { resolveInternalTypes: false } as never) as unknown[])[0];
  const Native = isObject(sample) && sample instanceof fhirpath.FP_Decimal ? (sample.constructor as new (n: number) => unknown) : undefined;
  return Native ? (n: number) => new Native(n) : undefined;
})();

/** `base` undefined: a resource root, whose type fhirpath reads from resourceType (so one compile serves all types). */
function compileOnce(base: string | undefined, expression: string): Compiled | Error {
  const key = `${base ?? ''}\u0000${expression}`;
  let fn = compiled.get(key);
  if (!fn) {
    try {
      const text = CORRECTIONS.get(expression) ?? expression;
      const path = base === undefined ? text : { base, expression: text };
      fn = fhirpath.compile(path as never, r4, OPTIONS as never) as unknown as Compiled;
    } catch (e) {
      fn = new Error(firstLine(e));
    }
    compiled.set(key, fn);
  }
  return fn;
}

/**
 * A `fhirpath` extension context (StructureDefinition.context.type): as in the Java validator, the
 * expression is evaluated on the resource holding the extension, and the extension is allowed
 * when the element carrying it is among the results. Asked here as "is this extension object
 * among the results' extensions", which also covers primitives (their extensions live in the
 * `_element` object). An Error when the expression cannot be compiled or evaluated.
 */
export function contextSelects(expression: string, ext: object, scope: Scope, state: RunState): boolean | Error {
  const fn = compileOnce(undefined, `(${expression}).select(extension | modifierExtension)`);
  if (fn instanceof Error) return fn;
  resolving = { state, scope };
  try {
    return fn(scope.resource, { resource: scope.resource, rootResource: scope.root }).some(r => (isObject(r) && 'data' in r ? r.data : r) === ext);
  } catch (e) {
    return new Error(firstLine(e));
  }
}

/**
 * A contextInvariant of an extension definition, evaluated (as Java does) on the element holding
 * the extension: true only when the result is true (Java's evaluateToBoolean). An Error when the
 * expression cannot be compiled or evaluated.
 */
export function contextHolds(expression: string, container: unknown, base: string | undefined, scope: Scope, state: RunState): boolean | Error {
  const fn = compileOnce(base, expression);
  if (fn instanceof Error) return fn;
  resolving = { state, scope };
  try {
    const result = fn(typeof container === 'number' && toDecimal ? toDecimal(container) : container, { resource: scope.resource, rootResource: scope.root });
    return result.length > 0 && result.every(r => r === true);
  } catch (e) {
    return new Error(firstLine(e));
  }
}

/** The constraints that apply at a node: its own, plus its type's root constraints. */
function constraintsAt(node: ElementNode, typeRoot: ElementNode | undefined): Constraint[] {
  let byType = perNode.get(node);
  if (!byType) perNode.set(node, (byType = new Map()));
  let list = byType.get(typeRoot);
  if (!list) {
    const own = node.el.constraint ?? [];
    const inherited = (typeRoot?.el.constraint ?? []).filter(c => !own.some(o => o.key === c.key));
    list = [...own, ...inherited].filter(c => c.expression && !(c.key in NOT_EVALUATED));
    byType.set(typeRoot, list);
  }
  return list;
}

export function runInvariants({ state, value, node, typeRoot, code, loc, scope }: CheckContext): Finding[] {
  const list = constraintsAt(node, typeRoot);
  if (list.length === 0) return [];
  resolving = { state, scope };
  const out: Finding[] = [];
  const env = { resource: scope.resource, rootResource: scope.root };
  for (const c of list) {
    if (c.key === 'dom-6' && isContained(loc)) continue;
    const own = node.el.constraint?.includes(c) ?? false;
    const base = own ? basePath(node, code) : (code ?? node.el.path);
    const fn = compileOnce(base, c.expression!);
    const outcome = evaluateFast(fn, CORRECTIONS.get(c.expression!) ?? c.expression!, value, env);
    if (outcome === true) continue;
    if (outcome instanceof Error) {
      out.push({ severity: 'information', rule: c.key, message: `Constraint ${c.key} could not be evaluated: ${outcome.message}` });
      continue;
    }
    const severity = c.severity === 'warning' ? 'warning' : 'error';
    out.push({ severity, rule: c.key, message: `Constraint failed: ${c.key}: '${c.human ?? c.expression}'` });
  }
  return out;
}

/** Contained resources need no narrative of their own (the container's covers them). */
function isContained(loc: Loc): boolean {
  return loc.ptr[loc.ptr.length - 2] === 'contained';
}

/** The fhirpath base of a node: its path, or its type for roots and choice elements. */
function basePath(node: ElementNode, code: string | undefined): string | undefined {
  if (node === node.index.root) return node.index.sd.kind === 'resource' ? undefined : node.index.type;
  if (node.el.path.endsWith('[x]') && code) return code;
  return node.el.path;
}

/**
 * Shortcut for the common case: an expression that only navigates from a few child names of the
 * node (no %variables, $this, or function called on the node itself) gives, on a node that has
 * none of those children, the same result as on an empty node of that type - computed once.
 * `undefined` when the expression does not qualify.
 */
const rootNames = new Map<string, string[] | null>();
const KEYWORDS = new Set(['and', 'or', 'xor', 'implies', 'not', 'true', 'false', 'is', 'as', 'div', 'mod', 'in', 'contains']);

export function namesOf(expression: string): string[] | undefined {
  let names = rootNames.get(expression);
  if (names === undefined) {
    const text = expression.replace(/'(?:[^'\\]|\\.)*'/g, "''");
    const rootCalls = [...text.matchAll(/(^|[^.\w`])([A-Za-z_]\w*)\s*\(/g)].filter(m => !KEYWORDS.has(m[2]!));
    const free = !/[%$]/.test(text) && rootCalls.length === 0;
    names = free ? [...new Set([...text.matchAll(/(^|[^.\w`])`?([A-Za-z_]\w*)`?/g)].map(m => m[2]!).filter(n => !KEYWORDS.has(n)))] : null;
    rootNames.set(expression, names);
  }
  return names ?? undefined;
}

function touches(value: unknown, names: string[]): boolean {
  if (typeof value !== 'object' || value === null) return true;
  for (const key of Object.keys(value)) {
    const bare = key.startsWith('_') ? key.slice(1) : key;
    if (names.some(n => bare === n || (bare.startsWith(n) && /^[A-Z]/.test(bare.slice(n.length))))) return true;
  }
  return false;
}

const emptyResults = new WeakMap<Compiled, Map<string, true | false | Error>>();

/**
 * Results of "free" expressions (see namesOf) on small nodes, by the node's JSON: the same
 * identifier or coding recurs across a guide's examples and messages. Bounded; `clearInvariantMemo`
 * empties it (the benchmark does, to measure fresh content).
 */
const memo = new Map<Compiled, Map<string, true | false | Error>>();
const MEMO_LIMIT = 20_000;
let memoSize = 0;

export function clearInvariantMemo(): void {
  memo.clear();
  memoSize = 0;
}

function evaluateMemo(fn: Compiled, expression: string, value: unknown, env: Record<string, unknown>): true | false | Error {
  if (expression.includes('resolve(') || typeof value !== 'object' || value === null) return evaluate(fn, value, env);
  const key = JSON.stringify(value);
  if (key.length > 2000) return evaluate(fn, value, env);
  let byNode = memo.get(fn);
  if (!byNode) memo.set(fn, (byNode = new Map()));
  let hit = byNode.get(key);
  if (hit === undefined) {
    hit = evaluate(fn, value, env);
    if (memoSize++ > MEMO_LIMIT) clearInvariantMemo();
    byNode.set(key, hit);
  }
  return hit;
}

function evaluateFast(fn: Compiled | Error, expression: string, value: unknown, env: Record<string, unknown>): true | false | Error {
  const names = namesOf(expression);
  if (fn instanceof Error || !names) return evaluate(fn, value, env);
  if (touches(value, names)) return evaluateMemo(fn, expression, value, env);
  const type = isObject(value) ? String(value.resourceType ?? '') : '';
  let cache = emptyResults.get(fn);
  if (!cache) emptyResults.set(fn, (cache = new Map()));
  let hit = cache.get(type);
  if (hit === undefined) {
    const empty = type ? { resourceType: type } : {};
    hit = evaluate(fn, empty, { resource: empty, rootResource: empty });
    cache.set(type, hit);
  }
  return hit;
}

/** True when the constraint holds (an empty result counts as holding, as it cannot fail). */
function evaluate(fn: Compiled | Error, value: unknown, env: Record<string, unknown>): true | false | Error {
  if (fn instanceof Error) return fn;
  try {
    const result = fn(typeof value === 'number' && toDecimal ? toDecimal(value) : value, env);
    return result.some(r => r === false) ? false : true;
  } catch (e) {
    return new Error(firstLine(e));
  }
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!.slice(0, 200);
}

/**
 * An expression evaluated on a resource as the Java validator's evaluateToBoolean: true only for
 * a single `true` result (an empty result is false). An Error when it cannot be compiled or run.
 */
export function evaluateBoolean(expression: string, resource: Record<string, unknown>): boolean | Error {
  const fn = compileOnce(undefined, expression);
  if (fn instanceof Error) return fn;
  resolving = undefined;
  try {
    const result = fn(resource, { resource, rootResource: resource });
    return result.length === 1 && result[0] === true;
  } catch (e) {
    return new Error(firstLine(e));
  }
}
