/**
 * NHS rules: an NHS Number has a valid modulus-11 check digit wherever the NHS Number system is
 * used; in this guide's own examples only 999-range test numbers are allowed (privacy).
 */
import { child, isObject, type CheckContext, type Finding } from '../validator/state.ts';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** The check digit for the first nine digits, or undefined when no valid number can have them. */
export function nhsCheckDigit(first9: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

export function isValidNhsNumber(value: string): boolean {
  return /^\d{10}$/.test(value) && nhsCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

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
