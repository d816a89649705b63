/**
 * Synthetic instances for the invariant sweep: every element of a core type's snapshot filled
 * with a plausible value (choice elements take their `variant`-th type), three levels deep.
 * Not valid content (codes and references are made up): it is there to make every core
 * invariant meet data of every shape, decimals and integers included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Element {
  path: string;
  max?: string;
  type?: { code: string }[];
  contentReference?: string;
}

export interface CoreDefinition {
  url: string;
  type: string;
  kind: string;
  abstract?: boolean;
  derivation?: string;
  snapshot: { element: Element[] };
}

const SAMPLE: Record<string, unknown> = {
  boolean: true,
  integer: 2,
  decimal: 1.5,
  positiveInt: 3,
  unsignedInt: 0,
  string: 'a',
  code: 'a',
  id: 'x1',
  uri: 'http://example.org/x',
  url: 'http://example.org/x',
  canonical: 'http://example.org/x',
  oid: 'urn:oid:1.2.3',
  uuid: 'urn:uuid:c757873d-ec9a-4326-a141-556f43239520',
  markdown: 'a',
  base64Binary: 'AAAA',
  instant: '2020-01-01T00:00:00Z',
  date: '2020-01-01',
  dateTime: '2020-01-01T10:00:00+00:00',
  time: '10:00:00',
  xhtml: '<div xmlns="http://www.w3.org/1999/xhtml">a</div>'
};

const SKIPPED = new Set(['extension', 'modifierExtension', 'contained']);

export class SyntheticInstances {
  readonly types = new Map<string, CoreDefinition>();
  readonly profiles: CoreDefinition[] = [];

  constructor(packageDir: string) {
    for (const f of readdirSync(packageDir)) {
      if (!f.startsWith('StructureDefinition-')) continue;
      const sd = JSON.parse(readFileSync(join(packageDir, f), 'utf8')) as CoreDefinition;
      if (!sd.snapshot) continue;
      if (sd.derivation === 'constraint') this.profiles.push(sd);
      else this.types.set(sd.type, sd);
    }
  }

  resource(type: string, variant: number): Record<string, unknown> {
    const sd = this.types.get(type)!;
    return { resourceType: type, ...this.fill(sd.snapshot.element, type, 0, variant, [type]), id: 'x1' };
  }

  value(type: string, variant: number, depth = 1, seen: string[] = []): unknown {
    if (type in SAMPLE) return SAMPLE[type];
    const sd = this.types.get(type);
    if (!sd || sd.kind === 'resource' || depth > 3) return undefined;
    return this.fill(sd.snapshot.element, sd.snapshot.element[0]!.path, depth, variant, [...seen, type]);
  }

  private fill(elements: Element[], root: string, depth: number, variant: number, seen: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const el of elements) {
      const rel = el.path.slice(root.length + 1);
      if (!el.path.startsWith(`${root}.`) || rel.includes('.') || SKIPPED.has(rel) || el.contentReference || el.max === '0') continue;
      if (depth > 0 && (rel === 'id' || rel === 'text')) continue;
      const types = (el.type ?? []).map(t => t.code);
      if (types.length === 0) continue;
      const type = rel.endsWith('[x]') ? types[(variant + depth) % types.length]! : types[0]!;
      const name = rel.endsWith('[x]') ? `${rel.slice(0, -3)}${type[0]!.toUpperCase()}${type.slice(1)}` : rel;
      let value: unknown;
      if (type === 'BackboneElement' || type === 'Element') value = this.fill(elements, el.path, depth + 1, variant, seen);
      else if (type.startsWith('http://hl7.org/fhirpath/')) value = 'a';
      else if (seen.filter(s => s === type).length < 2) value = this.value(type, variant, depth + 1, seen);
      if (value !== undefined) out[name] = el.max === '1' ? value : [value];
    }
    return out;
  }
}
