/**
 * Extensions, as the HL7 Java validator treats them: an extension is checked against its
 * definition (found by URL); an unknown one is an error unless its URL is one Java exempts
 * (example domains, HL7 tool and cross-version URLs); a sub-extension of a complex extension is
 * one of its slices (a relative URL); a definition's context of use says where it may appear;
 * `extension` vs `modifierExtension` must match the definition's isModifier.
 */
import { contextSelects } from './invariants.ts';
import { profileIndex, typeIndex, type ElementNode, type StructureDefinition } from './profile-index.ts';
import { child, type Finding, type Loc, type RunState, type Scope } from './state.ts';

/** The element holding an extension: its type, whether it is a resource, and (for a sub-extension) its URL. */
export interface ExtensionHost {
  code?: string;
  isResource: boolean;
  extensionUrl?: string;
  /** Definition paths of a primitive holding the extension. */ paths?: string[];
}

interface ExtensionContext {
  type: string;
  expression: string;
}

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
 * Undefined when the definition's context of use allows the extension here (Java's rules for
 * element, extension and FHIRPath contexts).
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
  const contexts = ((sd as { context?: ExtensionContext[] }).context ?? []).filter(c => typeof c.expression === 'string');
  const fix = CONTEXT_FIXES[sd.url];
  if (contexts.length === 0 || fix === 'Element') return undefined;
  if (fix) contexts.push({ type: 'element', expression: fix });
  const paths = hostPaths(node, loc, scope, host);
  if (paths.some(p => /^ElementDefinition\.(example\.value|pattern|fixed)/.test(p))) return undefined;
  let unevaluated: string | undefined;
  for (const c of contexts) {
    if (c.type === 'element') {
      if (c.expression === 'Element' || c.expression === 'Any') return undefined;
      if (c.expression === 'Resource' && host.isResource) return undefined;
      if (paths.some(p => matchesThroughBase(state, p, c.expression))) return undefined;
    } else if (c.type === 'extension') {
      if (host.extensionUrl === c.expression) return undefined;
    } else if (c.type === 'fhirpath') {
      const selected = contextSelects(c.expression, ext, scope, state);
      if (selected === true) return undefined;
      if (selected instanceof Error) unevaluated ??= `'${c.expression}' (${selected.message})`;
    } else {
      return undefined;
    }
  }
  if (unevaluated) {
    return {
      severity: 'information',
      message: `The context of use ${unevaluated} of ${sd.url} could not be evaluated, so where the extension may appear was not checked`
    };
  }
  const prefix = (type: string) => (type === 'extension' ? 'x:' : type === 'fhirpath' ? 'p:' : 'e:');
  const listed = contexts.map(c => `${prefix(c.type)}${c.expression}`).join(', ');
  return { message: `The extension ${sd.url} is not allowed at ${paths[0] ?? loc.expr}: its context of use is ${listed}` };
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

/** `Patient.name` matches `Patient.name`, `DomainResource.name` ... as Java walks the type's base definitions. */
function matchesThroughBase(state: RunState, path: string, expression: string): boolean {
  if (path === expression) return true;
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const tail = dot < 0 ? '' : path.slice(dot);
  let sd = typeIndex(state.defs, head)?.sd;
  for (let i = 0; sd && i < 10; i++) {
    if (`${sd.type}${tail}` === expression) return true;
    sd = sd.baseDefinition ? profileIndex(state.defs, sd.baseDefinition)?.sd : undefined;
  }
  return false;
}
