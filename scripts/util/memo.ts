/**
 * Per-object memoisation, written once: the value `make(key)` gives is computed the first time a
 * key object is asked for and kept for as long as the key lives (a WeakMap, so definitions and
 * compiled profiles that are dropped take their cached values with them). `undefined` results
 * are remembered too.
 */
export function memo<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const values = new WeakMap<K, { value: V }>();
  return key => {
    let hit = values.get(key);
    if (!hit) values.set(key, (hit = { value: make(key) }));
    return hit.value;
  };
}

/**
 * Values kept by a text key (the code to highlight, a page body, a resource's JSON), the most
 * recently used first, up to `maxChars` in all (keys, and values that are text or bytes): a dev
 * session renders the same site again and again with a few changes, and every unchanged text is
 * made only once.
 */
export class TextMemo<V> {
  /** Each value boxed, so a kept `undefined` is told from an absent key. */
  private readonly values = new Map<string, { value: V }>();
  private chars = 0;

  /** `sizeOf` measures a value that is neither text nor bytes (its text or bytes, roughly). */
  constructor(
    private readonly maxChars: number,
    private readonly sizeOf: (value: V) => number = () => 0
  ) {}

  private size(key: string, value: V): number {
    if (typeof value === 'string' || value instanceof Uint8Array) return key.length + value.length;
    return key.length + this.sizeOf(value);
  }

  get(key: string, make: () => V): V {
    const hit = this.values.get(key);
    if (hit) {
      this.values.delete(key);
      this.values.set(key, hit);
      return hit.value;
    }
    const value = make();
    const size = this.size(key, value);
    if (size > this.maxChars) return value;
    this.values.set(key, { value });
    this.chars += size;
    for (const [old, kept] of this.values) {
      if (this.chars <= this.maxChars) break;
      this.values.delete(old);
      this.chars -= this.size(old, kept.value);
    }
    return value;
  }
}
