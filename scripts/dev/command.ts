/** `vm-ig dev` (issue #7). Undefined until the dev server lands. */
export interface DevCommandOptions {
  root: string;
  port: number;
  host: string;
}

export const devCommand: ((options: DevCommandOptions) => Promise<number>) | undefined = undefined;
