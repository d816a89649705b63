/**
 * A StructureDefinition checked for itself, as the HL7 Java validator's StructureDefinitionValidator
 * (validateElementType) does for every differential and snapshot element: each type.profile
 * resolves (SD_ED_TYPE_PROFILE_UNKNOWN, a warning), has a base type (SD_ED_TYPE_PROFILE_NOTYPE) and
 * is for the element's type (SD_ED_TYPE_PROFILE_WRONG); an extension profile is a modifier exactly
 * on modifierExtension (SD_ED_TYPE_PROFILE_NOT_MODIFIER / _IS_MODIFIER); a targetProfile is only on
 * Reference or canonical (SD_ED_TYPE_NO_TARGET_PROFILE), and on a Reference is a resource profile
 * (SD_ED_TYPE_PROFILE_WRONG_TARGET), and on a canonical is a canonical resource profile (SD_ED_TYPE_PROFILE_WRONG_TARGET,
 * "Canonical Resource"). Also, from validateStructureDefinition: an extension definition fixes
 * Extension.url to its own URL (SD_EXTENSION_URL_MISSING / _MISMATCH), and only an extension has
 * a context (SD_NO_CONTEXT_WHEN_NOT_EXTENSION / SD_NO_CONTEXT_INV_WHEN_NOT_EXTENSION); the element
 * lists' own rules are in sd-elements.ts.
 */
import type { FhirResource } from '../../model/resources.ts';
import { each } from './conformance.ts';
import { checkElementList } from './sd-elements.ts';
import { child, isObject, type CheckContext, type Finding, type Loc } from './state.ts';
import type { Definitions } from './definitions.ts';
import { R4_CANONICAL_RESOURCE_TYPES } from '../../fhir/r4.ts';

type Obj = Record<string, unknown>;

export function checkStructureDefinition(c: CheckContext): Finding[] {
  const sd = c.value;
  if (!isObject(sd) || sd.resourceType !== 'StructureDefinition') return [];
  const out: Finding[] = [];
  const logical = sd.kind === 'logical';
  out.push(...checkContexts(sd, c.loc), ...checkBase(c.state.defs, sd), ...checkExtensionUrl(c.state.defs, sd));
  for (const part of ['differential', 'snapshot'] as const) {
    const holder = sd[part];
    if (!isObject(holder)) continue;
    // An unresolvable profile a snapshot inherits is reported on the definition that introduced it.
    const inherited = part === 'snapshot' && typeof sd.baseDefinition === 'string' ? inheritedProfiles(c.state.defs, sd.baseDefinition) : NONE;
    const partLoc = child(c.loc, part);
    const elements = each(holder.element);
    out.push(...checkElementList(c.state.defs, sd, part, elements, partLoc));
    for (const [el, i] of elements) {
      const path = typeof el.path === 'string' ? el.path : '';
      const elLoc = child(partLoc, 'element', i);
      for (const [type, j] of each(el.type)) {
        if (typeof type.code !== 'string') continue;
        const typeLoc = child(elLoc, 'type', j);
        checkProfiles(c.state.defs, type, type.code, path, typeLoc, inherited, out);
        checkTargets(c.state.defs, type, type.code, path, typeLoc, logical, inherited, out);
      }
    }
  }
  return out;
}

function checkProfiles(defs: Definitions, type: Obj, code: string, path: string, at: Loc, inherited: Set<string>, out: Finding[]): void {
  for (const [url, k] of canonicals(type.profile)) {
    const loc = child(at, 'profile', k);
    const profile = resolve(defs, url, loc, inherited, out);
    if (!profile) continue;
    const base = baseType(defs, profile);
    if (!base) {
      out.push({ rule: 'sd-type-profile', at: loc, message: `Found profile ${url}, but unable to determine the type it applies to` });
      continue;
    }
    if (!isInstanceOf(defs, base, code)) {
      out.push({ rule: 'sd-type-profile', at: loc, message: `Profile ${url} is for type ${String(base.type)}, but the ${path} element has type ${code}` });
      continue;
    }
    if (base.type !== 'Extension') continue;
    const first = isObject(profile.snapshot) ? each(profile.snapshot.element)[0]?.[0] : undefined;
    if (!first) continue; // no snapshot to read isModifier from: not judged
    const modifierDefinition = first.isModifier === true;
    const modifierContext = path.endsWith('.modifierExtension');
    if (modifierDefinition && !modifierContext) {
      out.push({ rule: 'sd-type-profile', at: loc, message: `Profile ${url} is for a modifier extension, but the ${path} element is not a modifier` });
    } else if (!modifierDefinition && modifierContext) {
      out.push({ rule: 'sd-type-profile', at: loc, message: `Profile ${url} is for not for a modifier extension, but the ${path} element is a modifier` });
    }
  }
}

