/**
 * Three changes to how fsh-sushi runs, made on its classes' prototypes (node_modules is never
 * edited), installed by the adapter (adapter.ts) only on fsh-sushi versions they were verified on
 * (speedups-version.ts). None changes what SUSHI makes: test/compile/sushi-speedups.test.ts
 * compiles small guides with and without them in-process and compares everything, and
 * test/corpus/speedups.test.ts compiles every corpus guide both ways and compares fsh-generated/.
 *
 * 1. The models of FHIR's ElementDefinition, StructureDefinition, ValueSet and CodeSystem types
 * that SUSHI builds to check caret rules.
 *
 * Every caret rule on an element (`* code ^short = "..."`) is checked against the
 * StructureDefinition of ElementDefinition. SUSHI builds that model with `StructureDefinition.fromJSON`
 * once per element it meets and keeps it on the element as an ordinary property. On a profile
 * with many documented elements that is one rebuild of a 300-element model per element (about
 * 8 ms each), and because the property is enumerable, `cleanResource` then walks every copy and
 * lodash's `cloneDeep` copies it with the element.
 *
 * Here the model is built once per fisher (one per export) and shared by every element, and it
 * is held in a non-enumerable property, which SUSHI reads exactly as before and which walks and
 * clones skip. SUSHI already shares one model among all the caret rules of one element, and
 * checking a rule only unfolds the model further; sharing it among elements does the same thing
 * across elements. Profiles, value sets and code systems build the model of their own type the
 * same way for their caret rules (`* ^status = #draft`), once per definition (value sets and code
 * systems once per call); those models are shared per export too. Measured on this guide: a
 * full export from 3.0 s to 1.4 s.
 *
 * 2. The profiles' JSON while instances are exported. For every instance SUSHI asks the package
 * for its profile's JSON, and the package makes it afresh from the profile's model
 * (`StructureDefinition.toJSON`, 16 ms for a 100-element profile), so a profile with 20 examples
 * is serialised 20 times. Instances are exported after every definition, and nothing changes a
 * definition while they are, so during that phase each definition's JSON is made once and every
 * caller gets its own copy of it (`JSON.parse` of the text, 0.7 ms). The phase ends before SUSHI
 * applies its deferred rules to the definitions; after the export, that JSON is also the
 * definition's final JSON (`itemJson`) for every definition those rules and mappings left alone.
 *
 * 3. Looking an element up by id (`StructureDefinition.findElement`, which every `parent()` and
 * every slice search calls) and by a plain path (the first thing `findElementByPath` tries). SUSHI
 * scans the element list for each; the instance exporter keeps one model per profile for all of
 * its instances, and unfolding that model for each instance makes its list long (a guide of 263
 * ConceptMaps: thousands of elements, scanned millions of times). Here each model gets an index
 * of its elements by id and by plain path, the first element in list order for each, as the scans
 * find. The index belongs to one list as it was: a model given a new list, or a list that grew or
 * shrank other than through `addElement`, is indexed afresh; an element added through
 * `addElement` is added to it (unless it shares an id or path already indexed: then the index is
 * dropped and rebuilt); an element whose id changes (SUSHI's `id` setter, which also sets its
 * path) drops the index of its model. SUSHI changes a list only in those ways (it splices in
 * `addElement`, pushes while building a model, and replaces whole lists), so the index answers
 * `findElement` alone, found or not. By path it answers only what it finds (an element without a
 * slice in its id, at that path); anything else is SUSHI's own search, whose answer for a path
 * without brackets is kept while the list stays as it was (a choice type such as
 * `extension.valueCode` resolves to its type slice; the 263 ConceptMaps ask that 20,000 times), as
 * long as that search itself added no element (the search that makes a slice is not kept).
 * Measured on that guide (v2tofhir, a cold `vm-ig compile`, median of 3): 23.3 s to 17.5 s
 * (`sushi build -s` alone: 23.2 s).
 */
import sushi from 'fsh-sushi';
import type { fhirtypes, sushiExport, utils } from 'fsh-sushi';

type Fishable = utils.Fishable;
type StructureDefinition = fhirtypes.StructureDefinition;
type Fished = ReturnType<sushiExport.Package['fish']>;

const { Type } = sushi.utils;
const { StructureDefinition, ElementDefinition, ValueSet, CodeSystem } = sushi.fhirtypes;
const { Package, InstanceExporter, FHIRExporter, StructureDefinitionExporter } = sushi.sushiExport;
const { FSHTank } = sushi.sushiImport;

/** A SUSHI class that builds the model of its own FHIR type to check caret rules. */
interface ModelOwner {
  prototype: { getOwnStructureDefinition(this: object, fisher: Fishable): StructureDefinition };
  original(this: object, fisher: Fishable): StructureDefinition;
  shared(this: object, fisher: Fishable): StructureDefinition;
}

/**
 * The SUSHI classes that build the model of their own FHIR type to check caret rules: the type,
 * how SUSHI fishes for it, and the property SUSHI keeps it in on an object (ValueSet and
 * CodeSystem keep none: they build a new one on every call).
 */
