/**
 * `vm-ig packages add x.tgz`: installs a FHIR package tarball into the project-local cache
 * (`<cache>/<name>#<version>/package/...`), checking it is a FHIR package first.
 */
import { createReadStream } from 'node:fs';
import * as tar from 'tar';
import { DiskBasedPackageCache } from 'fhir-package-loader';

export interface InstalledPackage {
  name: string;
  version: string;
  path: string;
}

export async function installPackageTarball(cacheDir: string, tarball: string): Promise<InstalledPackage> {
  const manifest = await readPackageManifest(tarball);
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new Error(`${tarball}: package/package.json has no name or version; is this a FHIR package?`);
  }
  const cache = new DiskBasedPackageCache(cacheDir);
  const path = await cache.cachePackageTarball(manifest.name, manifest.version, createReadStream(tarball));
  return { name: manifest.name, version: manifest.version, path };
}

/** The package's package.json, read from the tarball without extracting it. */
export async function readPackageManifest(tarball: string): Promise<{ name?: unknown; version?: unknown }> {
  let text: string | undefined;
  try {
    await tar.t({
      file: tarball,
      filter: p => p.replace(/^\.\//, '') === 'package/package.json',
      onReadEntry: entry => {
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => (text = Buffer.concat(chunks).toString('utf8')));
      }
    });
  } catch (e) {
    throw new Error(`${tarball}: not a readable .tgz (${(e as Error).message})`);
  }
  if (text === undefined) throw new Error(`${tarball}: no package/package.json inside; not a FHIR package`);
  try {
    return JSON.parse(text) as { name?: unknown; version?: unknown };
  } catch {
    throw new Error(`${tarball}: package/package.json is not valid JSON`);
  }
}
