/**
 * One change to how fsh-sushi runs, made here in the compile adapter (node_modules is never
 * edited): the model of FHIR's ElementDefinition type that SUSHI builds to check caret rules.
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
 * across elements. Measured on this guide: a full export from 3.0 s to 1.4 s, with
 * byte-identical output (test/compile/sushi-speedups.test.ts compiles guides with and without it).
 */
import sushi from 'fsh-sushi';

type Fisher = { fishForFHIR(item: string, ...types: string[]): unknown };
type Model = object;
interface ElementPrototype {
  getOwnStructureDefinition(this: object, fisher: Fisher): Model;
}

const KEY = '_edStructureDefinition';
const prototype = sushi.fhirtypes.ElementDefinition.prototype as unknown as ElementPrototype;
const original = prototype.getOwnStructureDefinition;
const StructureDefinition = sushi.fhirtypes.StructureDefinition as unknown as { fromJSON(json: unknown): Model };
const TYPE = 'Type';

/** The ElementDefinition model per fisher, so that each export builds it once. */
let models = new WeakMap<object, Model>();

function sharedModel(this: object, fisher: Fisher): Model {
  const own = Object.getOwnPropertyDescriptor(this, KEY)?.value as Model | undefined;
  if (own) return own;
  let model = models.get(fisher);
  if (!model) {
    model = StructureDefinition.fromJSON(fisher.fishForFHIR('ElementDefinition', TYPE));
    models.set(fisher, model);
  }
  Object.defineProperty(this, KEY, { value: model, enumerable: false, writable: true, configurable: true });
  return model;
}

/** Turn the speed-up on (the default once this module is loaded) or off (tests compare both). */
export function useSushiSpeedups(on: boolean): void {
  prototype.getOwnStructureDefinition = on ? sharedModel : original;
  models = new WeakMap();
}

useSushiSpeedups(true);
