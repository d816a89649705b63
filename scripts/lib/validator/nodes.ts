/**
 * Per-node checks, by type: primitives (format), complex values (fixed/pattern, bindings,
 * type-specific rules, children, invariants), nested resources (contained, Bundle entries).
 */
import { profileIndex, typeIndex, type ElementNode, type ProfileIndex, type TypeRef } from './profile-index.ts';
import { checkPrimitive, isPrimitiveType } from './primitives.ts';
import { emit, isObject, report, type CheckContext, type Finding, type Item, type Loc, type RunState, type Scope } from './state.ts';
import { singleType, visitMembers } from './walker.ts';
import { checkFixed, checkLimits, checkQuantityLimits } from './values.ts';
import { runInvariants } from './invariants.ts';
import { checkBinding, checkCodingDisplay } from './terminology.ts';
import { checkReference, bundleIndex, checkContainedReferenced } from './references.ts';
import { checkNarrative, checkNarrativeLanguage } from './narrative.ts';
import { checkNhsNumber } from './nhs.ts';
import { checkBundle } from './bundle.ts';
import { checkQuestionnaireResponse } from './questionnaire-response.ts';
import { checkQuestionnaire } from './questionnaire.ts';
import { checkCapabilityStatement, checkSearchParameter } from './conformance.ts';
import { checkMeasureReport } from './measure-report.ts';
import { checkMeasure } from './measure.ts';
import { checkStructureDefinition } from './structure-definition.ts';
import { profilesByCode } from './core-profiles.ts';
import { checkAttachment, checkPrimitiveValue } from './datatypes.ts';
import { checkMustHaveValue } from './must-have-value.ts';
import { extensionTarget, type ExtensionHost } from './extensions.ts';
import { isFhirResource } from '../../fhir/json.ts';

const MAX_DEPTH = 64;

/** Validate a resource (at `loc`) against one profile or base definition. */
export function validateAgainst(state: RunState, resource: Record<string, unknown>, index: ProfileIndex, loc: Loc, scope: Scope): void {
  if (index.sd.kind === 'resource' && resource.resourceType !== index.type) {
    report(state, 'error', 'resource-type', loc, `The profile ${index.url} is for ${index.type}, not ${String(resource.resourceType)}`);
    return;
  }
  visitComplex(state, resource, index.root, index.type, loc, scope, true);
}

function visitItem(state: RunState, item: Item, node: ElementNode, typeCode: string | undefined, scope: Scope, host: ExtensionHost): void {
  const code = typeCode ?? singleType(node);
  if (item.loc.ptr.length > MAX_DEPTH * 2) {
    report(state, 'error', 'structure-depth', item.loc, `Nested more than ${MAX_DEPTH} levels deep; not validated further`);
    return;
  }
  if (code && isPrimitiveType(code)) return visitPrimitive(state, item, node, code, scope, host);
  const types = node.el.type ?? [];
  if (code ? isResourceType(state, code) : types.length > 0 && types.every(t => isResourceType(state, t.code))) {
    return visitNestedResource(state, item.value, item.loc, scope, types);
  }
  if (!isObject(item.value)) {
    report(state, 'error', 'type', item.loc, `${node.el.path} must be a JSON object (${code ?? 'complex type'})`);
    return;
  }
  let target = node;
  if (code === 'Extension') {
    const found = extensionTarget(state, item.value, node, item.loc, scope, host);
    for (const f of found.findings) report(state, f.severity ?? 'error', f.rule, f.at ?? item.loc, f.message);
    target = found.node;
  }
  visitComplex(state, item.value, target, code, item.loc, scope, false);
}

function isResourceType(state: RunState, code: string): boolean {
  if (code === 'Resource' || code === 'DomainResource') return true;
  return /^[A-Z]/.test(code) && typeIndex(state.defs, code)?.sd.kind === 'resource';
}

function visitPrimitive(state: RunState, item: Item, node: ElementNode, code: string, scope: Scope, host: ExtensionHost): void {
  if (item.value !== undefined && item.value !== null) {
    const c: CheckContext = { state, value: item.value, node, code, loc: item.loc, scope };
    if (!emit(c, primitiveFormat(c))) for (const check of PRIMITIVE_CHECKS) emit(c, check(c));
  }
  if (item.value === undefined || item.value === null || (typeof item.value === 'string' && item.value.trim() === '')) {
    for (const f of checkMustHaveValue(node, item.ext)) report(state, f.severity ?? 'error', f.rule, item.loc, f.message);
  }
  if (item.ext === undefined || item.ext === null) return;
  const extLoc: Loc = { expr: item.loc.expr, ptr: underscored(item.loc.ptr) };
  if (!isObject(item.ext)) return report(state, 'error', 'type', extLoc, 'The _element form must be a JSON object (id, extension)');
  if (host.isResource && node.name === 'id' && Array.isArray(item.ext.extension)) {
    report(state, 'error', 'extension-on-id', extLoc, 'Extensions are not allowed on Resource.id');
  }
  const element = typeIndex(state.defs, 'Element');
  if (element)
    visitComplex(state, item.ext, element.root, 'Element', extLoc, scope, false, {
      code,
      isResource: false,
      paths: [node.el.path, ...(node.el.base?.path ? [node.el.base.path] : [])]
    });
}

