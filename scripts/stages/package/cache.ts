/**
 * The package stage in the build cache: build/package.tgz is reused when the compiled guide, its
 * validation report, the project's inputs and the toolchain are those it was made from, and the
 * file on disk still has the bytes written then (otherwise the stage runs and writes it again).
 * The IG Publisher includes it writes to fsh-generated/includes/ are kept and put back too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildContext } from '../../pipeline/context.ts';
import { compileKey } from '../../pipeline/stage-keys.ts';
import { compiledDigest, KeyHash, sha256, type StageCache } from '../../pipeline/stage-cache.ts';
import { writeFileAtomic } from '../../util/atomic.ts';
import { isPublisherInclude } from '../../lib/publisher/includes.ts';
import { isJsonObject } from '../../fhir/json.ts';

interface Saved {
  sha256: string;
  /** fsh-generated/includes/ files this stage wrote: name -> text. */
  includes: Record<string, string>;
}

export const packageCache: StageCache = {
  key: ctx =>
    ctx.compiled
      ? new KeyHash()
          .add('inputs', compileKey(ctx.paths, ctx.config))
          .add('compiled', compiledDigest(ctx))
          .add('validation', JSON.stringify(ctx.validation ?? null))
          .digest()
      : undefined,
  save: ctx => (ctx.packageBytes ? ({ sha256: sha256(ctx.packageBytes), includes: publisherIncludesOnDisk(ctx) } satisfies Saved) : undefined),
  restore: (ctx, saved) => {
    if (!isSaved(saved)) return false;
    const target = join(ctx.paths.build, 'package.tgz');
    if (!existsSync(target)) return false;
    const bytes = new Uint8Array(readFileSync(target));
    if (sha256(bytes) !== saved.sha256) return false;
    for (const [name, text] of Object.entries(saved.includes)) {
      const path = join(ctx.paths.fshGenerated, 'includes', name);
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileAtomic(path, text);
    }
    ctx.packagePath = target;
    ctx.packageBytes = bytes;
    return true;
  }
};

function publisherIncludesOnDisk(ctx: BuildContext): Record<string, string> {
  const dir = join(ctx.paths.fshGenerated, 'includes');
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) if (isPublisherInclude(`includes/${name}`)) out[name] = readFileSync(join(dir, name), 'utf8');
  return out;
}

function isSaved(value: unknown): value is Saved {
  return (
    isJsonObject(value) &&
    typeof value.sha256 === 'string' &&
    typeof value.includes === 'object' &&
    value.includes !== null &&
    Object.entries(value.includes).every(([name, text]) => isPublisherInclude(`includes/${name}`) && typeof text === 'string')
  );
}
