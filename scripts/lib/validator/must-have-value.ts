/**
 * A primitive present without a value (only `_element` extensions), where the profile says a value
 * must be there: ElementDefinition.mustHaveValue and valueAlternatives (R5 elements, carried in R4
 * by the extensions below), as Java's InstanceValidator.checkPrimitive (PRIMITIVE_MUSTHAVEVALUE_MESSAGE,
 * PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE; errors at the primitive). See "mustHaveValue" in the R5
 * ElementDefinition and its cross-version extensions.
 */
import { each } from './conformance.ts';
import { isObject, type Finding } from './state.ts';
import type { ElementNode } from './profile-index.ts';

const MUST_HAVE_VALUE = new Set([
  'http://hl7.org/fhir/StructureDefinition/elementdefinition-mustHaveValue',
  'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.mustHaveValue'
]);
const VALUE_ALTERNATIVES = new Set([
  'http://hl7.org/fhir/StructureDefinition/elementdefinition-valueAlternatives',
  'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.valueAlternatives'
]);

/** Findings for a primitive with no value at `node`, whose `_element` is `ext`. */
export function checkMustHaveValue(node: ElementNode, ext: unknown): Finding[] {
  const el = node.el;
  const extensions = each(el.extension);
  const mustHave = el.mustHaveValue === true || extensions.some(([e]) => MUST_HAVE_VALUE.has(String(e.url)) && e.valueBoolean === true);
  const alternatives = [
    ...(Array.isArray(el.valueAlternatives) ? el.valueAlternatives.filter((v): v is string => typeof v === 'string') : []),
    ...extensions.flatMap(([e]) => (VALUE_ALTERNATIVES.has(String(e.url)) && typeof e.valueCanonical === 'string' ? [e.valueCanonical] : []))
  ];
  if (!mustHave && alternatives.length === 0) return [];
  const profile = node.index.sd.version ? `${node.index.url}|${node.index.sd.version}` : node.index.url;
  const out: Finding[] = [];
  if (mustHave) {
    out.push({
      rule: 'must-have-value',
      message: `The element definition \`\`${el.id}\`\` in the profile '${profile}' requires that a value be present in this element`
    });
  }
  if (alternatives.length > 0) {
    const present = new Set(isObject(ext) ? each(ext.extension).map(([e]) => String(e.url)) : []);
    if (!alternatives.some(url => present.has(url))) {
      const which = alternatives.length === 1 ? 'the extension' : 'one of the extensions';
      out.push({
        rule: 'value-alternatives',
        message: `The element definition \`\`${el.id}\`\` in the profile '${profile}' requires that if a value is not present, ${which} '${alternatives.join(', ')}' must be present`
      });
    }
  }
  return out;
}
