/** The render stage's JSON narrowings: lists of objects, string properties, any-object property maps. */
import { describe, expect, it } from 'vitest';
import { isObjectLike, objectsIn, stringIn } from '../../scripts/stages/render/guards.ts';

describe('render guards', () => {
  it('keeps the JSON objects of a list, and has none for anything else', () => {
    const coding = { code: 'A' };
    expect(objectsIn([coding, null, 'x', 3, [coding], { code: 'B' }])).toEqual([coding, { code: 'B' }]);
    expect(objectsIn(coding)).toEqual([]);
    expect(objectsIn(undefined)).toEqual([]);
  });

  it('reads a string property, and nothing of another type', () => {
    expect(stringIn({ name: 'NHS England', count: 3 }, 'name')).toBe('NHS England');
    expect(stringIn({ name: 'NHS England', count: 3 }, 'count')).toBeUndefined();
    expect(stringIn({}, 'name')).toBeUndefined();
  });

  it('takes any non-null object, arrays included, as a property map', () => {
    expect(isObjectLike({})).toBe(true);
    expect(isObjectLike([])).toBe(true);
    expect(isObjectLike(null)).toBe(false);
    expect(isObjectLike('text')).toBe(false);
  });
});
