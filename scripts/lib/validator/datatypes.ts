/**
 * Type-specific value checks the Java validator makes beyond format: a string value is at most
 * 1 MB; an Attachment's `size` and `hash` agree with its `data`; a canonical points at a resource
 * of a type the element allows (when that resource is loaded). Pure JavaScript, no Node APIs.
 */
import { BASE } from './definitions.ts';
import { child, isObject, type CheckContext, type Finding } from './state.ts';

/** The spec's limit on any string value: 1 MB (1,048,576 characters). */
export const MAX_STRING_LENGTH = 1024 * 1024;

export function checkPrimitiveValue(c: CheckContext): Finding[] {
  if (typeof c.value !== 'string') return [];
  if ((c.code === 'string' || c.code === 'markdown') && c.value.length > MAX_STRING_LENGTH) {
    return [
      {
        rule: 'string-too-long',
        message: `The string is ${c.value.length.toLocaleString('en-GB')} characters long; FHIR strings are at most ${MAX_STRING_LENGTH.toLocaleString('en-GB')} (1 MB)`
      }
    ];
  }
  const uri = c.code === 'uri' || c.code === 'url' || c.code === 'canonical' ? uriSyntax(c, c.value) : [];
  if (c.code === 'canonical') return [...uri, ...canonicalTarget(c, c.value)];
  return uri;
}

/**
 * The Java validator's checks on uri, url and canonical values (InstanceValidator.checkPrimitive):
 * no `oid:` or `uuid:` scheme (TYPE_SPECIFIC_CHECKS_DT_URI_OID / _URI_UUID), a `urn:uuid:` holds a
 * UUID (TYPE_SPECIFIC_CHECKS_DT_UUID_VALID) and a `urn:oid:` an OID not ending in .0
 * (TYPE_SPECIFIC_CHECKS_DT_OID_VALID), and the `url` of a canonical resource is absolute
 * (TYPE_SPECIFIC_CHECKS_DT_URL_ABSOLUTE: "An absolute URI that is used to identify this ...").
 */
function uriSyntax({ node }: CheckContext, url: string): Finding[] {
  if (url.startsWith('oid:')) return [{ rule: 'uri-syntax', message: `URI values cannot start with oid: ('${url}'); use urn:oid:` }];
  if (url.startsWith('uuid:')) return [{ rule: 'uri-syntax', message: `URI values cannot start with uuid: ('${url}'); use urn:uuid:` }];
  if (url.startsWith('urn:uuid:')) {
    const uuid = url.slice(9).split('#')[0]!;
    if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(uuid)) {
      return [{ rule: 'uri-syntax', message: `UUIDs must be valid (${uuid})` }];
    }
  }
  if (url.startsWith('urn:oid:')) {
    const oid = url.slice(8);
    if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid) || oid.endsWith('.0')) return [{ rule: 'uri-syntax', message: `OIDs must be valid (${oid})` }];
  }
  const base = node.el.base?.path ?? node.el.path;
  if (CANONICAL_URL_ELEMENTS.has(base) && !/^[a-z][a-z0-9+.-]*:\S+$/.test(url)) {
    return [{ rule: 'uri-syntax', message: `Canonical URLs must be absolute URLs if they are not fragment references (${url})` }];
  }
  return [];
}

/** `url` of the R4 canonical resources: "An absolute URI that is used to identify this ...". */
const CANONICAL_URL_ELEMENTS = new Set(
  (
    'ActivityDefinition CapabilityStatement ChargeItemDefinition CodeSystem CompartmentDefinition ConceptMap EffectEvidenceSynthesis ' +
    'EventDefinition Evidence EvidenceVariable ExampleScenario GraphDefinition ImplementationGuide Library Measure MessageDefinition ' +
    'OperationDefinition PlanDefinition Questionnaire ResearchDefinition ResearchElementDefinition RiskEvidenceSynthesis SearchParameter ' +
    'StructureDefinition StructureMap TerminologyCapabilities TestScript ValueSet'
  )
    .split(' ')
    .map(t => `${t}.url`)
);

function canonicalTarget({ state, node }: CheckContext, url: string): Finding[] {
  const targets = node.el.type?.find(t => t.code === 'canonical')?.targetProfile ?? [];
  if (targets.length === 0) return [];
  const target = state.defs.get(url);
  if (!target) return [];
  const allowed = targets.map(t => (t.startsWith(BASE) ? t.slice(BASE.length) : (state.defs.typeOf(t) ?? t)));
  if (allowed.includes('Resource') || allowed.includes(target.resourceType)) return [];
  return [
    { rule: 'canonical-target-type', message: `The canonical ${url} is a ${target.resourceType}, but ${node.el.path} must point at ${allowed.join(' or ')}` }
  ];
}

/** Attachment: `size` is the byte count of `data`, `hash` its base64 SHA-1. */
export function checkAttachment({ value, loc }: CheckContext): Finding[] {
  if (!isObject(value) || typeof value.data !== 'string') return [];
  const bytes = decodeBase64(value.data);
  if (!bytes) return [];
  const out: Finding[] = [];
  if (typeof value.size === 'number' && value.size !== bytes.length) {
    out.push({ rule: 'attachment-size', at: child(loc, 'size'), message: `Attachment.size is ${value.size}, but data holds ${bytes.length} bytes` });
  }
  if (typeof value.hash === 'string') {
    const actual = encodeBase64(sha1(bytes));
    if (actual !== value.hash.replace(/\s+/g, '')) {
      out.push({ rule: 'attachment-hash', at: child(loc, 'hash'), message: `Attachment.hash is ${value.hash}, but the SHA-1 of data is ${actual}` });
    }
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map([...ALPHABET].map((ch, i) => [ch, i]));

/** Bytes of a base64 text (whitespace ignored); undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 4 !== 0) return undefined;
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = clean[i + j]!;
      const v = ch === '=' ? 0 : LOOKUP.get(ch);
      if (v === undefined) return undefined;
      n = (n << 6) | v;
    }
    for (let k = 2; k >= 0; k--) {
      if (o < out.length) out[o++] = (n >> (k * 8)) & 0xff;
    }
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

/** SHA-1 (FIPS 180-4), as the spec defines Attachment.hash. */
export function sha1(bytes: Uint8Array): Uint8Array {
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 4, bitLength >>> 0);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  const h: [number, number, number, number, number] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let [a, b, c, d, e] = h;
    for (let t = 0; t < 80; t++) {
      const f = t < 20 ? (b & c) | (~b & d) : t < 40 ? b ^ c ^ d : t < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const temp = (rotl(a, 5) + f + e + k + w[t]!) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = temp;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  h.forEach((v, i) => outView.setUint32(i * 4, v));
  return out;
}

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}
