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
