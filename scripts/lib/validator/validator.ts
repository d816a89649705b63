/**
 * The validator: one loaded `ValidatorContext` (definitions, profile indexes, compiled
 * invariants, expansions - all cached) validates resources and files, as often as asked.
 */
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { FhirResource } from '../../model/resources.ts';
import type { FileReport } from '../../model/validation.ts';
import type { Definitions } from './definitions.ts';
import { coreDefinitions } from './core-source.ts';
import { profileIndex, snapshotProblem, typeIndex } from './profile-index.ts';
import { declaredProfiles, validateAgainst } from './nodes.ts';
import { profilesByCode } from './core-profiles.ts';
import { report, type Issue, type Loc, type RunOptions, type RunState } from './state.ts';
import { checkRoot, jsonAst, maxDepth, parseInput, LIMITS } from './parse.ts';
import { fhirXmlToJson, locateXml, XmlError, type XmlPosition } from './xml.ts';
import { locate } from './locate.ts';
import { duplicateElementIds } from './element-ids.ts';
import { duplicateKeys } from './json-keys.ts';
import { errorMessage } from '../../util/errors.ts';
import { isFhirResource } from '../../fhir/json.ts';

export interface ResourceOptions extends RunOptions {
  /** Profiles to check against besides meta.profile (--profile, or FSH InstanceOf). */
  profiles?: string[];
}

/**
 * R5 resource types that SUSHI compiles and the IG Publisher publishes in R4 guides (its special
 * types, validated there against their R5 definitions, which R4 core lacks): not an unknown type.
 */
const R5_TYPES_IN_R4_GUIDES = new Set(['ActorDefinition', 'Requirements', 'TestPlan', 'SubscriptionTopic']);

export class ValidatorContext {
  constructor(readonly defs: Definitions) {}

  /** Core package (loaded once per process) plus the guide's and --load'ed resources. */
  static create(packageCache: string, resources: Iterable<FhirResource> = []): ValidatorContext {
    return new ValidatorContext(coreDefinitions(packageCache).overlay(resources));
  }

  /** Same core definitions, different guide resources (the dev server after an edit). */
  withResources(resources: Iterable<FhirResource>): ValidatorContext {
    return new ValidatorContext(this.defs.root().overlay(resources));
  }

  validateResource(resource: unknown, options: ResourceOptions = {}): Issue[] {
    this.conformance = new WeakMap();
    const state: RunState = { defs: this.defs, options, issues: [], depth: 0 };
    state.conforms = (r, url) => this.conforms(r, url, state.depth);
    const root: Loc = { expr: isFhirResource(resource) ? resource.resourceType : '', ptr: [] };
    if (!isFhirResource(resource)) {
      report(state, 'error', 'resource-type', root, 'Not a FHIR resource: expected a JSON object with a resourceType');
      return state.issues;
    }
    const depth = maxDepth(resource);
    if (depth > LIMITS.maxDepth) {
      report(state, 'error', 'structure-depth', root, `The resource is nested ${depth} levels deep; not validated`);
      return state.issues;
    }
    this.run(state, resource, root, options.profiles ?? []);
    return dedupe(state.issues);
  }

  private run(state: RunState, resource: FhirResource, root: Loc, requested: string[]): void {
    const scope = { resource, root: resource, resourceLoc: root };
    const base = typeIndex(state.defs, resource.resourceType);
    if (!base || base.sd.kind !== 'resource') {
      if (R5_TYPES_IN_R4_GUIDES.has(resource.resourceType)) {
        report(
          state,
          'warning',
          'resource-type-r5',
          root,
          `${resource.resourceType} is an R5 resource type: an R4 guide may carry it (the IG Publisher publishes it as a special type), but it is not validated against R4`
        );
        return;
      }
      report(state, 'error', 'resource-type', root, `Unknown resource type '${resource.resourceType}'`);
      return;
    }
    for (const f of duplicateElementIds(resource, root)) report(state, f.severity ?? 'error', f.rule, f.at ?? root, f.message);
    const profiles = [
      ...new Set([...requested, ...declaredProfiles(resource), ...state.defs.globalProfiles(resource.resourceType), ...profilesByCode(resource)])
    ];
    let checked = 0;
    for (const url of profiles) {
      const index = profileIndex(state.defs, url);
      if (!index) {
        const explicit = requested.includes(url);
        const problem = snapshotProblem(state.defs, url);
        const message = problem
          ? `${problem}; the resource was not checked against ${url}`
          : `Profile ${url} is not known here, so the resource was not checked against it`;
        // A profile that exists but cannot be used is an error on that profile (whoever asked for
        // it); an unknown meta.profile is a warning, as in Java (VALIDATION_VAL_PROFILE_UNKNOWN).
        report(state, explicit || problem ? 'error' : 'warning', problem ? 'profile-snapshot' : 'profile-unknown', root, message);
        continue;
      }
      validateAgainst(state, resource, index, root, scope);
      checked++;
    }
    // A profile's snapshot includes the base definition, so the base is only needed on its own.
    if (checked === 0) validateAgainst(state, resource, base, root, scope);
  }

