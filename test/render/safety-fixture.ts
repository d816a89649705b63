/**
 * Hostile text for the safety tests: script tags, event-handler attributes, javascript: and
 * data: links and Handlebars syntax, fed through an FSH description, a page and example values.
 */
export const HOSTILE = {
  script: '<script>window.__pwned = 1</script>',
  img: '<img src=x onerror="window.__pwned = 2">',
  jsLink: '[click me](javascript:window.__pwned=3)',
  dataLink: '[data](data:text/html;base64,PHNjcmlwdD4=)',
  template: '{{constructor.constructor "window.__pwned = 4"}} {{7*7}}'
};

const markdown = Object.values(HOSTILE).join('\n\n');
const fshString = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export const HOSTILE_FILES: Record<string, string> = {
  'fsh/hostile.fsh': `
Profile: HostileProfile
Parent: Patient
Id: hostile-profile
Title: "Hostile profile"
Description: "${fshString(markdown)}"
* name 1..1 MS
* name ^short = "${fshString(HOSTILE.script)}"

Instance: hostile-example
InstanceOf: HostileProfile
Usage: #example
Title: "Hostile example"
Description: "${fshString(HOSTILE.img)}"
* name.family = "${fshString(HOSTILE.script)}"
* name.given = "${fshString(HOSTILE.template)}"
* text.status = #generated
* text.div = "<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><p>Patient</p><script>window.__pwned = 5</script><img src=\\"x\\" onerror=\\"window.__pwned = 6\\"/><a href=\\"javascript:window.__pwned=7\\">link</a></div>"
`,
  'input/pagecontent/hostile.md': `### Hostile page\n\n${markdown}\n\n<a href="javascript:window.__pwned=8">raw link</a>\n`,
  'sushi-config.yaml': `id: test.render
canonical: http://example.org/render
name: RenderFixture
title: Render fixture guide
description: A tiny guide for renderer tests.
status: draft
version: 0.0.1
fhirVersion: 4.0.1
date: 2026-01-01
publisher:
  name: Test
pages:
  index.md:
    title: Home
  guidance.md:
    title: Guidance
  hostile.md:
    title: Hostile page
menu:
  Home: index.html
  Artifacts: artifacts.html
`
};
