/**
 * Process tuning, imported first by the CLI. SUSHI allocates many short-lived objects (deep
 * clones of element definitions); a larger young generation cuts garbage-collection time, which
 * measured about 25-35% of a compile here (bench/README.md has the figures). Raising the limit
 * only lets V8 grow the young generation when it needs to.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--max-semi-space-size=64');