function checkTargets(defs: Definitions, type: Obj, code: string, path: string, at: Loc, logical: boolean, inherited: Set<string>, out: Finding[]): void {
  for (const [url, k] of canonicals(type.targetProfile)) {
    const loc = child(at, 'targetProfile', k);
    if (code === 'Reference' || code === 'CodeableReference') {
      const profile = resolve(defs, url, loc, inherited, out);
      if (!profile) continue;
      const base = baseType(defs, profile);
      if (!base) {
        out.push({ rule: 'sd-type-profile', at: loc, message: `Found profile ${url}, but unable to determine the type it applies to` });
      } else if (profile.kind !== 'resource' && !logical) {
        // A logical model's targets may be logical types that can be targets (Java's isReferenceableTarget): not judged here.
        out.push({
          rule: 'sd-type-profile',
          at: loc,
          message: `Profile ${url} is for type ${String(base.type)}, which is not a Resource (which is required because the ${path} element has type ${code})`
        });
      }
    } else if (code === 'canonical') {
      const profile = resolve(defs, url, loc, inherited, out);
      if (!profile) continue;
      const base = baseType(defs, profile);
      if (!base) {
        out.push({ rule: 'sd-type-profile', at: loc, message: `Found profile ${url}, but unable to determine the type it applies to` });
      } else if (!isCanonicalTarget(defs, base)) {
        out.push({
          rule: 'sd-type-profile',
          at: loc,
          message: `Profile ${url} is for type ${String(base.type)}, which is not a Canonical Resource (which is required because the ${path} element has type ${code})`
        });
      }
    } else {
      out.push({ rule: 'sd-type-profile', at: loc, message: `Type ${code} does not allow for target Profiles` });
    }
  }
}

/**
 * A canonical's targetProfile names a canonical resource, or Resource. Any other resource whose
 * definition has a root `url` is accepted too, so no list drift makes a false error.
 */
function isCanonicalTarget(defs: Definitions, base: FhirResource): boolean {
  const type = typeof base.type === 'string' ? base.type : '';
  if (type === 'Resource' || R4_CANONICAL_RESOURCE_TYPES.has(type)) return true;
  if (base.kind !== 'resource' || !isObject(base.snapshot)) return false;
  return each(base.snapshot.element).some(([el]) => el.path === `${type}.url`);
}

/**
 * The definition against its baseDefinition, as validateStructureDefinition begins: the base is
 * found (UNABLE_TO_FIND_BASE__FOR_, a warning), a derivation is stated (SD_MUST_HAVE_DERIVATION),
 * the kind is the base's unless the base is abstract (SD_CONSTRAINED_KIND_NO_MATCH), a constraint
 * keeps the base's type and kind (SD_CONSTRAINED_TYPE_NO_MATCH, SD_DERIVATION_KIND_MISMATCH) and a
 * specialisation does not (SD_SPECIALIZED_TYPE_MATCHES). All on the definition itself.
 */
function checkBase(defs: Definitions, sd: Obj): Finding[] {
  if (typeof sd.baseDefinition !== 'string') return [];
  const base = defs.get(sd.baseDefinition);
  if (base?.resourceType !== 'StructureDefinition') {
    // A core name R4 lacks (Base, DataType, CanonicalResource: R5's abstract roots, which logical
    // models name) is not reported: Java knows those through its own definitions.
    if (sd.baseDefinition.startsWith('http://hl7.org/fhir/StructureDefinition/')) return [];
    return [
      {
        severity: 'warning',
        rule: 'sd-base',
        message: `Unable to find base ${sd.baseDefinition} for StructureDefinition, so can't check the differential`
      }
    ];
  }
  const out: Finding[] = [];
  const kind = typeof sd.kind === 'string' ? sd.kind : undefined;
  const type = typeof sd.type === 'string' ? sd.type : undefined;
  if (sd.derivation === undefined) {
    out.push({ rule: 'sd-base', message: `StructureDefinition ${String(sd.url)} must have a derivation, since it has a baseDefinition` });
  } else {
    if (base.abstract !== true && kind !== base.kind) {
      out.push({
        rule: 'sd-base',
        message: `The kind ${String(kind)} must be the same as the kind ${String(base.kind)} in the base structure ${String(base.url)} (base type = ${String(base.type)})`
      });
    }
    if (sd.derivation === 'constraint' && type !== base.type) {
      out.push({
        rule: 'sd-base',
        message: `The type ${String(type)} must be the same as the type in the base structure ${String(base.type)} that is being constrained`
      });
    } else if (sd.derivation !== 'constraint' && type !== undefined && type === base.type) {
      out.push({
        rule: 'sd-base',
        message: `The type ${type} must not be the same as the type in the base structure ${String(base.type)} that is being specialised`
      });
    }
  }
  if (sd.derivation === 'constraint' && kind !== base.kind) {
    out.push({ rule: 'sd-base', message: `The structure definition constrains a kind of ${String(base.kind)}, but has a different kind (${String(kind)})` });
  }
  return out;
}

