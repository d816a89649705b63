/**
 * FHIR XML to FHIR JSON, driven by the StructureDefinitions (which elements repeat, which are
 * primitives and of what JSON type, where resources nest), keeping the line and column of every
 * element. As the HL7 Java validator reads it: one root element, in the FHIR namespace declared on
 * the root itself; comments ignored; no DOCTYPE and no entities beyond XML's five; attribute
 * values may hold `>`; repeated elements stay repeated (so cardinality is still checked); a
 * primitive may carry only an id or extensions; the narrative div keeps its markup (xml:space too).
 * Pure JavaScript, no Node APIs.
 */
import type { Definitions } from './definitions.ts';
import { isRepeating, typeIndex, type ElementNode } from './profile-index.ts';
import { isPrimitiveType, jsonTypeOf } from './primitives.ts';
import type { Pointer } from './state.ts';
import { childrenFor } from './nodes.ts';
import { resolveKey, singleType } from './walker.ts';

const FHIR_NS = 'http://hl7.org/fhir';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Raw source of the element (for the narrative div). */
  start: number;
  end: number;
  line: number;
  column: number;
  text: string;
}

export interface XmlPosition {
  line: number;
  column: number;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number
  ) {
    super(message);
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string, at: () => XmlPosition): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) {
      const p = at();
      throw new XmlError(`Invalid XML: '&' must start an entity reference such as &amp;`, p.line, p.column);
    }
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const v = ENTITIES[name];
    if (v === undefined) {
      const p = at();
      throw new XmlError(
        `Invalid XML: the entity &${name}; is not declared (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)`,
        p.line,
        p.column
      );
    }
    return v;
  });
}

