/**
 * Stands in for scripts/lib/validator/core-source.ts in the browser bundle: there is no package cache
 * in a page; the browser host builds its Definitions from the payload (memory-source.ts).
 */
import type { Definitions } from '../../../lib/validator/definitions.ts';

export function coreDefinitions(_packageCache: string): Definitions {
  throw new Error('no package cache in the browser: build the validator from the page payload');
}