const MODEL_OWNERS: ModelOwner[] = [
  modelOwner(ElementDefinition.prototype, 'ElementDefinition', Type.Type, '_edStructureDefinition'),
  modelOwner(StructureDefinition.prototype, 'StructureDefinition', Type.Resource, '_sdStructureDefinition'),
  modelOwner(ValueSet.prototype, 'ValueSet', Type.Resource, undefined),
  modelOwner(CodeSystem.prototype, 'CodeSystem', Type.Resource, undefined)
];

function modelOwner(prototype: ModelOwner['prototype'], type: string, kind: utils.Type, key: string | undefined): ModelOwner {
  return { prototype, original: prototype.getOwnStructureDefinition, shared: sharedModel(type, kind, key) };
}

/** The models per fisher (one per export) and type, so that each export builds each once. */
let models = new WeakMap<Fishable, Map<string, StructureDefinition>>();

function sharedModel(type: string, kind: utils.Type, key: string | undefined) {
  return function (this: object, fisher: Fishable): StructureDefinition {
    const own: unknown = key === undefined ? undefined : Object.getOwnPropertyDescriptor(this, key)?.value;
    if (own instanceof StructureDefinition) return own;
    let byType = models.get(fisher);
    if (!byType) models.set(fisher, (byType = new Map()));
    let model = byType.get(type);
    if (!model) byType.set(type, (model = StructureDefinition.fromJSON(fisher.fishForFHIR(type, kind))));
    if (key !== undefined) Object.defineProperty(this, key, { value: model, enumerable: false, writable: true, configurable: true });
    return model;
  };
}

const packagePrototype = Package.prototype;
const originalFishForFHIR = packagePrototype.fishForFHIR;
const instanceExporter = InstanceExporter.prototype;
const originalInstanceExport = instanceExporter.export;

/** Each definition's JSON text while instances are being exported; undefined outside that phase. */
let instancePhase: Map<StructureDefinition, string> | undefined;
/** The instance phases of the export running now (one, unless SUSHI exports instances again). */
let exportPhases: Map<StructureDefinition, string>[] | undefined;

function exportInstances(this: sushiExport.InstanceExporter): sushiExport.Package {
  const outer = instancePhase;
  instancePhase = new Map();
  exportPhases?.push(instancePhase);
  try {
    return originalInstanceExport.call(this);
  } finally {
    instancePhase = outer;
  }
}

function fishForFHIR(this: sushiExport.Package, item: string, ...types: utils.Type[]): unknown {
  const found: Fished = packagePrototype.fish.call(this, item, ...types);
  if (!instancePhase || !(found instanceof StructureDefinition)) return found?.toJSON();
  let json = instancePhase.get(found);
  if (json === undefined) instancePhase.set(found, (json = JSON.stringify(found.toJSON())));
  return JSON.parse(json);
}

const fhirExporter = FHIRExporter.prototype;
const originalExport = fhirExporter.export;

/**
 * A whole export: afterwards, the JSON made during its instance phase is kept as the definition's
 * exported JSON (`itemJson`) unless something changed the definition after that phase: SUSHI's
 * deferred caret rules (which assign instances to definitions) or mappings. The exporter's tank
 * and structure definition exporter are private fields of FHIRExporter (read by name).
 */
function exportAll(this: sushiExport.FHIRExporter): sushiExport.Package {
  const outer = exportPhases;
  const phases: Map<StructureDefinition, string>[] = (exportPhases = []);
  try {
    const pkg = originalExport.call(this);
    // Private fields: declared without a type, checked for what they are before use.
    const tank: unknown = this['tank'];
    const definitions: unknown = this['structureDefinitionExporter'];
    if (!(tank instanceof FSHTank) || !(definitions instanceof StructureDefinitionExporter)) return pkg;
    if (!tank.docs.some(d => d.mappings.size > 0))
      for (const phase of phases)
        for (const [definition, json] of phase)
          if (!definitions.deferredCaretRules.has(definition) && !itemJsons.has(definition)) itemJsons.set(definition, json);
    return pkg;
  } finally {
    exportPhases = outer;
  }
}

/**
 * An exported item's JSON (with its snapshot), as text, made once per item. A dev session seeds
 * the items an edit does not reach into the next package as they are (see incremental.ts), and
 * nothing changes an exported item afterwards, so their JSON is not made again.
 */
let itemJsons = new WeakMap<object, string>();

export function itemJson(item: { toJSON(snapshot?: boolean): unknown }): string {
  let json = itemJsons.get(item);
  if (json === undefined) itemJsons.set(item, (json = JSON.stringify(item.toJSON(true))));
  return json;
}

type ElementDefinition = fhirtypes.ElementDefinition;

interface ElementIndex {
  elements: readonly ElementDefinition[];
  length: number;
  byId: Map<string, ElementDefinition>;
  /** Elements without a slice in their id, by path. */
  byPath: Map<string, ElementDefinition>;
  /** What SUSHI's own search found for a plain path (no brackets) while the list stays as it is. */
  found: Map<string, ElementDefinition>;
}

