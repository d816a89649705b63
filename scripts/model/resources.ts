/** The compiled guide's resources as every layer sees them (compile/ makes them, the rest reads them). */

/** A compiled FHIR resource with what we know about where it came from. */
export interface CompiledResource {
  /** File name in fsh-generated/resources, the same name `sushi build` uses. */
  fileName: string;
  resource: FhirResource;
  /** For instances: the profile or type named by FSH `InstanceOf`. */
  instanceOf?: string;
  /** `example`, `definition` or `inline` for instances; undefined for definitions. */
  usage?: string;
  /** FSH source of the definition, relative to the project root. */
  source?: { file: string; startLine: number; endLine: number };
  /** Its FSH rules with their positions, to map validation issues back to them (stages/compile/fsh-locations.ts). */
  rules?: FshRuleLocation[];
  /**
   * For predefined resources (input/resources, input/examples, ...): the project-relative file
   * it was read from. These are not written to fsh-generated/, which stays what SUSHI writes.
   */
  predefined?: string;
}

export interface FhirResource {
  resourceType: string;
  id?: string;
  url?: string;
  [key: string]: unknown;
}

/** One FSH rule of a compiled resource, as the compile records it. */
export interface FshRuleLocation {
  /** The rule's element path (`component[systolic].code`, `` for the entity itself). */
  path: string;
  /** A caret rule's path after `^`. */
  caret?: string;
  /** Value set include/exclude rules, and code system concept rules (`codes` = hierarchy and code). */
  kind?: 'include' | 'exclude' | 'concept';
  codes?: string[];
  file: string;
  line: number;
  column: number;
}

/** What the compile stage hands on: the compiled resources, the guide's own IG resource, counts by kind. */
export interface CompiledGuide {
  resources: CompiledResource[];
  implementationGuide?: CompiledResource;
  counts: Record<string, number>;
  /** The FHIR packages the compile loaded (`id#version`), when it ran rather than came from the build cache. */
  loadedPackages?: string[];
}
