/**
 * `writePackage`: the guide's FHIR package as one deterministic .tgz, written atomically (a temp
 * file beside the target, then a rename), so a reader never sees half a package.
 */
import { writeFileAtomic } from '../../util/atomic.ts';
import { packageContents, type PackageFile, type PackageInput } from './contents.ts';
import { packageDateSeconds, type PackageManifest } from './manifest.ts';
import { tarGzip } from './tarball.ts';

export interface PackedGuide {
  bytes: Uint8Array;
  files: PackageFile[];
  manifest: PackageManifest;
}

/** Build the tarball in memory. Every entry's mtime is the declared date (the epoch without one). */
export function packGuide(input: PackageInput): PackedGuide {
  const { files, manifest } = packageContents(input);
  const mtime = manifest.date ? packageDateSeconds(manifest.date) : 0;
  const entries = files.map(f => ({ path: f.path, content: Buffer.from(f.text, 'utf8') }));
  return { bytes: tarGzip(entries, { mtime }), files, manifest };
}

export function writePackage(input: PackageInput, target: string): PackedGuide {
  const packed = packGuide(input);
  writeFileAtomic(target, packed.bytes);
  return packed;
}
