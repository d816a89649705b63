/**
 * What `vm-ig diff` reports: every artifact added, removed or changed since a previous release,
 * and every change classified for the two kinds of system an implementation guide describes.
 *
 * - A **producer** creates the resource (a server that answers with the profiled Observation, a
 *   system that sends an instance, a server that implements a CapabilityStatement).
 * - A **consumer** reads it (a client that parses the Observation, a client that calls the API).
 *
 * A change is *breaking* for a side when a system of that side that conformed to the previous
 * release may not conform, or may fail, with this one; otherwise it is *compatible*. The table
 * below is the whole classification: each rule's id, its class for producers and consumers, and
 * why. The README repeats it.
 */

/** The sushi-config.yaml `parameters` entry naming the release to compare with. */
export const PREVIOUS_RELEASE_PARAMETER = 'vm-previous-release';

export type Impact = 'breaking' | 'compatible';

export interface RuleDef {
  producer: Impact;
  consumer: Impact;
  /** Why, in a few words (the README's table and the JSON output carry it). */
  why: string;
}

const B: Impact = 'breaking';
const C: Impact = 'compatible';

/** The classification table. Keys are the stable rule ids printed with every change. */
export const RULES = {
  // Artifacts
  'artifact-added': { producer: C, consumer: C, why: 'a new artifact asks nothing of existing systems' },
  'artifact-removed': { producer: B, consumer: B, why: 'systems that claim or read it lose their definition' },
  'url-changed': { producer: B, consumer: B, why: 'the canonical URL is how instances and other guides name it' },
  'id-changed': { producer: B, consumer: B, why: 'the id is how references and the package name it' },
  'type-changed': { producer: B, consumer: B, why: 'the profile now constrains another type' },
  'metadata-changed': { producer: C, consumer: C, why: 'status, title, name or maturity: no effect on instances' },
  'text-changed': { producer: C, consumer: C, why: 'descriptions, definitions and comments' },
  'example-added': { producer: C, consumer: C, why: 'examples are informative' },
  'example-removed': { producer: C, consumer: C, why: 'examples are informative' },
  'example-changed': { producer: C, consumer: C, why: 'examples are informative' },
  'definition-changed': { producer: B, consumer: B, why: 'a resource type this tool does not analyse changed: assumed breaking' },
  // Elements of profiles, extensions and logical models (snapshots, by element id)
  'min-raised': { producer: B, consumer: C, why: 'producers must now send what they could leave out' },
  'min-lowered': { producer: C, consumer: B, why: 'consumers may no longer get what they relied on' },
  'max-lowered': { producer: B, consumer: C, why: 'producers may send more repetitions than now allowed' },
  'max-raised': { producer: C, consumer: B, why: 'consumers may get more repetitions than they handle' },
  'element-prohibited': { producer: B, consumer: B, why: 'max 0: producers must stop sending it, consumers stop getting it' },
  'element-removed': { producer: B, consumer: B, why: 'the element or slice no longer exists: readers of it break, senders may fail' },
  'element-added': { producer: C, consumer: C, why: 'a new optional element or slice (open slicing: consumers already ignore unknown items)' },
  'required-element-added': { producer: B, consumer: C, why: 'a new element or slice with min >= 1: producers must send it' },
  'slice-added-to-closed': { producer: C, consumer: B, why: 'a closed slicing gains a slice: consumers meet items they did not expect' },
  'type-removed': { producer: B, consumer: C, why: 'producers sending that type (a choice narrowed) become invalid' },
  'type-added': { producer: C, consumer: B, why: 'consumers may get a type (a choice widened) they cannot read' },
  'profile-narrowed': { producer: B, consumer: C, why: 'a type or reference target must now meet a (stricter) profile' },
  'profile-widened': { producer: C, consumer: B, why: 'a type or reference target may now be something consumers did not expect' },
  'binding-strength-raised': { producer: B, consumer: C, why: 'codes outside the value set, allowed before, are not now' },
  'binding-strength-lowered': { producer: C, consumer: B, why: 'consumers may get codes outside the value set' },
  'binding-valueset-narrowed': { producer: B, consumer: C, why: 'codes producers send may have left the bound value set' },
  'binding-valueset-widened': { producer: C, consumer: C, why: 'more codes are allowed (consumers should tolerate codes they do not know)' },
  'binding-valueset-changed': { producer: B, consumer: B, why: 'another value set, whose codes could not be compared' },
  'binding-added': { producer: B, consumer: C, why: 'codes are now constrained' },
  'binding-removed': { producer: C, consumer: B, why: 'codes are no longer constrained' },
  'invariant-added': { producer: B, consumer: C, why: 'a new rule instances must meet' },
  'invariant-removed': { producer: C, consumer: B, why: 'consumers may get instances the rule used to exclude' },
  'invariant-changed': { producer: B, consumer: B, why: 'the expression changed: stricter or looser cannot be told' },
  'invariant-text-changed': { producer: C, consumer: C, why: 'only the human description or severity wording changed' },
  'fixed-added': { producer: B, consumer: C, why: 'producers must now send exactly this value' },
  'fixed-changed': { producer: B, consumer: B, why: 'producers must send the new value, consumers that test the old one break' },
  'fixed-removed': { producer: C, consumer: B, why: 'consumers may get other values' },
  'pattern-added': { producer: B, consumer: C, why: 'producers must now send values that match this pattern' },
  'pattern-changed': { producer: B, consumer: B, why: 'producers must match the new pattern, consumers that test the old one break' },
  'pattern-removed': { producer: C, consumer: B, why: 'consumers may get values the pattern excluded' },
  'must-support-added': { producer: B, consumer: B, why: 'producers must populate it when known, consumers must process it' },
  'must-support-removed': { producer: C, consumer: C, why: 'an obligation is lifted' },
  'modifier-added': { producer: C, consumer: B, why: 'consumers must understand it before using the resource' },
  'modifier-removed': { producer: C, consumer: C, why: 'an obligation is lifted' },
  'slicing-closed': { producer: B, consumer: C, why: 'items that match no slice, allowed before, are refused' },
  'slicing-opened': { producer: C, consumer: B, why: 'consumers may get items that match no slice' },
  'slicing-ordered': { producer: B, consumer: C, why: 'slices must now come in order' },
  'slicing-unordered': { producer: C, consumer: B, why: 'consumers may get slices out of order' },
  'slicing-discriminator-changed': { producer: B, consumer: B, why: 'items are told apart by another path' },
  'max-length-lowered': { producer: B, consumer: C, why: 'longer strings, allowed before, are not now' },
  'max-length-raised': { producer: C, consumer: B, why: 'consumers may get longer strings than they store' },
  'context-removed': { producer: B, consumer: C, why: 'the extension may no longer be used where it was' },
  'context-added': { producer: C, consumer: C, why: 'the extension may be used in more places' },
  // Terminology
  'code-removed': { producer: B, consumer: C, why: 'producers sending the code become invalid' },
  'code-added': { producer: C, consumer: C, why: 'a new code (consumers should tolerate codes they do not know)' },
  'display-changed': { producer: C, consumer: C, why: 'display text is not part of the code' },
  'valueset-narrowed': { producer: B, consumer: C, why: 'codes left the value set' },
  'valueset-widened': { producer: C, consumer: C, why: 'codes joined the value set' },
  'valueset-changed': { producer: B, consumer: B, why: 'the definition changed in a way whose codes could not be compared' },
  'mapping-removed': { producer: C, consumer: B, why: 'a translation systems relied on is gone' },
  'mapping-added': { producer: C, consumer: C, why: 'a new translation' },
  'mapping-changed': { producer: C, consumer: B, why: 'a translation now gives another target or equivalence' },
  // Capability statements, operations, search parameters
  'interaction-removed': { producer: C, consumer: B, why: 'clients calling it get an error' },
  'interaction-added': { producer: B, consumer: C, why: 'servers claiming the statement must now support it' },
  'resource-removed': { producer: C, consumer: B, why: 'clients calling it get an error' },
  'resource-added': { producer: B, consumer: C, why: 'servers claiming the statement must now support it' },
  'search-param-removed': { producer: C, consumer: B, why: 'clients searching by it get an error or unfiltered results' },
  'search-param-added': { producer: B, consumer: C, why: 'servers claiming the statement must now support it' },
  'operation-removed': { producer: C, consumer: B, why: 'clients invoking it get an error' },
  'operation-added': { producer: B, consumer: C, why: 'servers claiming the statement must now support it' },
  'format-removed': { producer: C, consumer: B, why: 'clients asking for that format get an error' },
  'profile-claim-changed': { producer: B, consumer: B, why: 'the profile a resource type is served with changed' },
  'parameter-removed': { producer: B, consumer: B, why: 'callers or readers of the parameter break' },
  'parameter-added': { producer: C, consumer: C, why: 'a new optional parameter' },
  'search-definition-changed': { producer: B, consumer: B, why: 'the parameter now matches other data (expression, type or base changed)' }
} as const satisfies Record<string, RuleDef>;