function primitiveFormat(c: CheckContext): Finding[] {
  const problem = checkPrimitive(c.code ?? '', c.value);
  return problem ? [problem] : [];
}

const whenXhtml = (c: CheckContext): Finding[] => (c.code === 'xhtml' ? checkNarrative(c) : []);

/** Checks on a primitive value whose JSON type and format are right, in order. */
const PRIMITIVE_CHECKS: readonly ((c: CheckContext) => Finding[])[] = [checkPrimitiveValue, checkFixed, checkLimits, checkBinding, whenXhtml, runInvariants];

/** Checks on a complex value or resource by its type, before its children are walked. */
const TYPE_CHECKS: Record<string, (c: CheckContext) => Finding[]> = {
  Extension: c => checkExtensionShape(c),
  Coding: checkCodingDisplay,
  Identifier: checkNhsNumber,
  Reference: checkReference,
  Attachment: checkAttachment,
  Bundle: checkBundle,
  QuestionnaireResponse: checkQuestionnaireResponse,
  Questionnaire: checkQuestionnaire,
  SearchParameter: checkSearchParameter,
  CapabilityStatement: checkCapabilityStatement,
  MeasureReport: checkMeasureReport,
  Measure: checkMeasure,
  StructureDefinition: checkStructureDefinition
};

function underscored(ptr: readonly (string | number)[]): (string | number)[] {
  const out = [...ptr];
  const at = typeof out[out.length - 1] === 'number' ? out.length - 2 : out.length - 1;
  const step = out[at];
  if (typeof step === 'string' && !step.startsWith('_')) out[at] = `_${step}`;
  return out;
}

function visitNestedResource(state: RunState, value: unknown, loc: Loc, scope: Scope, allowed: TypeRef[]): void {
  if (!isFhirResource(value)) {
    report(state, 'error', 'resource-type', loc, 'A resource must be a JSON object with a resourceType');
    return;
  }
  const index = typeIndex(state.defs, value.resourceType);
  if (!index || index.sd.kind !== 'resource') {
    report(state, 'error', 'resource-type', loc, `Unknown resource type '${value.resourceType}'`);
    return;
  }
  const codes = allowed.map(t => t.code);
  if (codes.length > 0 && !codes.some(c => c === value.resourceType || c === 'Resource' || c === 'DomainResource')) {
    report(state, 'error', 'type', loc, `A ${value.resourceType} is not allowed here; expected ${codes.join(' or ')}`);
    return;
  }
  const resource = value;
  // %rootResource is the resource itself unless it is contained: a Bundle entry's or a
  // Parameters value's resource is a root of its own (as the Java validator treats it).
  const contained = loc.ptr[loc.ptr.length - 2] === 'contained';
  const entry = scope.bundle?.byResource.get(value);
  const inner: Scope = {
    resource,
    root: contained ? scope.root : resource,
    resourceLoc: loc,
    bundle: scope.bundle,
    fullUrl: entry ? entry.fullUrl : scope.fullUrl,
    container: scope.resource
  };
  const required = requiredProfiles(state, allowed, value.resourceType);
  const profiles = [...new Set([...required, ...declaredProfiles(value), ...profilesByCode(value)])]
    .map(url => profileIndex(state.defs, url))
    .filter(p => p !== undefined);
  if (profiles.length === 0) validateAgainst(state, value, index, loc, inner);
  for (const p of profiles) validateAgainst(state, value, p, loc, inner);
}

/**
 * The profiles an element's type puts on the resource in it: those of its own type, and those
 * listed on a `Resource` / `DomainResource` type (Bundle.entry.resource, Parameters.parameter.resource
 * in a profile) whose StructureDefinition is for this resource type, as Java applies type.profile
 * to the resource it holds.
 */