/** SUSHI's lookups, typed as they behave: they find nothing for an unknown id or path. */
interface ElementLookups {
  findElement(this: StructureDefinition, id: string): ElementDefinition | undefined;
  findElementByPath(this: StructureDefinition, path: string, fisher: Fishable): ElementDefinition | undefined;
  addElement(this: StructureDefinition, element: ElementDefinition): void;
}

const sdPrototype: ElementLookups = StructureDefinition.prototype;
const originalFindElement = sdPrototype.findElement;
const originalFindElementByPath = sdPrototype.findElementByPath;
const originalAddElement = sdPrototype.addElement;
let elementIndexes = new WeakMap<StructureDefinition, ElementIndex>();

function currentIndex(sd: StructureDefinition): ElementIndex | undefined {
  const index = elementIndexes.get(sd);
  return index && index.elements === sd.elements && index.length === sd.elements.length ? index : undefined;
}

function elementIndex(sd: StructureDefinition): ElementIndex {
  let index = currentIndex(sd);
  if (index) return index;
  index = { elements: sd.elements, length: sd.elements.length, byId: new Map(), byPath: new Map(), found: new Map() };
  for (const element of sd.elements) indexElement(index, element);
  elementIndexes.set(sd, index);
  return index;
}

/** Add an element after those indexed; false when one indexed before has its id or path. */
function indexElement(index: ElementIndex, element: ElementDefinition): boolean {
  let unique = true;
  if (index.byId.has(element.id)) unique = false;
  else index.byId.set(element.id, element);
  if (!element.id.includes(':')) {
    if (index.byPath.has(element.path)) unique = false;
    else index.byPath.set(element.path, element);
  }
  return unique;
}

function findElement(this: StructureDefinition, id: string): ElementDefinition | undefined {
  if (!id) return originalFindElement.call(this, id);
  return elementIndex(this).byId.get(id);
}

const idProperty = Object.getOwnPropertyDescriptor(ElementDefinition.prototype, 'id');
const originalIdSetter = idProperty?.set;

/** SUSHI's `id` setter (it sets the path too), then the element's model is indexed afresh. */
function setId(this: ElementDefinition, id: string): void {
  originalIdSetter?.call(this, id);
  const model: unknown = this.structDef;
  if (model instanceof StructureDefinition) elementIndexes.delete(model);
}

/** The element index needs SUSHI's `id` accessor on ElementDefinition's prototype, to see renames. */
const canIndexElements = idProperty?.get !== undefined && originalIdSetter !== undefined && idProperty.configurable === true;

function installElementIndex(on: boolean): void {
  if (!canIndexElements || !idProperty) return;
  Object.defineProperty(ElementDefinition.prototype, 'id', { ...idProperty, set: on ? setId : originalIdSetter });
  sdPrototype.findElement = on ? findElement : originalFindElement;
  sdPrototype.findElementByPath = on ? findElementByPath : originalFindElementByPath;
  sdPrototype.addElement = on ? addElement : originalAddElement;
  elementIndexes = new WeakMap();
}

function findElementByPath(this: StructureDefinition, path: string, fisher: Fishable): ElementDefinition | undefined {
  const fullPath = path && path !== '.' ? `${this.pathType}.${path}` : this.pathType;
  const index = elementIndex(this);
  const atPath = index.byPath.get(fullPath);
  if (atPath && atPath.path === fullPath && !atPath.id.includes(':')) return atPath;
  const known = index.found.get(fullPath);
  if (known) return known;
  const length = index.length;
  const found = originalFindElementByPath.call(this, path, fisher);
  // The search added no element and renamed none (the same index, as long): asked again, it finds the same.
  if (found && !fullPath.includes('[') && currentIndex(this) === index && index.length === length) index.found.set(fullPath, found);
  return found;
}

function addElement(this: StructureDefinition, element: ElementDefinition): void {
  const index = currentIndex(this);
  originalAddElement.call(this, element);
  if (!index) return;
  // SUSHI inserts the element somewhere in the list: indexed after the others only when it is the
  // one element with its id and path, so "the first in list order" is still the one indexed.
  const grewByOne = index.elements === this.elements && this.elements.length === index.length + 1;
  index.found.clear();
  if (grewByOne && indexElement(index, element)) index.length++;
  else elementIndexes.delete(this);
}

/** Install the speed-ups on SUSHI's prototypes, or put SUSHI's own methods back. */
export function installSpeedups(on: boolean): void {
  for (const owner of MODEL_OWNERS) owner.prototype.getOwnStructureDefinition = on ? owner.shared : owner.original;
  packagePrototype.fishForFHIR = on ? fishForFHIR : originalFishForFHIR;
  instanceExporter.export = on ? exportInstances : originalInstanceExport;
  fhirExporter.export = on ? exportAll : originalExport;
  installElementIndex(on);
  models = new WeakMap();
  itemJsons = new WeakMap();
}
