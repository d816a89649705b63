/**
 * Extensions, as the HL7 Java validator treats them: an extension is checked against its
 * definition (found by URL); an unknown one is an error unless its URL is one Java exempts
 * (example domains, HL7 tool and cross-version URLs); a sub-extension of a complex extension is
 * one of its slices (a relative URL); a definition's context of use says where it may appear;
 * `extension` vs `modifierExtension` must match the definition's isModifier.
 */
import { contextHolds, contextSelects } from './invariants.ts';
import { isPrimitiveType } from './primitives.ts';
import { profileIndex, typeIndex, type ElementNode, type StructureDefinition } from './profile-index.ts';
import { child, isObject, type Finding, type Loc, type RunState, type Scope } from './state.ts';
import { R4_CANONICAL_RESOURCE_TYPES } from '../../fhir/r4.ts';

/** The element holding an extension: its type, whether it is a resource, and (for a sub-extension) its URL. */
export interface ExtensionHost {
  code?: string;
  isResource: boolean;
  extensionUrl?: string;
  /** Definition paths of a primitive holding the extension. */ paths?: string[];
}

interface ExtensionContext {
  type?: unknown;
  expression: string;
}

/** A context of use with an expression (one without is the definition's error, not the instance's). */
function isExtensionContext(value: unknown): value is ExtensionContext {
  return isObject(value) && typeof value.expression === 'string';
}

/** One step down a JSON value: a property of an object or an item of an array. */
function stepInto(from: unknown, step: string | number): unknown {
  if (Array.isArray(from)) return typeof step === 'number' ? from[step] : undefined;
  return isObject(from) ? from[step] : undefined;
}

/** Where HL7 publishes the extensions pack's definitions (hl7.fhir.uv.extensions), the same namespace as R4 core's. */
const HL7_EXTENSIONS = 'http://hl7.org/fhir/StructureDefinition/';

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * URLs the Java validator accepts without a definition: examples (example.org, acme.com), DICOM
 * (nema.org), HL7 tooling extensions, structuredefinition-expression, and cross-version
 * extensions (`http://hl7.org/fhir/5.0/StructureDefinition/extension-...`), which it synthesises.
 * Also our own report extensions (operationoutcome-*), which R4 core does not define.
 */
export function isExemptExtension(url: string): boolean {
  return (
    url.includes('example.org') ||
    url.includes('acme.com') ||
    url.includes('nema.org') ||
    url.startsWith('http://hl7.org/fhir/tools/StructureDefinition/') ||
    url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-expression' ||
    /^http:\/\/hl7\.org\/fhir\/[0-9.]+\/StructureDefinition\/extension-/.test(url) ||
    url.startsWith('http://hl7.org/fhir/StructureDefinition/operationoutcome-')
  );
}