  /** Conformance answers per resource object and profile, for one validateResource call (a Bundle's entries are asked about repeatedly). */
  private conformance = new WeakMap<object, Map<string, boolean>>();

  private conforms(resource: Record<string, unknown>, url: string, depth: number): boolean {
    let known = this.conformance.get(resource);
    if (!known) this.conformance.set(resource, (known = new Map()));
    const hit = known.get(url);
    if (hit !== undefined) return hit;
    const result = this.conformsNow(resource, url, depth);
    if (depth <= 3) known.set(url, result);
    return result;
  }

  private conformsNow(resource: Record<string, unknown>, url: string, depth: number): boolean {
    if (depth > 3) return false;
    const index = profileIndex(this.defs, url);
    if (!index) return false;
    const state: RunState = { defs: this.defs, options: {}, issues: [], depth: depth + 1 };
    state.conforms = (r, u) => this.conforms(r, u, depth + 1);
    const loc: Loc = { expr: String(resource.resourceType), ptr: [] };
    // `resource` may be a datatype matched to a slice by profile: it is checked as its own root
    // (a datatype has no resourceType; its scope holds a copy that says so).
    const root: FhirResource = isFhirResource(resource) ? resource : { ...resource, resourceType: '' };
    validateAgainst(state, resource, index, loc, { resource: root, root, resourceLoc: loc });
    return !state.issues.some(i => i.severity === 'error');
  }

  /** Validate the text of a file (JSON or XML) and report with line/column where known. */
  validateText(text: string | Buffer, file: string, options: ResourceOptions = {}): FileReport {
    let positions: Map<string, XmlPosition> | undefined;
    const parsed = parseInput(text, file, (body, name) => {
      try {
        const converted = fhirXmlToJson(body, this.defs);
        positions = converted.positions;
        return checkRoot(converted.value, name, 'xml');
      } catch (e) {
        const where = e instanceof XmlError ? { line: e.line, column: e.column } : {};
        return { format: 'xml', problem: { severity: 'error', rule: 'xml-syntax', message: errorMessage(e), location: { file: name, ...where } } };
      }
    });
    if (!parsed.value) return { file, diagnostics: [parsed.problem!] };
    const source = parsed.format === 'json' ? (typeof text === 'string' ? text : text.toString('utf8')) : undefined;
    const issues = [
      ...(source !== undefined ? duplicates(source, parsed.value) : []),
      ...this.validateResource(parsed.value, parsed.format === 'xml' ? { ...options, xml: true } : options)
    ];
    const diagnostics = withLocations(issues, file, source, positions);
    return { file, resourceType: parsed.value.resourceType, id: parsed.value.id, profiles: options.profiles, diagnostics };
  }
}

export function withLocations(issues: Issue[], file: string, jsonText?: string, xmlPositions?: Map<string, XmlPosition>): Diagnostic[] {
  const ast = jsonText !== undefined && issues.length > 0 ? jsonAst(jsonText) : undefined;
  return issues.map(issue => {
    const where = issue.pointer ? (ast ? locate(ast, issue.pointer) : xmlPositions ? locateXml(xmlPositions, issue.pointer) : undefined) : undefined;
    const { pointer: _pointer, ...diagnostic } = issue;
    void _pointer;
    return { ...diagnostic, location: { file, ...where, expression: issue.location?.expression } };
  });
}

/** Java: a repeated JSON property name is an error (the last value is the one validated). */
function duplicates(source: string, root: Record<string, unknown>): Issue[] {
  return duplicateKeys(source).map(d => {
    const expr = d.pointer.reduce<string>((e, step) => (typeof step === 'number' ? `${e}[${step}]` : `${e}.${step}`), String(root.resourceType));
    return {
      severity: 'error',
      rule: 'json-duplicate-key',
      message: `The JSON property '${d.key}' appears more than once in this object; only the last is used`,
      location: { expression: expr },
      pointer: [...d.pointer, d.key]
    };
  });
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter(i => {
    const key = `${i.severity}|${i.rule}|${i.location?.expression}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
