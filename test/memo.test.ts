/** The text-keyed memo: a value is made once per key, and the keys kept stay within the bound. */
import { describe, expect, it } from 'vitest';
import { TextMemo } from '../scripts/util/memo.ts';

describe('TextMemo', () => {
  it('makes a value once per key while it is kept', () => {
    const memo = new TextMemo<number>(100);
    let made = 0;
    const make = () => ++made;
    expect(memo.get('a', make)).toBe(1);
    expect(memo.get('a', make)).toBe(1);
    expect(memo.get('b', make)).toBe(2);
    expect(made).toBe(2);
  });

  it('drops the least recently used keys beyond its bound, and never keeps a key larger than it', () => {
    const memo = new TextMemo<string>(20); // each entry counts its key and its value: 8 here
    const seen: string[] = [];
    const make = (k: string) => () => (seen.push(k), k.toUpperCase());
    memo.get('aaaa', make('aaaa'));
    memo.get('bbbb', make('bbbb'));
    memo.get('aaaa', make('aaaa')); // a is now the most recent
    memo.get('cccc', make('cccc')); // 12 chars: b goes
    memo.get('aaaa', make('aaaa'));
    memo.get('bbbb', make('bbbb'));
    expect(seen).toEqual(['aaaa', 'bbbb', 'cccc', 'bbbb']);
    const big = 'x'.repeat(11);
    expect(memo.get(big, make(big))).toBe('X'.repeat(11));
    expect(memo.get(big, make(big))).toBe('X'.repeat(11));
    expect(seen.filter(k => k === big)).toHaveLength(2);
  });

  it('counts what sizeOf says of other values', () => {
    const memo = new TextMemo<{ bytes: Uint8Array }>(10, v => v.bytes.length);
    let made = 0;
    const make = () => (made++, { bytes: new Uint8Array(8) });
    memo.get('a', make);
    memo.get('a', make);
    expect(made).toBe(1);
    memo.get('b', make); // 9 + 9 > 10: 'a' goes
    memo.get('a', make);
    expect(made).toBe(3);
  });
});