/** The element to check an extension against, and what is wrong with where it is used. */
export function extensionTarget(
  state: RunState,
  ext: Record<string, unknown>,
  node: ElementNode,
  loc: Loc,
  scope: Scope,
  host: ExtensionHost
): { node: ElementNode; findings: Finding[] } {
  const url = ext.url;
  const at = child(loc, 'url');
  if (typeof url !== 'string') return { node, findings: [] };
  const modifier = node.name === 'modifierExtension';
  // A slice of the profile or of a complex extension's definition: checked against the slice.
  if (node.el.sliceName && !node.el.type?.[0]?.profile?.length) return { node, findings: [] };
  if (!ABSOLUTE.test(url)) {
    if (host.code === 'Extension') {
      const definition = node.index.type === 'Extension' && node.index.sd.derivation === 'constraint' ? node.index.url : undefined;
      if (!definition || !profileIndex(state.defs, definition)) return { node, findings: [] };
      return { node, findings: [{ rule: 'extension-subextension-unknown', at, message: `'${url}' is not a sub-extension defined by ${definition}` }] };
    }
    return { node, findings: [{ rule: 'extension-url-absolute', at, message: `Extension.url must be an absolute URL; found '${url}'` }] };
  }
  const declared = node.el.type?.[0]?.profile?.[0];
  const index = profileIndex(state.defs, declared ?? url);
  if (!index || index.type !== 'Extension') {
    if (declared || isExemptExtension(url)) return { node, findings: [] };
    if (url.startsWith(HL7_EXTENSIONS)) {
      // The Java validator loads the HL7 extensions pack implicitly; without it here the
      // extension cannot be checked, which is no reason to refuse it.
      const findings: Finding[] = [
        {
          severity: 'warning',
          rule: 'extension-pack-missing',
          at,
          message: `The extension ${url} is not defined in FHIR R4 core; it may be one of the HL7 extensions pack (hl7.fhir.uv.extensions.r4), which is not loaded here, so it was not checked`
        }
      ];
      return { node, findings };
    }
    const findings: Finding[] = [
      {
        rule: 'extension-unknown',
        at,
        message: `The extension ${url} could not be found, so it is not allowed here${modifier ? ' (a modifier extension must be understood)' : ''}`
      }
    ];
    return { node, findings };
  }
  const findings: Finding[] = [];
  const isModifier = index.root.el.isModifier === true;
  if (isModifier !== modifier) {
    findings.push({
      rule: 'extension-modifier-mismatch',
      at: loc,
      message: isModifier
        ? `The extension ${url} is a modifier extension, so it must be in modifierExtension`
        : `The extension ${url} is not a modifier extension, so it must not be in modifierExtension`
    });
  }
  const wrong = contextProblem(state, index.sd, ext, node, loc, scope, host);
  if (wrong) findings.push({ rule: 'extension-context', at: loc, ...wrong });
  return { node: declared ? node : index.root, findings };
}

/**
 * Contexts the Java validator corrects for R4 core extensions whose published context is too
 * narrow (its fixContexts): where they may really appear.
 */
const CONTEXT_FIXES: Record<string, string> = {
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type': 'ElementDefinition.type',
  'http://hl7.org/fhir/StructureDefinition/regex': 'ElementDefinition.type',
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-normative-version': 'Element',
  'http://hl7.org/fhir/StructureDefinition/capabilitystatement-expectation': 'Element',
  'http://hl7.org/fhir/StructureDefinition/capabilitystatement-prohibited': 'Element'
};

/**
 * Undefined when the definition's context of use allows the extension here, as Java's
 * checkExtensionContext decides it (element, extension and FHIRPath contexts, then the
 * definition's contextInvariant).
 */
function contextProblem(
  state: RunState,
  sd: StructureDefinition,
  ext: Record<string, unknown>,
  node: ElementNode,
  loc: Loc,
  scope: Scope,
  host: ExtensionHost
): Pick<Finding, 'message' | 'severity'> | undefined {
  const contexts = (Array.isArray(sd.context) ? sd.context : []).filter(isExtensionContext);
  const fix = CONTEXT_FIXES[sd.url];
  if (fix === 'Element') return undefined;
  if (fix) contexts.push({ type: 'element', expression: fix });
  const paths = hostPaths(node, loc, scope, host);
  if (paths.some(p => /^ElementDefinition\.(example\.value|pattern|fixed)/.test(p))) return undefined;
  let unevaluated: string | undefined;
  let allowed = contexts.length === 0;
  for (const c of contexts) {
    if (c.type === 'element') {
      if (elementContextAllows(state, c.expression, paths, host)) allowed = true;
    } else if (c.type === 'extension') {
      if (insideExtension(c.expression, loc, scope, host)) allowed = true;
    } else if (c.type === 'fhirpath') {
      const selected = contextSelects(c.expression, ext, scope, state);
      if (selected === true) allowed = true;
      if (selected instanceof Error) unevaluated ??= `'${c.expression}' (${selected.message})`;
    } else {
      allowed = true;
    }
    if (allowed) break;
  }
  if (allowed) return invariantProblem(state, sd, loc, scope, host);
  if (unevaluated) {
    return {
      severity: 'information',
      message: `The context of use ${unevaluated} of ${sd.url} could not be evaluated, so where the extension may appear was not checked`
    };
  }
  const prefix = (type: unknown) => (type === 'extension' ? 'x:' : type === 'fhirpath' ? 'p:' : 'e:');
  const listed = contexts.map(c => `${prefix(c.type)}${c.expression}`).join(', ');
  return { message: `The extension ${sd.url} is not allowed at ${paths[0] ?? loc.expr}: its context of use is ${listed}` };
}

