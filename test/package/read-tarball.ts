/** Test helper: read a .tgz with node-tar (an independent reader) into path -> entry. */
import { Readable } from 'node:stream';
import * as tar from 'tar';

export interface ReadEntry {
  text: string;
  mode?: number;
  mtime?: Date;
  uid?: number;
  gid?: number;
  type: string;
}

export async function readTarball(bytes: Uint8Array): Promise<Map<string, ReadEntry>> {
  const entries = new Map<string, ReadEntry>();
  const parser = new tar.Parser({
    onReadEntry: entry => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () =>
        entries.set(entry.path, {
          text: Buffer.concat(chunks).toString('utf8'),
          mode: entry.mode,
          mtime: entry.mtime,
          uid: entry.uid,
          gid: entry.gid,
          type: entry.type
        })
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
    Readable.from([Buffer.from(bytes)]).pipe(parser);
  });
  return entries;
}