function requiredProfiles(state: RunState, allowed: TypeRef[], resourceType: string): string[] {
  const own = allowed.find(t => t.code === resourceType)?.profile ?? [];
  const generic = allowed.filter(t => t.code === 'Resource' || t.code === 'DomainResource').flatMap(t => t.profile ?? []);
  const fitting = generic.filter(url => {
    const type = state.defs.get(url)?.type;
    return type === resourceType;
  });
  return [...own, ...fitting];
}

export function declaredProfiles(resource: Record<string, unknown>): string[] {
  const meta = resource.meta;
  const list = isObject(meta) && Array.isArray(meta.profile) ? meta.profile : [];
  return list.filter((p): p is string => typeof p === 'string').map(p => p.split('|')[0]!);
}

function visitComplex(
  state: RunState,
  obj: Record<string, unknown>,
  node: ElementNode,
  code: string | undefined,
  loc: Loc,
  scope: Scope,
  isResource: boolean,
  primitive?: ExtensionHost
): void {
  const keys = Object.keys(obj).filter(k => k !== 'resourceType' || !isResource);
  // A resource with only its resourceType is valid (Java); an empty element is not, nor one with
  // only an id (ele-1: `hasValue() or (children().count() > id.count())`). A primitive's
  // `_element` with only an id is left to its value.
  if (keys.length === 0 && !isResource) report(state, 'error', 'ele-1', loc, 'All FHIR elements must have a @value or children (empty object)');
  else if (!isResource && !primitive && keys.length === 1 && keys[0] === 'id') {
    report(state, 'error', 'ele-1', loc, 'All FHIR elements must have a @value or children (only an id)');
  }
  const { groups, typeRoot } = childrenFor(state, node, code);
  const here = isResource && obj.resourceType === 'Bundle' ? { ...scope, bundle: bundleIndex(obj) } : scope;
  const c: CheckContext = { state, value: obj, node, code, loc, scope: here, typeRoot };
  emit(c, checkFixed(c));
  emit(c, checkQuantityLimits(c));
  emit(c, checkBinding(c));
  const byType = code ? TYPE_CHECKS[code] : undefined;
  if (byType) emit(c, byType(c));
  if (isResource) {
    emit(c, checkContainedReferenced(c));
    emit(c, checkNarrativeLanguage(c));
  }
  const host: ExtensionHost = primitive ?? { code, isResource, extensionUrl: code === 'Extension' && typeof obj.url === 'string' ? obj.url : undefined };
  if (groups) visitMembers(state, obj, groups, loc, here, isResource, (item, n, t, s) => visitItem(state, item, n, t, s, host));
  emit(c, runInvariants(c));
}

/**
 * ext-1, done natively for speed: an extension has either a value or nested extensions. A
 * primitive value that carries only extensions (`_valueString`) is a value, as in FHIRPath.
 */
function checkExtensionShape({ value }: CheckContext): Finding[] {
  if (!isObject(value) || value.value !== undefined) return [];
  const hasValue = Object.keys(value).some(k => /^_?value[A-Z]/.test(k));
  const hasExtension = Array.isArray(value.extension) && value.extension.length > 0;
  return hasValue === hasExtension ? [{ rule: 'ext-1', message: "Constraint failed: ext-1: 'Must have either extensions or value[x], not both'" }] : [];
}

export interface Children {
  groups?: Map<string, import('./profile-index.ts').ChildGroup>;
  typeRoot?: ElementNode;
}

/** Children of a node: unfolded in the profile, or those of its type (or of the base element). */
export function childrenFor(state: RunState, node: ElementNode, code: string | undefined): Children {
  const typeRoot = code && code !== 'BackboneElement' && code !== 'Element' && node !== node.index.root ? typeRootFor(state, node, code) : undefined;
  if (node.children.size > 0) return { groups: node.children, typeRoot };
  if (node.el.contentReference) {
    const target = typeIndex(state.defs, node.index.type)?.byId.get(node.el.contentReference.replace(/^.*#/, ''));
    return { groups: target?.children };
  }
  if (!code || code === 'BackboneElement' || code === 'Element') {
    const base = typeIndex(state.defs, node.index.type)?.byId.get(node.el.path);
    if (base && base.children.size > 0) return { groups: base.children };
    const element = typeIndex(state.defs, code ?? 'Element');
    return { groups: element?.root.children };
  }
  return { groups: typeRoot?.children, typeRoot };
}

function typeRootFor(state: RunState, node: ElementNode, code: string): ElementNode | undefined {
  const profile = node.el.type?.find(t => t.code === code)?.profile?.[0];
  return (profile ? profileIndex(state.defs, profile) : undefined)?.root ?? typeIndex(state.defs, code)?.root;
}
