/**
 * A StructureDefinition checked for itself, as the HL7 Java validator's StructureDefinitionValidator
 * (validateElementType) does for every differential and snapshot element: each type.profile
 * resolves (SD_ED_TYPE_PROFILE_UNKNOWN, a warning), has a base type (SD_ED_TYPE_PROFILE_NOTYPE) and
 * is for the element's type (SD_ED_TYPE_PROFILE_WRONG); an extension profile is a modifier exactly
 * on modifierExtension (SD_ED_TYPE_PROFILE_NOT_MODIFIER / _IS_MODIFIER); a targetProfile is only on
 * Reference or canonical (SD_ED_TYPE_NO_TARGET_PROFILE), and on a Reference is a resource profile
 * (SD_ED_TYPE_PROFILE_WRONG_TARGET).
 */
import type { FhirResource } from '../../model/resources.ts';
import { each } from './conformance.ts';
import { child, isObject, type CheckContext, type Finding, type Loc } from './state.ts';
import type { Definitions } from './definitions.ts';

type Obj = Record<string, unknown>;

export function checkStructureDefinition(c: CheckContext): Finding[] {
  const sd = c.value;
  if (!isObject(sd) || sd.resourceType !== 'StructureDefinition') return [];
  const out: Finding[] = [];
  const logical = sd.kind === 'logical';
  for (const part of ['differential', 'snapshot']) {
    const holder = sd[part];
    if (!isObject(holder)) continue;
    // An unresolvable profile a snapshot inherits is reported on the definition that introduced it.
    const inherited = part === 'snapshot' && typeof sd.baseDefinition === 'string' ? inheritedProfiles(c.state.defs, sd.baseDefinition) : NONE;
    const partLoc = child(c.loc, part);
    for (const [el, i] of each(holder.element)) {
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
    } else if (code !== 'canonical') {
      out.push({ rule: 'sd-type-profile', at: loc, message: `Type ${code} does not allow for target Profiles` });
    }
    // canonical: Java checks the target is a canonical resource type; not done here.
  }
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