/**
 * Java: each contextInvariant is evaluated on the element holding the extension and must be true
 * (PROFILE_EXT_NOT_HERE: "The extension {0} is not allowed to be used at this point (based on
 * context invariant '{1}')").
 */
function invariantProblem(
  state: RunState,
  sd: StructureDefinition,
  loc: Loc,
  scope: Scope,
  host: ExtensionHost
): Pick<Finding, 'message' | 'severity'> | undefined {
  const invariants: unknown[] = Array.isArray(sd.contextInvariant) ? sd.contextInvariant : [];
  if (invariants.length === 0) return undefined;
  const container = containerOf(loc, scope);
  if (container === undefined) return undefined;
  const base = host.isResource || !host.code || host.code === 'Extension' ? undefined : host.code;
  for (const expression of invariants) {
    if (typeof expression !== 'string') continue;
    const holds = contextHolds(expression, container, base, scope, state);
    if (holds instanceof Error) {
      return {
        severity: 'information',
        message: `The context invariant '${expression}' of ${sd.url} could not be evaluated (${holds.message}), so it was not checked`
      };
    }
    if (!holds) return { message: `The extension ${sd.url} is not allowed to be used at this point (based on context invariant '${expression}')` };
  }
  return undefined;
}

/** Abstract (and R5) type names a context may use, by the concrete R4 types they stand for. */
const ABSTRACT_HEADS: Record<string, (type: string) => boolean> = {
  CanonicalResource: t => R4_CANONICAL_RESOURCE_TYPES.has(t),
  MetadataResource: t => R4_CANONICAL_RESOURCE_TYPES.has(t)
};

function elementContextAllows(state: RunState, expression: string, paths: string[], host: ExtensionHost): boolean {
  // A context may name a profile's element as `url#path` (Java: checked on the path).
  const expr = expression.includes('#') ? expression.slice(expression.indexOf('#') + 1) : expression;
  if (expr === 'Element' || expr === 'Any' || expr === 'Base') return true;
  if (expr === 'Resource' && host.isResource) return true;
  if (expr === 'DataType' && !host.isResource) return true;
  if (expr === 'PrimitiveType' && isPrimitiveType(host.code ?? '')) return true;
  if ((expr === 'BackboneElement' || expr === 'BackboneType') && host.code === 'BackboneElement') return true;
  return paths.some(p => matchesThroughBase(state, p, expr));
}

/** The extension sits inside (at any depth) an extension with this URL: on it, on its value, or deeper. */
function insideExtension(url: string, loc: Loc, scope: Scope, host: ExtensionHost): boolean {
  if (host.extensionUrl === url) return true;
  return ancestorsOf(loc, scope).some(a => a.viaExtension && a.value.url === url);
}

interface Ancestor {
  value: Record<string, unknown>;
  /** Reached through `extension` / `modifierExtension` (so it is an Extension). */
  viaExtension: boolean;
}

/** The JSON objects from the resource down to (not including) the node at `loc`. */
function ancestorsOf(loc: Loc, scope: Scope): Ancestor[] {
  const steps = loc.ptr.slice(scope.resourceLoc.ptr.length);
  const out: Ancestor[] = [];
  let current: unknown = scope.resource;
  let viaExtension = false;
  for (const step of steps) {
    if (isObject(current)) out.push({ value: current, viaExtension });
    if (typeof step === 'string') viaExtension = step === 'extension' || step === 'modifierExtension';
    current = stepInto(current, step);
  }
  return out;
}

