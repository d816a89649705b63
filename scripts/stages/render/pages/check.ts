/**
 * check.html, "Check a message": an editor with line numbers, a drop zone and file picker, a
 * profile choice, the guide's examples and a few invalid messages to load, and a results table.
 * The page works without the validator payload; its script loads it on the first check. Sample
 * texts and profile data travel as JSON in an attribute, escaped like any text, so no message
 * text can become markup.
 */
import type { CheckAssets, CheckSample } from '../check/assets.ts';
import { html } from '../html.ts';
import type { Artifact } from '../model.ts';
import { fhirJson } from '../../../fhir/json.ts';
import type { Page, SiteContext } from '../page.ts';
import { resourceOf } from '../../../fhir/r4.ts';

export const CHECK_PAGE = 'check.html';

export interface CheckPageData {
  validator: string;
  definitions: string;
  profiles: { url: string; title: string; page: string; type: string; elements: string[] }[];
  examples: CheckSample[];
  errors: CheckSample[];
}

export function checkPage(site: SiteContext, assets: CheckAssets): Page {
  const data = checkData(site, assets);
  const profileOptions = data.profiles.map(p => html`<option value="${p.url}">${p.title}</option>`);
  const body = html`<p>Paste, type or drop a FHIR message (JSON or XML) to check it against this guide's profiles and FHIR R4.
The check runs in this page, with the same validator as <code>vm-ig validate</code>: <strong>your message never leaves your browser</strong>.</p>
<link rel="stylesheet" href="assets/check/check.css">
<div class="vm-check" id="vm-check">
<noscript><div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label">JavaScript needed</h2><p>Checking a message runs the validator in this page, which needs JavaScript. Without it, use <code>npx vm-ig validate FILE</code>.</p></div></noscript>
<div class="nhsuk-form-group">
<label class="nhsuk-label" for="vm-check-profile">Profile</label>
<div class="nhsuk-hint" id="vm-check-profile-hint">Automatic uses the profiles the message claims in <code>meta.profile</code> (or its base resource type).</div>
<select class="nhsuk-select" id="vm-check-profile" aria-describedby="vm-check-profile-hint"><option value="">Automatic (from meta.profile)</option>${profileOptions}</select>
</div>
<div class="nhsuk-form-group vm-check__input">
<label class="nhsuk-label" for="vm-check-input">Message</label>
<div class="nhsuk-hint" id="vm-check-input-hint">JSON or XML. You can also drop a file on the box, or choose one.</div>
<div class="vm-editor" id="vm-check-drop"><div class="vm-editor__gutter" aria-hidden="true"><div class="vm-editor__numbers" id="vm-check-lines"></div></div>
<textarea class="nhsuk-textarea vm-editor__text" id="vm-check-input" rows="20" wrap="off" spellcheck="false" autocomplete="off" autocapitalize="off" aria-describedby="vm-check-input-hint vm-check-position"></textarea></div>
<p class="nhsuk-body-s vm-editor__position" id="vm-check-position" aria-live="off">Line 1, column 1</p>
</div>
<div class="nhsuk-form-group">
<label class="nhsuk-label" for="vm-check-file">Or choose a file</label>
<input class="nhsuk-file-upload" id="vm-check-file" type="file" accept=".json,.xml,application/json,application/fhir+json,application/xml,application/fhir+xml,text/xml">
</div>
<div class="nhsuk-button-group">
<button type="button" class="nhsuk-button" id="vm-check-run">Check message</button>
<button type="button" class="nhsuk-button nhsuk-button--secondary" id="vm-check-clear">Clear</button>
</div>
<div id="vm-check-status" class="vm-check__status" role="status" aria-live="polite"></div>
<div id="vm-check-results" class="vm-check__results" tabindex="-1" data-state="empty"></div>
${samplesSection('examples', 'Load an example', 'Each example of this guide, as published.', data.examples)}
${samplesSection('errors', 'Try an error', 'Messages with one mistake each, to see what the check reports.', data.errors)}
</div>
<div hidden id="vm-check-data" data-json="${JSON.stringify(data)}"></div>
<script src="${assets.script}" defer></script>`;
  return {
    path: CHECK_PAGE,
    title: 'Check a message',
    body,
    searchText: 'Check a message: validate a FHIR message in the browser against the profiles of this guide',
    kind: 'Page'
  };
}

function samplesSection(id: string, title: string, hint: string, samples: CheckSample[]) {
  if (samples.length === 0) return '';
  const buttons = samples.map(
    (s, i) =>
      html`<li><button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small vm-check__sample" data-set="${id}" data-index="${i}">${s.title}</button>${s.description ? html` <span class="nhsuk-body-s">${s.description}</span>` : ''}</li>`
  );
  return html`<h2 id="${id}">${title}</h2><p class="nhsuk-hint">${hint}</p><ul class="nhsuk-list vm-check__samples">${buttons}</ul>`;
}

function checkData(site: SiteContext, assets: CheckAssets): CheckPageData {
  const artifacts = site.index.artifacts;
  const profiles = artifacts.filter(a => a.kind === 'profile').map(profileData);
  const examples = artifacts.filter(a => a.kind === 'example').map(a => ({ name: `${a.base}.json`, title: a.title, text: fhirJson(a.resource) }));
  return { validator: assets.validator, definitions: assets.definitions, profiles, examples, errors: assets.errors };
}

function profileData(a: Artifact): CheckPageData['profiles'][number] {
  const elements = (resourceOf(a.resource, 'StructureDefinition')?.snapshot?.element ?? []).map(e => e.id ?? '').filter(Boolean);
  return { url: String(a.resource.url), title: a.title, page: a.page, type: String(a.resource.type), elements };
}