export type RuleId = keyof typeof RULES;

export interface Change {
  rule: RuleId;
  /** Where: the element id for profiles (`Observation.component:category.value[x]`), a FHIRPath otherwise. */
  path: string;
  old?: string;
  new?: string;
  /** One line, in words. */
  message: string;
  producer: Impact;
  consumer: Impact;
  /** Breaking when breaking for either side. */
  class: Impact;
  /** Seen only in the snapshot: neither differential mentions the element (a parent profile changed). */
  inherited?: boolean;
}

export type ArtifactStatus = 'added' | 'removed' | 'changed';

export interface ArtifactDiff {
  /** `Type/id` in the current release (the previous one's for a removed artifact). */
  ref: string;
  resourceType: string;
  id: string;
  url?: string;
  title: string;
  /** profile, extension, valueset... (the site's kinds) or `example`. */
  kind: string;
  status: ArtifactStatus;
  changes: Change[];
  /** The worst class of its changes. */
  class: Impact;
}

export interface ReleaseLabel {
  /** As given: a path or `id#version`. */
  source: string;
  packageId?: string;
  version?: string;
}

export interface DiffReport {
  previous: ReleaseLabel;
  current: ReleaseLabel;
  /** Artifacts with changes, breaking first, then by kind and ref. */
  artifacts: ArtifactDiff[];
  counts: { breaking: number; compatible: number; added: number; removed: number; changed: number; unchanged: number };
}

/** A change with its class from the table. */
export function change(rule: RuleId, path: string, message: string, values: { old?: unknown; new?: unknown; inherited?: boolean } = {}): Change {
  const def: RuleDef = RULES[rule];
  const out: Change = {
    rule,
    path,
    message,
    producer: def.producer,
    consumer: def.consumer,
    class: def.producer === 'breaking' || def.consumer === 'breaking' ? 'breaking' : 'compatible'
  };
  if (values.old !== undefined) out.old = show(values.old);
  if (values.new !== undefined) out.new = show(values.new);
  if (values.inherited) out.inherited = true;
  return out;
}

/** A value as one short line: strings as they are, everything else as compact JSON. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** "N breaking, M compatible changes ..." */
export function reportSummary(report: DiffReport): string {
  const c = report.counts;
  return (
    `${c.breaking} breaking, ${c.compatible} compatible changes since ${releaseName(report.previous)}: ` +
    `${c.added} artifacts added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged} unchanged`
  );
}

export function releaseName(r: ReleaseLabel): string {
  return r.packageId && r.version ? `${r.packageId}#${r.version}` : r.source;
}
