/**
 * What an FSH edit can affect, worked out from the sources alone: every definition, rule set and
 * alias becomes a node with a fingerprint (its file, place and exact text) and the names it can
 * be referred to by; a node depends on every node whose name appears in its text (children of a
 * parent, instances of a profile, users of a value set, code system, rule set, alias or
 * invariant, instances referring to other instances). An edit changes the fingerprints of the
 * nodes it touches; incremental.ts follows the mentions from there. Mentioning a name counts
 * even inside a string or a comment: the graph may say too much, never too little.
 */

/** The tank's parts we read (fsh-sushi's FSHTank and FSHDocument). */
export interface TankLike {
  docs: readonly DocLike[];
}

interface DocLike {
  file?: string;
  profiles: Map<string, EntityLike>;
  extensions: Map<string, EntityLike>;
  logicals: Map<string, EntityLike>;
  resources: Map<string, EntityLike>;
  instances: Map<string, EntityLike>;
  valueSets: Map<string, EntityLike>;
  codeSystems: Map<string, EntityLike>;
  invariants: Map<string, EntityLike>;
  mappings: Map<string, EntityLike>;
}

interface EntityLike {
  name: string;
  id?: string;
  sourceInfo: { file?: string; location?: { startLine: number; startColumn: number; endLine: number; endColumn: number } };
}

/** `sd`, `instance`, `valueSet` and `codeSystem` nodes are exported; the others feed them. */
export type NodeKind = 'sd' | 'instance' | 'valueSet' | 'codeSystem' | 'invariant' | 'mapping' | 'ruleSet' | 'alias';

export interface FshNode {
  /** `kind:name`, unique per definition SUSHI can export. */
  key: string;
  kind: NodeKind;
  name: string;
  /** Names other sources can use for it: name, id, the segments of an explicit url. */
  declares: string[];
  fingerprint: string;
  tokens: Set<string>;
  text: string;
}

const ENTITY_MAPS: readonly [Exclude<keyof DocLike, 'file'>, NodeKind][] = [
  ['profiles', 'sd'],
  ['extensions', 'sd'],
  ['logicals', 'sd'],
  ['resources', 'sd'],
  ['instances', 'instance'],
  ['valueSets', 'valueSet'],
  ['codeSystems', 'codeSystem'],
  ['invariants', 'invariant'],
  ['mappings', 'mapping']
];
const RULE_SET = /^\s*RuleSet\s*:\s*([^\s(]+)/;
const ALIAS = /^\s*Alias\s*:\s*(\S+)\s*=\s*(\S+)/;
const TOKEN = /[A-Za-z0-9_\-.$]+/g;
const PLAIN_NAME = /^[A-Za-z0-9_\-.$]+$/;
const URL_RULE = /^\s*\*\s*\^?url\s*=/;

/**
 * The nodes of a parsed guide. `texts` maps each FSH file (as SUSHI names it in sourceInfo) to
 * its text; `relative` turns that name into the project-relative path kept in fingerprints.
 */
export function fshNodes(tank: TankLike, texts: ReadonlyMap<string, string>, relative: (file: string) => string = f => f): FshNode[] {
  const byKey = new Map<string, FshNode>();
  const add = (node: FshNode) => {
    const twin = byKey.get(node.key);
    // Two definitions of one key (a duplicate name, an error SUSHI reports): one node for both.
    if (twin)
      byKey.set(node.key, {
        ...twin,
        declares: [...twin.declares, ...node.declares],
        fingerprint: `${twin.fingerprint}\u0001${node.fingerprint}`,
        tokens: new Set([...twin.tokens, ...node.tokens]),
        text: `${twin.text}\n${node.text}`
      });
    else byKey.set(node.key, node);
  };
  const starts = new Map<string, number[]>();
  const entities: { kind: NodeKind; entity: EntityLike; file: string; lines: string[] }[] = [];
  const linesOf = new Map<string, string[]>();
  for (const [file, text] of texts) linesOf.set(file, text.split(/\r?\n/));
  for (const doc of tank.docs) {
    for (const [map, kind] of ENTITY_MAPS) {
      for (const entity of doc[map].values()) {
        const file = entity.sourceInfo.file ?? doc.file ?? '';
        const lines = linesOf.get(file) ?? [];
        entities.push({ kind, entity, file, lines });
        const line = entity.sourceInfo.location?.startLine;
        if (line) (starts.get(file) ?? starts.set(file, []).get(file)!).push(line);
      }
    }
  }
  for (const [file, lines] of linesOf) {
    lines.forEach((line, i) => {
      if (RULE_SET.test(line) || ALIAS.test(line)) (starts.get(file) ?? starts.set(file, []).get(file)!).push(i + 1);
    });
  }
  for (const list of starts.values()) list.sort((a, b) => a - b);
  for (const { kind, entity, file, lines } of entities) {
    const loc = entity.sourceInfo.location;
    const text = loc ? lines.slice(loc.startLine - 1, loc.endLine).join('\n') : '';
    const declares = [entity.name, ...(entity.id && entity.id !== entity.name ? [entity.id] : []), ...urlSegments(text)];
    const where = loc ? `${loc.startLine}:${loc.startColumn}-${loc.endLine}:${loc.endColumn}` : '?';
    add({ key: `${kind}:${entity.name}`, kind, name: entity.name, declares, fingerprint: `${relative(file)}@${where}\n${text}`, tokens: tokensOf(text), text });
  }
  for (const [file, lines] of linesOf) {
    const fileStarts = starts.get(file) ?? [];
    lines.forEach((line, i) => {
      const ruleSet = RULE_SET.exec(line);
      if (ruleSet) {
        const next = fileStarts.find(s => s > i + 1) ?? lines.length + 1;
        const text = lines.slice(i, next - 1).join('\n');
        add({
          key: `ruleSet:${ruleSet[1]}`,
          kind: 'ruleSet',
          name: ruleSet[1]!,
          declares: [ruleSet[1]!],
          fingerprint: `${relative(file)}@${i + 1}\n${text}`,
          tokens: tokensOf(text),
          text
        });
      }
      const alias = ALIAS.exec(line);
      if (alias)
        add({
          key: `alias:${alias[1]}`,
          kind: 'alias',
          name: alias[1]!,
          declares: [alias[1]!],
          fingerprint: `${alias[1]}=${alias[2]}`,
          tokens: tokensOf(alias[2]!),
          text: line
        });
    });
  }
  return [...byKey.values()];
}

/** The names among `names` (a map's keys or a set) that a node's text mentions. */
export function mentioned(node: FshNode, names: ReadonlyMap<string, unknown> | ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const name of names.keys()) {
    // Names with other characters (aliases may hold any) are looked for as plain text.
    if (node.tokens.has(name) || (!PLAIN_NAME.test(name) && node.text.includes(name))) out.push(name);
  }
  return out;
}

/** Words of an FSH text, with each dotted word's parts (`Foo.` at a sentence end is `Foo`). */
export function tokensOf(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const [token] of text.matchAll(TOKEN)) {
    tokens.add(token);
    if (token.includes('.')) for (const part of token.split('.')) if (part) tokens.add(part);
  }
  return tokens;
}

/** The last path segment of an explicit url rule (`* ^url = "http://x/StructureDefinition/y"` gives y). */
function urlSegments(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!URL_RULE.test(line)) continue;
    const value = line.replace(URL_RULE, '').trim().replace(/^"|"$/g, '').split('|')[0]!;
    const last = value.split('/').filter(Boolean).at(-1);
    if (last) out.push(last);
  }
  return out;
}
