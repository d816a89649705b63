/**
 * Two changes to how fsh-sushi runs, made on its classes' prototypes (node_modules is never
 * edited), installed by the adapter (adapter.ts) only on fsh-sushi versions they were verified on
 * (speedups-version.ts). Neither changes what SUSHI makes: test/compile/sushi-speedups.test.ts
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

/** Install the speed-ups on SUSHI's prototypes, or put SUSHI's own methods back. */
export function installSpeedups(on: boolean): void {
  for (const owner of MODEL_OWNERS) owner.prototype.getOwnStructureDefinition = on ? owner.shared : owner.original;
  packagePrototype.fishForFHIR = on ? fishForFHIR : originalFishForFHIR;
  instanceExporter.export = on ? exportInstances : originalInstanceExport;
  fhirExporter.export = on ? exportAll : originalExport;
  models = new WeakMap();
  itemJsons = new WeakMap();
}
