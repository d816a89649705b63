/**
 * Bindings and codes: required = error, extensible = warning, on locally expanded value sets;
 * codes from systems we cannot enumerate get an information message, never a silent pass or a
 * false error. Displays are checked against CodeSystems we hold (warning).
 */
import type { ElementDefinition } from './profile-index.ts';
import { codeSystem, valueSetCodeSets, type CodeSets } from './expand.ts';
import type { Definitions } from './definitions.ts';
import { isObject, type CheckContext, type Finding } from './state.ts';

interface CodeRef {
  system?: string;
  code?: string;
}
export type Membership = 'yes' | 'no' | 'unknown';

const CODED_TYPES = new Set(['code', 'Coding', 'CodeableConcept', 'Quantity', 'string', 'uri', 'CodeableReference']);

export function checkBinding({ state, value, code = '', node }: CheckContext): Finding[] {
  // A logical model's type is its own URL, not a FHIR type (StructureDefinition.type, R4 definition).
  if (node.el.path === 'StructureDefinition.type' && typeof value === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(value)) return [];
  return bindingFindings(state.defs, value, code, node.el);
}

export function bindingFindings(defs: Definitions, value: unknown, code: string, el: ElementDefinition): Finding[] {
  const binding = el.binding;
  if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return [];
  if (!CODED_TYPES.has(code)) return [];
  const refs = codesOf(value, code);
  if (refs === undefined || isSystemType(value)) return [];
  const expansion = valueSetCodeSets(defs, binding.valueSet);
  const vs = binding.valueSet.split('|')[0]!;
  if (!expansion) {
    return [
      {
        severity: 'information',
        rule: 'binding-unknown-system',
        message: `The value set ${vs} is not available offline, so the ${binding.strength} binding was not checked`
      }
    ];
  }
  const results = refs.map(r => membership(expansion, r, code));
  if (results.includes('yes')) return [];
  if (results.includes('unknown')) {
    const systems = [...new Set(refs.map(r => r.system).filter(Boolean))].join(', ');
    return [
      {
        severity: 'information',
        rule: 'binding-unknown-system',
        message: `The code system ${systems || '(implied)'} cannot be expanded offline; membership of ${vs} was not checked`
      }
    ];
  }
  if (code === 'CodeableConcept' && refs.length === 0 && binding.strength === 'extensible') return [];
  const shown = refs.map(r => (r.system ? `${r.system}#${r.code}` : `'${r.code}'`)).join(', ') || 'no code';
  const required = binding.strength === 'required';
  return [
    {
      severity: required ? 'error' : 'warning',
      rule: required ? 'binding-required' : 'binding-extensible',
      message: `The value provided (${shown}) is not in the value set ${vs}${required ? ', and a code is required from this value set' : ' (extensible binding)'}`
    }
  ];
}

/** FHIRPath system type URLs are valid type codes in R4 snapshots, though defined-types omits them. */
function isSystemType(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('http://hl7.org/fhirpath/System.');
}

/** A Coding-like object's system and code (values of another JSON type are the primitive checks' to report). */
function codeRef(value: Record<string, unknown>): CodeRef {
  const system = value.system === undefined ? undefined : String(value.system);
  return { system, code: typeof value.code === 'string' ? value.code : undefined };
}

/** The codes a coded value carries; undefined when there is nothing to check. */
function codesOf(value: unknown, code: string): CodeRef[] | undefined {
  if (typeof value === 'string') return [{ code: value }];
  if (!isObject(value)) return undefined;
  if (code === 'Coding') return value.code === undefined ? undefined : [codeRef(value)];
  if (code === 'Quantity') return typeof value.code === 'string' ? [codeRef(value)] : undefined;
  if (code === 'CodeableConcept') {
    const codings = Array.isArray(value.coding) ? value.coding.filter(isObject).map(codeRef) : [];
    return codings.length === 0 && typeof value.text !== 'string' ? undefined : codings;
  }
  return undefined;
}

/**
 * FHIRPath `memberOf` on a code, Coding or CodeableConcept (any of its codings): 'unknown' when
 * the value set is not available offline or the code's system cannot be enumerated here.
 */
export function memberOf(defs: Definitions, value: unknown, valueSet: string): Membership {
  const expansion = valueSetCodeSets(defs, valueSet);
  if (!expansion) return 'unknown';
  const code = typeof value === 'string' ? 'code' : isObject(value) && Array.isArray(value.coding) ? 'CodeableConcept' : 'Coding';
  const refs = codesOf(value, code) ?? [];
  const results = refs.map(r => membership(expansion, r, code));
  return results.includes('yes') ? 'yes' : results.includes('unknown') ? 'unknown' : 'no';
}

function membership(expansion: CodeSets, ref: CodeRef, code: string): Membership {
  if (typeof ref.code !== 'string') return 'no';
  if (ref.system === undefined && (code === 'code' || code === 'string' || code === 'uri')) {
    for (const codes of expansion.codes.values()) if (codes.has(ref.code)) return 'yes';
    return expansion.open.size > 0 ? 'unknown' : 'no';
  }
  if (ref.system === undefined) return 'no';
  if (expansion.codes.get(ref.system)?.has(ref.code)) return 'yes';
  return expansion.open.has(ref.system) ? 'unknown' : 'no';
}

/** A Coding's code exists in its CodeSystem (when we hold it completely) and its display matches. */
export function checkCodingDisplay({ state, value }: CheckContext): Finding[] {
  if (!isObject(value)) return [];
  const coding = value;
  if (typeof coding.system !== 'string' || typeof coding.code !== 'string') return [];
  const cs = codeSystem(state.defs, coding.system);
  if (!cs) return [];
  const concept = cs.concepts.get(coding.code);
  if (!concept) {
    return cs.complete ? [{ rule: 'code-invalid', message: `Unknown code '${coding.code}' in the CodeSystem ${coding.system}` }] : [];
  }
  if (typeof coding.display !== 'string' || !concept.display) return [];
  const wanted = [concept.display, ...concept.designations].map(normal);
  if (wanted.includes(normal(coding.display))) return [];
  return [
    { severity: 'warning', rule: 'display', message: `Wrong display '${coding.display}' for ${coding.system}#${coding.code}: should be '${concept.display}'` }
  ];
}

function normal(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}
