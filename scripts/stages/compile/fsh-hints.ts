/**
 * SUSHI's parser reports the symptom of an FSH syntax slip, often lines after it ("Assignment
 * rules must include at least one space..." for a quote left open three lines up, "extraneous
 * input ... expecting {<EOF>, KW_ALIAS, ...}" for a rule without its `*`). Where the cause is
 * recognisable from the file's text, this says what it is and where it starts:
 *
 * - an unclosed string (a quote not closed on its line, and errors from there to where the next
 *   quote ends it): one error at the opening quote, replacing the errors it caused;
 * - a rule without its leading `*`, and an unknown keyword (`Instanse:`, with the nearest one);
 * - a tab in a line's indentation;
 * - an unknown element path: the nearest element names of the definition's type ("did you mean").
 *
 * Anything else is left as SUSHI said it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { isJsonObject } from '../../fhir/json.ts';

/** A StructureDefinition as far as this needs it. */
export interface ElementSource {
  snapshot?: { element?: { id?: string; path?: string }[] };
}

export type FishDefinition = (name: string) => ElementSource | undefined;

/** A definition whose snapshot, if it has one, holds a list of elements. */
function isElementSource(value: unknown): value is ElementSource {
  if (!isJsonObject(value)) return false;
  const { snapshot } = value;
  return snapshot === undefined || (isJsonObject(snapshot) && (snapshot.element === undefined || Array.isArray(snapshot.element)));
}

const KEYWORDS = [
  'Alias',
  'Profile',
  'Extension',
  'Instance',
  'Invariant',
  'ValueSet',
  'CodeSystem',
  'RuleSet',
  'Mapping',
  'Logical',
  'Resource',
  'Parent',
  'Id',
  'Title',
  'Description',
  'InstanceOf',
  'Usage',
  'Expression',
  'XPath',
  'Severity',
  'Source',
  'Target',
  'Characteristics',
  'Context'
];

const PARSER_NOISE = /^(extraneous input|mismatched input|no viable alternative|missing .* at|token recognition error)/;

export function explainFshProblems(diagnostics: readonly Diagnostic[], root: string, fish: FishDefinition = () => undefined): Diagnostic[] {
  const texts = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(join(root, file), 'utf8').split(/\r?\n/));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const out: Diagnostic[] = [];
  const unclosedReported = new Set<string>();
  for (const d of diagnostics) {
    const file = d.location?.file;
    const line = d.location?.line;
    const lines = file?.endsWith('.fsh') && line !== undefined && d.rule === 'fsh' ? linesOf(file) : undefined;
    if (!file || line === undefined || !lines) {
      out.push(d);
      continue;
    }
    const open = unclosedStringBefore(lines, line);
    if (open && (d.severity === 'error' || PARSER_NOISE.test(d.message))) {
      const key = `${file}:${open.line}:${open.column}`;
      if (!unclosedReported.has(key)) {
        unclosedReported.add(key);
        const until = open.closedAt ? `up to the next quote (line ${open.closedAt})` : 'to the end of the file';
        out.push({
          severity: 'error',
          rule: 'fsh-unclosed-string',
          message: `unclosed string: the quote at line ${open.line} column ${open.column} is not closed on its line, so FSH reads everything ${until} as one string; add the closing " (SUSHI said: ${d.message})`,
          location: { file, line: open.line, column: open.column }
        });
      }
      continue;
    }
    out.push(explainOne(d, file, line, lines, fish));
  }
  return out;
}

function explainOne(d: Diagnostic, file: string, line: number, lines: string[], fish: FishDefinition): Diagnostic {
  const text = lines[line - 1] ?? '';
  const indent = /^\s*/.exec(text)![0];
  if (indent.includes('\t')) {
    return {
      ...d,
      rule: 'fsh-tab',
      message: `a tab indents line ${line}: FSH indents rules with spaces (two per level), and a tab is read as misplaced text (SUSHI said: ${d.message})`,
      location: { file, line, column: indent.indexOf('\t') + 1 }
    };
  }
  if (PARSER_NOISE.test(d.message)) {
    const trimmed = text.trim();
    const keyword = /^([A-Za-z][\w-]*):/.exec(trimmed);
    if (keyword && !KEYWORDS.includes(keyword[1]!)) {
      const near = nearest(keyword[1]!, KEYWORDS);
      const hint = near.length ? ` (did you mean ${near.map(k => `'${k}:'`).join(' or ')}?)` : '';
      return { ...d, rule: 'fsh-unknown-keyword', message: `unknown keyword '${keyword[1]}:'${hint}` };
    }
    if (trimmed && !trimmed.startsWith('*') && !trimmed.startsWith('//') && !keyword && /^[\^A-Za-z][\w.[\]^:+=-]*(\s|$)/.test(trimmed)) {
      return {
        ...d,
        rule: 'fsh-missing-star',
        message: `this rule does not start with '*': write '* ${trimmed.length > 40 ? `${trimmed.slice(0, 40)}...` : trimmed}' (SUSHI said: ${d.message})`,
        location: { file, line, column: indent.length + 1 }
      };
    }
  }
  const unknownPath = /^The element or path you referenced does not exist: (.+)$/.exec(d.message);
  if (unknownPath) {
    const hint = didYouMean(unknownPath[1]!.trim(), definitionTypeAt(lines, line), fish);
    if (hint) return { ...d, message: `${d.message} (did you mean ${hint}?)` };
  }
  return d;
}

