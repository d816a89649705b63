/** Where things live in a project. One place, so stages never guess paths. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fshFolderOf } from './layout.ts';

export interface ProjectPaths {
  root: string;
  config: string;
  fsh: string;
  input: string;
  pagecontent: string;
  fshGenerated: string;
  resources: string;
  build: string;
  site: string;
  theme: string;
  packageCache: string;
  userPackageCache: string;
}

export interface PathOptions {
  /** The user's FHIR package cache; `~/.fhir/packages` by default. Read-only for us. */
  userPackageCache?: string;
  /** Where the project-local package cache is; `<root>/.fhir-packages` by default. */
  packageCache?: string;
}

export function projectPaths(root: string, options: PathOptions = {}): ProjectPaths {
  const r = resolve(root);
  return {
    root: r,
    config: join(r, 'sushi-config.yaml'),
    /** input/fsh/ (SUSHI's layout) when only it exists, else fsh/; see layout.ts. */
    fsh: fshFolderOf(r),
    input: join(r, 'input'),
    pagecontent: join(r, 'input', 'pagecontent'),
    fshGenerated: join(r, 'fsh-generated'),
    resources: join(r, 'fsh-generated', 'resources'),
    build: join(r, 'build'),
    site: join(r, 'build', 'site'),
    theme: join(r, 'site'),
    packageCache: options.packageCache ?? process.env.VM_IG_PACKAGE_CACHE ?? join(r, '.fhir-packages'),
    userPackageCache: options.userPackageCache ?? process.env.FHIR_PACKAGE_CACHE ?? join(homedir(), '.fhir', 'packages')
  };
}