/** SD_NO_CONTEXT_WHEN_NOT_EXTENSION / SD_NO_CONTEXT_INV_WHEN_NOT_EXTENSION (a JSON-named type may have a context). */
function checkContexts(sd: Obj, loc: Loc): Finding[] {
  const type = typeof sd.type === 'string' ? sd.type : '';
  if (type === 'Extension') return [];
  const out: Finding[] = [];
  if (!hasJsonName(sd)) {
    for (const [, i] of each(sd.context)) {
      out.push({ rule: 'sd-context', at: child(loc, 'context', i), message: `The type is ${type} so an extension context should not be specified` });
    }
  }
  const invariants = Array.isArray(sd.contextInvariant) ? sd.contextInvariant : [];
  invariants.forEach((_, i) =>
    out.push({
      rule: 'sd-context',
      at: child(loc, 'contextInvariant', i),
      message: `The type is ${type} so an extension context invariants should not be specified`
    })
  );
  return out;
}

function hasJsonName(sd: Obj): boolean {
  const root = [sd.snapshot, sd.differential].map(h => (isObject(h) ? each(h.element)[0]?.[0] : undefined)).find(e => e !== undefined);
  return !!root && each(root.extension).some(([e]) => typeof e.url === 'string' && /json-name$/.test(e.url));
}

/**
 * SD_EXTENSION_URL_MISSING / _MISMATCH: an extension defined directly on Extension fixes
 * Extension.url, in its differential, to its own canonical URL (reported on the definition).
 */
function checkExtensionUrl(defs: Definitions, sd: Obj): Finding[] {
  if (sd.type !== 'Extension' || sd.baseDefinition !== 'http://hl7.org/fhir/StructureDefinition/Extension' || typeof sd.url !== 'string') return [];
  if (!defs.get(sd.baseDefinition)) return [];
  const diff = isObject(sd.differential) ? each(sd.differential.element) : [];
  const urlEl = diff.find(([el]) => el.path === 'Extension.url')?.[0];
  const fixedKey = urlEl ? Object.keys(urlEl).find(k => /^fixed[A-Z]/.test(k)) : undefined;
  const fixed = urlEl && fixedKey ? urlEl[fixedKey] : undefined;
  if (typeof fixed !== 'string') return [{ rule: 'sd-extension-url', message: `The value of Extension.url is not fixed to the extension URL ${sd.url}` }];
  if (fixed !== sd.url)
    return [{ rule: 'sd-extension-url', message: `The fixed value for the extension URL is ${fixed} which doesn't match the canonical URL ${sd.url}` }];
  return [];
}

function resolve(defs: Definitions, url: string, at: Loc, inherited: Set<string>, out: Finding[]): FhirResource | undefined {
  const found = defs.get(url);
  if (found?.resourceType === 'StructureDefinition') return found;
  if (!inherited.has(url)) out.push({ severity: 'warning', rule: 'sd-type-profile', at, message: `Unable to resolve profile ${url}` });
  return undefined;
}

/** Java's determineBaseType: follow baseDefinition while the derivation is constraint. */
function baseType(defs: Definitions, sd: FhirResource): FhirResource | undefined {
  let current: FhirResource | undefined = sd;
  for (let n = 0; current && current.derivation === 'constraint' && n < 50; n++) {
    const next: FhirResource | undefined = typeof current.baseDefinition === 'string' ? defs.get(current.baseDefinition) : undefined;
    current = next?.resourceType === 'StructureDefinition' ? next : undefined;
  }
  return current?.derivation === 'constraint' ? undefined : current;
}

/** Java's isInstanceOf (R4): the type or URL matches, walking up through abstract or logical bases only. */
function isInstanceOf(defs: Definitions, sd: FhirResource, code: string): boolean {
  let current: FhirResource | undefined = sd;
  for (let n = 0; current && n < 50; n++) {
    if (current.type === code || current.url === code) return true;
    const next: FhirResource | undefined = typeof current.baseDefinition === 'string' ? defs.get(current.baseDefinition) : undefined;
    current = next && (next.abstract === true || next.kind === 'logical') ? next : undefined;
  }
  return false;
}

const NONE = new Set<string>();

/** Every type.profile and targetProfile in the snapshot of `base` (kept per definitions view). */
function inheritedProfiles(defs: Definitions, base: string): Set<string> {
  return defs.cached(
    `sd-inherited-profiles:${base}`,
    () => {
      const sd = defs.get(base);
      const urls = new Set<string>();
      if (!sd || !isObject(sd.snapshot)) return urls;
      for (const [el] of each(sd.snapshot.element)) {
        for (const [type] of each(el.type)) for (const [url] of [...canonicals(type.profile), ...canonicals(type.targetProfile)]) urls.add(url);
      }
      return urls;
    },
    base
  );
}

function canonicals(value: unknown): [string, number][] {
  return Array.isArray(value) ? value.flatMap((v, i): [string, number][] => (typeof v === 'string' ? [[v.split('|')[0]!, i]] : [])) : [];
}