/** Parse XML text into elements (one root), with positions. Throws XmlError. */
export function parseXmlDocument(text: string): XmlElement {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const pos = (offset: number): XmlPosition => {
    let lo = 0,
      hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const fail = (message: string, offset: number): never => {
    const p = pos(offset);
    throw new XmlError(`Invalid XML: ${message}`, p.line, p.column);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.trim() !== '') {
      if (stack.length === 0) fail(root ? 'text after the root element' : 'text before the root element', i);
      const at = i;
      stack[stack.length - 1]!.text += decode(chunk, () => pos(at));
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment', i);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0 || stack.length === 0) fail('unterminated or misplaced CDATA section', i);
      stack[stack.length - 1]!.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction', i);
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      fail('a DOCTYPE is not allowed in FHIR XML (entities and DTDs are not supported)', i);
    } else if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(text.slice(i, i + 300));
      if (!m) fail('malformed end tag', i);
      const open = stack.pop();
      if (!open || open.name !== m![1]) fail(`unexpected </${m![1]}>${open ? ` (expected </${open.name}>)` : ''}`, i);
      open!.end = i + m![0].length;
      i = open!.end;
    } else {
      const start = i;
      const nameMatch = /^<([A-Za-z_][\w:.-]*)/.exec(text.slice(i, i + 300));
      if (!nameMatch) fail("'<' must start a tag (use &lt; in text)", i);
      i += nameMatch![0].length;
      const attrs = new Map<string, string>();
      let selfClosing = false;
      for (;;) {
        while (i < text.length && /\s/.test(text[i]!)) i++;
        if (text.startsWith('/>', i)) {
          selfClosing = true;
          i += 2;
          break;
        }
        if (text[i] === '>') {
          i++;
          break;
        }
        const am = /^([A-Za-z_][\w:.-]*)\s*=\s*(["'])/.exec(text.slice(i, i + 300));
        if (!am) fail(`malformed attribute in <${nameMatch![1]}>`, i);
        const valueStart = i + am![0].length;
        const close = text.indexOf(am![2]!, valueStart);
        if (close < 0) fail('unterminated attribute value', i);
        const raw = text.slice(valueStart, close);
        if (raw.includes('<')) fail("'<' is not allowed in an attribute value", valueStart);
        if (attrs.has(am![1]!)) fail(`duplicate attribute '${am![1]}'`, i);
        attrs.set(
          am![1]!,
          decode(raw, () => pos(valueStart))
        );
        i = close + 1;
      }
      const p = pos(start);
      const el: XmlElement = { name: nameMatch![1]!, attrs, children: [], start, end: i, line: p.line, column: p.column, text: '' };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else if (root) fail('a document has one root element; found a second one', start);
      else root = el;
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is not closed (truncated file?)`, text.length);
  if (!root) fail('no root element', 0);
  return root!;
}

export interface XmlConversion {
  value: Record<string, unknown>;
  positions: Map<string, XmlPosition>;
}

/** The FHIR JSON form of a FHIR XML document. Throws XmlError for what is not FHIR XML. */
export function fhirXmlToJson(text: string, defs: Definitions): XmlConversion {
  const root = parseXmlDocument(text);
  const positions = new Map<string, XmlPosition>();
  if (local(root.name) !== root.name || root.attrs.get('xmlns') !== FHIR_NS) {
    throw new XmlError(`The root element must be in the FHIR namespace: <${root.name} xmlns="${FHIR_NS}">`, root.line, root.column);
  }
  const converter = new Converter(defs, text, positions);
  const value = converter.resource(root, []);
  return { value, positions };
}

function local(name: string): string {
  const at = name.indexOf(':');
  return at < 0 ? name : name.slice(at + 1);
}

export function pointerKey(pointer: Pointer): string {
  return pointer.join('\u0000');
}

class Converter {
  private readonly state;
  constructor(
    private readonly defs: Definitions,
    private readonly source: string,
    private readonly positions: Map<string, XmlPosition>
  ) {
    this.state = { defs, options: {}, issues: [], depth: 0 };
  }

  private mark(ptr: Pointer, el: XmlElement): void {
    this.positions.set(pointerKey(ptr), { line: el.line, column: el.column });
  }

  resource(el: XmlElement, ptr: Pointer): Record<string, unknown> {
    this.mark(ptr, el);
    const type = local(el.name);
    const index = typeIndex(this.defs, type);
    const out: Record<string, unknown> = { resourceType: type };
    if (!index || index.sd.kind !== 'resource') {
      this.generic(el, out, ptr);
      return out;
    }
    this.members(el, index.root, index.type, out, ptr);
    return out;
  }

  private members(el: XmlElement, node: ElementNode | undefined, code: string | undefined, out: Record<string, unknown>, ptr: Pointer): void {
    const groups = node ? childrenFor(this.state, node, code).groups : undefined;
    for (const [k, v] of el.attrs) if (k !== 'xmlns' && !k.startsWith('xmlns:')) out[k] = v;
    const counts = new Map<string, number>();
    for (const child of el.children) {
      const name = local(child.name);
      const hit = groups ? resolveKey(groups, name) : undefined;
      const childNode = hit?.group.base;
      const repeating = childNode ? isRepeating(childNode.el) : counts.has(name) || el.children.filter(c => local(c.name) === name).length > 1;
      const typeCode = hit?.typeCode ?? (childNode ? singleType(childNode) : undefined);
      const i = counts.get(name) ?? 0;
      counts.set(name, i + 1);
      if (!repeating && i > 0) {
        // A single element given twice: keep both so the walker reports the cardinality error.
        const existing = out[name];
        if (!Array.isArray(existing)) out[name] = [existing];
      }
      const asArray = repeating || i > 0;
      const at = asArray ? [...ptr, name, i] : [...ptr, name];
      this.mark(at, child);
      if (name === 'div' && (typeCode === 'xhtml' || child.attrs.get('xmlns') === XHTML_NS)) {
        this.put(out, name, this.source.slice(child.start, child.end), asArray, i);
        continue;
      }
      if (typeCode && isPrimitiveType(typeCode)) {
        this.primitive(child, out, name, typeCode, asArray, i, [...ptr, `_${name}`, ...(asArray ? [i] : [])]);
        continue;
      }
      if (childNode && isResourceNode(this.defs, childNode, typeCode)) {
        const inner = child.children[0];
        this.put(out, name, inner ? this.resource(inner, at) : {}, asArray, i);
        continue;
      }
      const obj: Record<string, unknown> = {};
      if (childNode) {
        this.members(child, childNode, typeCode, obj, at);
      } else {
        this.generic(child, obj, at);
      }
      this.put(out, name, child.attrs.has('value') && child.children.length === 0 && !childNode ? child.attrs.get('value') : obj, asArray, i);
    }
  }

  private primitive(el: XmlElement, out: Record<string, unknown>, name: string, code: string, asArray: boolean, i: number, extPtr: Pointer): void {
    const raw = el.attrs.get('value');
    const value = raw === undefined ? null : jsonValue(raw, code);
    const ext: Record<string, unknown> = {};
    if (el.attrs.has('id')) ext.id = el.attrs.get('id');
    const element = typeIndex(this.defs, 'Element');
    if (el.children.length > 0) this.members({ ...el, attrs: new Map() }, element?.root, 'Element', ext, extPtr);
    const hasExt = Object.keys(ext).length > 0;
    if (asArray) {
      const held = out[name];
      const list: unknown[] = Array.isArray(held) ? held : [];
      list[i] = value;
      out[name] = list;
      if (hasExt || out[`_${name}`]) {
        const heldExts = out[`_${name}`];
        const exts: unknown[] = Array.isArray(heldExts) ? heldExts : [];
        exts[i] = hasExt ? ext : null;
        out[`_${name}`] = exts;
      }
    } else {
      if (value !== null) out[name] = value;
      if (hasExt) out[`_${name}`] = ext;
      if (value === null && !hasExt) out[name] = '';
    }
  }

  private put(out: Record<string, unknown>, name: string, value: unknown, asArray: boolean, i: number): void {
    if (!asArray) {
      out[name] = value;
      return;
    }
    const held = out[name];
    const list: unknown[] = Array.isArray(held) ? held : [];
    list[i] = value;
    out[name] = list;
  }

  /** An element the definitions do not know: kept, so that the walker reports it. */
  private generic(el: XmlElement, out: Record<string, unknown>, ptr: Pointer): void {
    for (const [k, v] of el.attrs) if (!k.startsWith('xmlns')) out[k] = v;
    for (const child of el.children) {
      const name = local(child.name);
      const obj: Record<string, unknown> = {};
      this.generic(child, obj, [...ptr, name]);
      this.mark([...ptr, name], child);
      out[name] = Object.keys(obj).length === 1 && 'value' in obj ? obj.value : obj;
    }
  }
}

function isResourceNode(defs: Definitions, node: ElementNode, code: string | undefined): boolean {
  const codes = code ? [code] : (node.el.type ?? []).map(t => t.code);
  return codes.length > 0 && codes.every(c => c === 'Resource' || c === 'DomainResource' || (/^[A-Z]/.test(c) && typeIndex(defs, c)?.sd.kind === 'resource'));
}

function jsonValue(raw: string, code: string): unknown {
  const kind = jsonTypeOf(code);
  if (kind === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (kind === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  return raw;
}

/** Line and column for a JSON pointer: the element itself, or its nearest recorded ancestor. */
export function locateXml(positions: Map<string, XmlPosition>, pointer: Pointer): XmlPosition | undefined {
  for (let n = pointer.length; n >= 0; n--) {
    const hit = positions.get(pointerKey(pointer.slice(0, n)));
    if (hit) return hit;
  }
  return undefined;
}
