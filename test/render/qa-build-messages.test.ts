/** qa.html lists the build's own messages (configuration, compile), next to the validation report. */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';
import { makeProject, MINIMAL_CONFIG, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

describe('qa.html build messages', () => {
  it('shows a compile warning from SUSHI, once, under Build messages', async () => {
    const config = MINIMAL_CONFIG.replace(/menu:\n\s+Home: index.html\n/, '');
    const root = makeProject({
      'sushi-config.yaml': config,
      'input/pagecontent/index.md': '### Home\n',
      'fsh/cs.fsh': 'CodeSystem: Codes\nId: codes\n* #a "A"\n'
    });
    cpSync(join(REPO_ROOT, 'site'), join(root, 'site'), { recursive: true });
    const result = await runPipeline(root, ['site'], { packageCache: SHARED_PACKAGE_CACHE });
    const warning = result.diagnostics.find(d => d.severity === 'warning' && /No "menu" property/.test(d.message));
    expect(warning).toBeDefined();
    const qa = readFileSync(join(root, 'build', 'site', 'qa.html'), 'utf8');
    const build = qa.slice(qa.indexOf('id="build"'), qa.indexOf('id="links"'));
    expect(build).toContain('No &quot;menu&quot; property');
    expect(build.match(/No &quot;menu&quot; property/g)).toHaveLength(1);
  });
});