/** A string that does not close on the line it opens on: where it opens, and the line it closes on (none: never). */
export interface OpenString {
  line: number;
  column: number;
  closedAt?: number;
  /** It opens on the line where a string before it ran to: a consequence of that one, not a slip of its own. */
  cascade?: boolean;
}

/** Every string in the file that runs past the end of its line (`"""` blocks and comments aside). */
export function stringsPastTheirLine(lines: readonly string[]): OpenString[] {
  const out: OpenString[] = [];
  let open: { line: number; column: number } | undefined;
  let triple = false;
  lines.forEach((text, i) => {
    for (let c = 0; c < text.length; c++) {
      if (triple) {
        if (text.startsWith('"""', c)) {
          triple = false;
          c += 2;
        }
      } else if (open) {
        if (text[c] === '\\') c++;
        else if (text[c] === '"') {
          if (i + 1 > open.line) out.push({ ...open, closedAt: i + 1, ...(out.at(-1)?.closedAt === open.line ? { cascade: true } : {}) });
          open = undefined;
        }
      } else if (text.startsWith('//', c)) break;
      else if (text.startsWith('"""', c)) {
        triple = true;
        c += 2;
      } else if (text[c] === '"') open = { line: i + 1, column: c + 1 };
    }
  });
  if (open) out.push({ ...open, ...(out.at(-1)?.closedAt === open.line ? { cascade: true } : {}) });
  return out;
}

/** The string left open that explains an error at `line`: it opened before and ends at or after it (or the line after). */
export function unclosedStringBefore(lines: readonly string[], line: number): OpenString | undefined {
  return stringsPastTheirLine(lines).find(s => !s.cascade && s.line <= line && (s.closedAt === undefined || line <= s.closedAt + 1));
}

/** The `InstanceOf:` or `Parent:` of the definition `line` is in. */
function definitionTypeAt(lines: readonly string[], line: number): string | undefined {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^\s*(InstanceOf|Parent)\s*:\s*(\S+)/.exec(lines[i]!);
    if (m) return m[2];
    if (/^\s*(Profile|Extension|Instance|ValueSet|CodeSystem|RuleSet|Logical|Resource|Invariant|Mapping)\s*:/.test(lines[i]!) && i < line - 1) {
      // Keep looking down from the definition's start for its InstanceOf/Parent.
      for (let j = i + 1; j < line; j++) {
        const k = /^\s*(InstanceOf|Parent)\s*:\s*(\S+)/.exec(lines[j]!);
        if (k) return k[2];
      }
      return /^\s*Extension\s*:/.test(lines[i]!) ? 'Extension' : undefined;
    }
  }
  return undefined;
}

/** The nearest element names for the first step of `path` that the type lacks. */
function didYouMean(path: string, type: string | undefined, fish: FishDefinition): string | undefined {
  if (!type) return undefined;
  const elements = fish(type)?.snapshot?.element ?? [];
  if (!elements.length) return undefined;
  const ids = elements.map(e => e.id ?? e.path ?? '');
  const rootName = ids[0]!.split('.')[0]!;
  const steps = path.replace(/^\^/, '').split('.');
  let parent = rootName;
  for (const step of steps) {
    const name = step.replace(/\[.*$/, '');
    const children = [
      ...new Set(
        ids.filter(id => id.startsWith(`${parent}.`) && !id.slice(parent.length + 1).includes('.')).map(id => id.slice(parent.length + 1).replace(/:.*$/, ''))
      )
    ];
    const exists = children.some(c => c === name || (c.endsWith('[x]') && name.startsWith(c.slice(0, -3))));
    if (!exists) {
      const near = nearest(
        name,
        children.map(c => c.replace(/\[x\]$/, '[x]'))
      );
      return near.length ? near.map(n => `'${[...steps.slice(0, steps.indexOf(step)), n].join('.')}'`).join(' or ') : undefined;
    }
    const child = children.find(c => c === name) ?? children.find(c => c.endsWith('[x]') && name.startsWith(c.slice(0, -3)))!;
    parent = `${parent}.${child}`;
  }
  return undefined;
}

/** Up to three candidates within a small edit distance of `word`, nearest first. */
export function nearest(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(word.length / 3));
  return candidates
    .map(c => ({ c, d: distance(word.toLowerCase(), c.toLowerCase()) }))
    .filter(x => x.d <= limit)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, 3)
    .map(x => x.c);
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Look a type or profile up by name, id or URL: the guide's own definitions first, then the loaded packages. */
export function definitionFisher(
  resources: readonly { resource: { resourceType: string; [key: string]: unknown } }[],
  defs?: { fishForFHIR(name: string, ...types: string[]): unknown }
): FishDefinition {
  return name => {
    const own = resources.find(r => r.resource.resourceType === 'StructureDefinition' && [r.resource.name, r.resource.id, r.resource.url].includes(name));
    if (own) return isElementSource(own.resource) ? own.resource : undefined;
    try {
      const fished: unknown = defs?.fishForFHIR(name, 'Resource', 'Type', 'Profile', 'Extension', 'Logical');
      return isElementSource(fished) ? fished : undefined;
    } catch {
      return undefined;
    }
  };
}
