/**
 * The validator's NHS rule: an NHS Number has a valid modulus-11 check digit wherever the NHS
 * Number system is used; in this guide's own examples only 999-range test numbers are allowed
 * (privacy).
 */
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../../fhir/nhs-number.ts';
import { child, isObject, type CheckContext, type Finding } from './state.ts';

export function checkNhsNumber({ state, value: identifier, loc }: CheckContext): Finding[] {
  if (!isObject(identifier) || identifier.system !== NHS_NUMBER_SYSTEM || typeof identifier.value !== 'string') return [];
  const value = identifier.value;
  const at = child(loc, 'value');
  if (!/^\d{10}$/.test(value)) return [{ rule: 'nhs-number-check-digit', at, message: `'${value}' is not an NHS Number: it must be 10 digits` }];
  if (!isValidNhsNumber(value)) return [{ rule: 'nhs-number-check-digit', at, message: `The NHS Number ${value} has an invalid check digit (modulus 11)` }];
  if (state.options.ownExample && !value.startsWith('999')) {
    return [
      {
        rule: 'nhs-number-test-range',
        at,
        message: `The NHS Number ${value} is not a 999-range test number: this guide's examples must use synthetic numbers only`
      }
    ];
  }
  return [];
}