/** The element holding the extension at `loc` (a primitive's value when it is on a primitive). */
function containerOf(loc: Loc, scope: Scope): unknown {
  const steps = loc.ptr.slice(scope.resourceLoc.ptr.length);
  let at = steps.length - 1;
  while (at >= 0 && steps[at] !== 'extension' && steps[at] !== 'modifierExtension') at--;
  if (at < 0) return undefined;
  const path = steps.slice(0, at);
  const get = stepInto;
  // A primitive's extensions live in its `_name` object (or `_name[i]`): the holder is the value.
  const last = path.length - 1;
  const named = typeof path[last] === 'number' ? last - 1 : last;
  const key = path[named];
  if (typeof key === 'string' && key.startsWith('_')) path[named] = key.slice(1);
  let holder: unknown = scope.resource;
  for (const step of path) holder = get(holder, step);
  return holder;
}

/** The element the extension sits on, as paths: the instance path (no indexes) and the definition paths. */
function hostPaths(node: ElementNode, loc: Loc, scope: Scope, host: ExtensionHost): string[] {
  const out = new Set<string>();
  const own = scope.resourceLoc.expr;
  if (loc.expr.startsWith(own)) {
    const literal = `${scope.resource.resourceType}${loc.expr.slice(own.length)}`.replace(/\[\d+\]/g, '');
    out.add(literal.replace(/\.(modifierExtension|extension)$/, ''));
  }
  const parent = (path: string) => path.replace(/\.(modifierExtension|extension)$/, '');
  out.add(parent(node.el.path));
  if (node.el.base?.path) out.add(parent(node.el.base.path));
  if (host.code) out.add(host.code);
  for (const p of host.paths ?? []) out.add(p);
  return [...out];
}

/**
 * `Patient.name` matches `Patient.name`, `DomainResource.name` ... as Java walks the type's base
 * definitions; `CanonicalResource.url` matches `Library.url`; a choice element named with or
 * without `[x]` (`Patient.deceased[x]`, `Patient.deceased`) matches every typed form of it
 * (`Patient.deceasedDateTime`, Java's hasElementName).
 */
function matchesThroughBase(state: RunState, path: string, expression: string): boolean {
  if (path === expression) return true;
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const tail = dot < 0 ? '' : path.slice(dot);
  const exprDot = expression.indexOf('.');
  const exprHead = exprDot < 0 ? expression : expression.slice(0, exprDot);
  const exprTail = exprDot < 0 ? '' : expression.slice(exprDot);
  if (ABSTRACT_HEADS[exprHead]?.(head) && tailsMatch(tail, exprTail)) return true;
  let sd = typeIndex(state.defs, head)?.sd;
  for (let i = 0; sd && i < 10; i++) {
    if (sd.type === exprHead && tailsMatch(tail, exprTail)) return true;
    sd = sd.baseDefinition ? profileIndex(state.defs, sd.baseDefinition)?.sd : undefined;
  }
  return false;
}

/** `.deceasedDateTime` (or `.deceased[x]`) against `.deceased[x]` / `.deceased`, segment by segment. */
function tailsMatch(tail: string, expected: string): boolean {
  if (tail === expected) return true;
  const a = tail.split('.');
  const b = expected.split('.');
  if (a.length !== b.length) return false;
  return a.every((seg, i) => {
    const want = b[i]!;
    if (seg === want) return true;
    const stem = want.endsWith('[x]') ? want.slice(0, -3) : want;
    if (seg === `${stem}[x]`) return true;
    return seg.startsWith(stem) && seg.length > stem.length && isChoiceSuffix(seg.slice(stem.length));
  });
}

function isChoiceSuffix(suffix: string): boolean {
  if (!/^[A-Z]/.test(suffix)) return false;
  const lower = suffix[0]!.toLowerCase() + suffix.slice(1);
  return isPrimitiveType(lower) || CHOICE_DATATYPES.has(suffix);
}

/** The complex types a choice element may take in R4 (the `[x]` suffixes). */
const CHOICE_DATATYPES = new Set(
  (
    'Address Age Annotation Attachment CodeableConcept Coding ContactPoint Count Distance Duration HumanName Identifier Money Period ' +
    'Quantity Range Ratio Reference SampledData Signature Timing ContactDetail Contributor DataRequirement Expression ParameterDefinition ' +
    'RelatedArtifact TriggerDefinition UsageContext Dosage Meta'
  ).split(' ')
);
