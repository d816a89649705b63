/** `vm-ig validate [FILE...]` (issue #4). Undefined until the validator lands. */
export interface ValidateCommandOptions {
  root: string;
  files: string[];
  format: 'text' | 'json';
  profile?: string;
  load: string[];
}

export const validateCommand: ((options: ValidateCommandOptions) => Promise<number>) | undefined = undefined;
