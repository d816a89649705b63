/**
 * Two changes to how fsh-sushi runs, made here in the compile adapter (node_modules is never
 * edited). Neither changes what SUSHI makes (test/compile/sushi-speedups.test.ts compiles guides
 * with and without them and compares everything).
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

type Fisher = { fishForFHIR(item: string, ...types: string[]): unknown };
type Model = object;
interface ModelPrototype {
  getOwnStructureDefinition(this: object, fisher: Fisher): Model;
}

const StructureDefinition = sushi.fhirtypes.StructureDefinition as unknown as { fromJSON(json: unknown): Model };

/**
 * The SUSHI classes that build the model of their own FHIR type to check caret rules: the type,
 * how SUSHI fishes for it, and the property SUSHI keeps it in on an object (ValueSet and
 * CodeSystem keep none: they build a new one on every call).
 */
const MODEL_OWNERS = [
  { prototype: sushi.fhirtypes.ElementDefinition.prototype, type: 'ElementDefinition', kind: 'Type', key: '_edStructureDefinition' },
  { prototype: sushi.fhirtypes.StructureDefinition.prototype, type: 'StructureDefinition', kind: 'Resource', key: '_sdStructureDefinition' },
  { prototype: sushi.fhirtypes.ValueSet.prototype, type: 'ValueSet', kind: 'Resource', key: undefined },
  { prototype: sushi.fhirtypes.CodeSystem.prototype, type: 'CodeSystem', kind: 'Resource', key: undefined }
].map(owner => {
  const prototype = owner.prototype as unknown as ModelPrototype;
  return { ...owner, prototype, original: prototype.getOwnStructureDefinition, shared: sharedModel(owner.type, owner.kind, owner.key) };
});

/** The models per fisher (one per export) and type, so that each export builds each once. */
let models = new WeakMap<object, Map<string, Model>>();

function sharedModel(type: string, kind: string, key: string | undefined) {
  return function (this: object, fisher: Fisher): Model {
    const own = key === undefined ? undefined : (Object.getOwnPropertyDescriptor(this, key)?.value as Model | undefined);
    if (own) return own;
    let byType = models.get(fisher);
    if (!byType) models.set(fisher, (byType = new Map()));
    let model = byType.get(type);
    if (!model) byType.set(type, (model = StructureDefinition.fromJSON(fisher.fishForFHIR(type, kind))));
    if (key !== undefined) Object.defineProperty(this, key, { value: model, enumerable: false, writable: true, configurable: true });
    return model;
  };
}

type Fishy = { toJSON(): unknown } | undefined;
interface PackagePrototype {
  fish(this: object, item: string, ...types: string[]): Fishy;
  fishForFHIR(this: object, item: string, ...types: string[]): unknown;
}
interface InstanceExporterPrototype {
  export(this: object, ...args: unknown[]): unknown;
}

const packagePrototype = sushi.sushiExport.Package.prototype as unknown as PackagePrototype;
const originalFishForFHIR = packagePrototype.fishForFHIR;
const instanceExporter = sushi.sushiExport.InstanceExporter.prototype as unknown as InstanceExporterPrototype;
const originalInstanceExport = instanceExporter.export;
const StructureDefinitionClass = sushi.fhirtypes.StructureDefinition as unknown as abstract new (...args: never[]) => object;

/** Each definition's JSON text while instances are being exported; undefined outside that phase. */
let instancePhase: Map<object, string> | undefined;
/** The instance phases of the export running now (one, unless SUSHI exports instances again). */
let exportPhases: Map<object, string>[] | undefined;

function exportInstances(this: object, ...args: unknown[]): unknown {
  const outer = instancePhase;
  instancePhase = new Map();
  exportPhases?.push(instancePhase);
  try {
    return originalInstanceExport.apply(this, args);
  } finally {
    instancePhase = outer;
  }
}

function fishForFHIR(this: object, item: string, ...types: string[]): unknown {
  const found = packagePrototype.fish.call(this, item, ...types);
  if (!instancePhase || !(found instanceof StructureDefinitionClass)) return found?.toJSON();
  let json = instancePhase.get(found);
  if (json === undefined) instancePhase.set(found, (json = JSON.stringify(found.toJSON())));
  return JSON.parse(json);
}

interface FHIRExporterLike {
  tank: { docs: { mappings: Map<string, unknown> }[] };
  structureDefinitionExporter: { deferredCaretRules: Map<object, unknown> };
}
const fhirExporter = sushi.sushiExport.FHIRExporter.prototype as unknown as { export(this: FHIRExporterLike): unknown };
const originalExport = fhirExporter.export;

/**
 * A whole export: afterwards, the JSON made during its instance phase is kept as the definition's
 * exported JSON (`itemJson`) unless something changed the definition after that phase: SUSHI's
 * deferred caret rules (which assign instances to definitions) or mappings.
 */
function exportAll(this: FHIRExporterLike): unknown {
  const outer = exportPhases;
  const phases: Map<object, string>[] = (exportPhases = []);
  try {
    const pkg = originalExport.call(this);
    const deferred = this.structureDefinitionExporter.deferredCaretRules;
    if (!this.tank.docs.some(d => d.mappings.size > 0))
      for (const phase of phases)
        for (const [definition, json] of phase) if (!deferred.has(definition) && !itemJsons.has(definition)) itemJsons.set(definition, json);
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

/** Turn the speed-ups on (the default once this module is loaded) or off (tests compare both). */
export function useSushiSpeedups(on: boolean): void {
  for (const owner of MODEL_OWNERS) owner.prototype.getOwnStructureDefinition = on ? owner.shared : owner.original;
  packagePrototype.fishForFHIR = on ? fishForFHIR : originalFishForFHIR;
  instanceExporter.export = on ? exportInstances : originalInstanceExport;
  fhirExporter.export = on ? exportAll : originalExport;
  models = new WeakMap();
  itemJsons = new WeakMap();
}

useSushiSpeedups(true);
