/** The validator's report: per file or compiled instance, its diagnostics. */
import type { Diagnostic } from './diagnostics.ts';

/** Validation result of one file or compiled instance (the validate stage fills these). */
export interface FileReport {
  /** Project-relative path, or the name the user gave. */
  file: string;
  resourceType?: string;
  id?: string;
  /** Profiles the instance was checked against. */
  profiles?: string[];
  diagnostics: Diagnostic[];
}

export interface ValidationReport {
  files: FileReport[];
}
