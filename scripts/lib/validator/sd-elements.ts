/**
 * A StructureDefinition's element lists checked for themselves, as the HL7 Java validator does:
 * StructureDefinitionValidator.validateElementDefinition (SD_PATH_TYPE_MISMATCH, SD_NO_SLICING_ON_ROOT,
 * SD_ELEMENT_NOT_IN_CONSTRAINT)
 * and the snapshot generator's slicing rule (ProfilePathProcessor:
 * ATTEMPT_TO_CHANGE_SLICING, a slice that redefines the slicing its slicer set up differently).
 */
import { each } from './conformance.ts';
import { child, isObject, type Finding, type Loc } from './state.ts';
import type { Definitions } from './definitions.ts';
import type { FhirResource } from '../../model/resources.ts';

type Obj = Record<string, unknown>;

/** The element list of the differential or snapshot (`part`), with its findings. */
export function checkElementList(defs: Definitions, sd: Obj, part: 'differential' | 'snapshot', elements: [Obj, number][], partLoc: Loc): Finding[] {
  const out: Finding[] = [];
  const typeName = typeof sd.type === 'string' && !/^[a-z]+:/i.test(sd.type) ? sd.type : undefined;
  for (const [el, i] of elements) {
    const at = child(partLoc, 'element', i);
    const path = typeof el.path === 'string' ? el.path : undefined;
    // SD_PATH_TYPE_MISMATCH
    if (typeName && path !== undefined && path !== typeName && !path.startsWith(`${typeName}.`)) {
      out.push({ rule: 'sd-element', at, message: `The path ${path} must start with the type of the structure ${typeName}` });
    }
    // SD_NO_SLICING_ON_ROOT (differential only)
    if (part === 'differential' && path !== undefined && !path.includes('.') && isObject(el.slicing)) {
      out.push({ rule: 'sd-element', at, message: 'Slicing is not allowed at the root of a profile' });
    }
    // SD_ELEMENT_NOT_IN_CONSTRAINT: a profile cannot say what absence means, except for an extension
    if (part === 'differential' && sd.derivation === 'constraint' && el.meaningWhenMissing !== undefined && path !== undefined) {
      if (path !== 'Extension' && !path.endsWith('.extension')) {
        out.push({ rule: 'sd-element', at, message: `The element definition for ${path} has a property meaningWhenMissing which is not allowed in a profile` });
      }
    }
  }
  if (part === 'differential') out.push(...slicingRedefinitions(defs, sd, elements));
  return out;
}

/**
 * ATTEMPT_TO_CHANGE_SLICING: where the differential slices an element its base does not slice
 * (and whose base has no children listed, so the slices follow the slicer directly), a slice that
 * states slicing must state the same (ordered, rules, discriminators). Java reports it on the
 * StructureDefinition itself. A slice that is re-sliced (`a/b` follows) sets up its own slicing,
 * and is not compared.
 */
function slicingRedefinitions(defs: Definitions, sd: Obj, elements: [Obj, number][]): Finding[] {
  const out: Finding[] = [];
  const base = typeof sd.baseDefinition === 'string' ? defs.get(sd.baseDefinition) : undefined;
  if (base?.resourceType !== 'StructureDefinition') return out;
  const list = elements.map(([el]) => el);
  list.forEach((slicer, i) => {
    const path = typeof slicer.path === 'string' ? slicer.path : '';
    if (!path || !isObject(slicer.slicing) || typeof slicer.sliceName === 'string') return;
    const first = list[i + 1];
    if (!first || first.path !== path || typeof first.sliceName !== 'string') return; // children before the slices: another route in Java
    const baseEl = baseElement(defs, base, path);
    if (!baseEl || isObject(baseEl.el.slicing) || baseEl.hasChildren) return;
    const slices = list.slice(i + 1).filter(e => e.path === path && typeof e.sliceName === 'string' && !e.sliceName.includes('/'));
    const names = new Set(list.filter(e => e.path === path && typeof e.sliceName === 'string').map(e => String(e.sliceName)));
    for (const slice of slices) {
      if (!isObject(slice.slicing) || [...names].some(n => n.startsWith(`${String(slice.sliceName)}/`))) continue;
      if (slicingMatches(slicer.slicing, slice.slicing)) continue;
      out.push({
        rule: 'sd-slicing',
        message: `The element at ${String(slicer.id ?? path)} defines the slicing ${summary(slicer.slicing)} but then an element in the slicing ${String(slice.id ?? slice.sliceName)} tries to redefine the slicing to ${summary(slice.slicing)}`
      });
    }
  });
  return out;
}

/** Java's slicingMatches: ordered and rules only when the second states them; discriminators equal. */
function slicingMatches(a: Obj, b: Obj): boolean {
  if (b.ordered !== undefined && a.ordered !== b.ordered) return false;
  if (b.rules !== undefined && a.rules !== b.rules) return false;
  const da = each(a.discriminator).map(([d]) => `${String(d.type)}|${String(d.path)}`);
  const db = each(b.discriminator).map(([d]) => `${String(d.type)}|${String(d.path)}`);
  return da.length === db.length && da.every((d, k) => d === db[k]);
}

function summary(slicing: Obj): string {
  const discriminators = each(slicing.discriminator).map(([d]) => `${String(d.type)}:${String(d.path)}`);
  return `[${discriminators.join(', ')}]${typeof slicing.rules === 'string' ? ` ${slicing.rules}` : ''}${typeof slicing.ordered === 'boolean' ? ` ordered=${String(slicing.ordered)}` : ''}`;
}

interface BaseElement {
  el: Obj;
  hasChildren: boolean;
}

/**
 * The element at `path` in the base's snapshot, or in the snapshot of the type of the nearest
 * listed ancestor (`Observation.code.coding` is `CodeableConcept.coding`), a few levels deep.
 */
function baseElement(defs: Definitions, base: FhirResource, path: string, depth = 0): BaseElement | undefined {
  if (depth > 4 || !isObject(base.snapshot)) return undefined;
  const list = each(base.snapshot.element).map(([el]) => el);
  const at = list.findIndex(e => e.path === path && typeof e.sliceName !== 'string');
  if (at >= 0) {
    const next = list.slice(at + 1).find(e => typeof e.path === 'string');
    return { el: list[at]!, hasChildren: typeof next?.path === 'string' && next.path.startsWith(`${path}.`) };
  }
  const parts = path.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = parts.slice(0, n).join('.');
    const holder = list.find(e => e.path === prefix);
    if (!holder) continue;
    const types = each(holder.type);
    const code = types.length === 1 ? types[0]![0].code : undefined;
    if (typeof code !== 'string') return undefined;
    const typeSd = defs.get(code.includes(':') ? code : `http://hl7.org/fhir/StructureDefinition/${code}`);
    if (typeSd?.resourceType !== 'StructureDefinition' || typeof typeSd.type !== 'string') return undefined;
    return baseElement(defs, typeSd, [typeSd.type, ...parts.slice(n)].join('.'), depth + 1);
  }
  return undefined;
}
