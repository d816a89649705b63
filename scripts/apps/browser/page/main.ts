/**
 * The check page's script: reads the page data (a JSON block), wires the editor, drop zone, file
 * picker, samples and profile choice, and shows each check's result. The validator itself loads
 * on the first check (client.ts).
 */
import { isJsonObject } from '../../../fhir/json.ts';
import { CheckClient } from './client.ts';
import { Editor } from './editor.ts';
import { renderResults, type ProfileInfo } from './results.ts';

interface Sample {
  name: string;
  title: string;
  text: string;
}
interface PageData {
  validator: string;
  definitions: string;
  profiles: ProfileInfo[];
  examples: Sample[];
  errors: Sample[];
}

const MAX_BYTES = 32 * 1024 * 1024;

/** The page's element `id`, checked to be a `type` (the page template and this script are built together). */
function $<T extends HTMLElement>(id: string, type: new () => T): T;
function $(id: string): HTMLElement;
function $(id: string, type: new () => HTMLElement = HTMLElement): HTMLElement {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the check page has no ${type.name} #${id}`);
  return el;
}

/** The page data (the JSON the render stage writes into #vm-check-data), checked member by member. */
function pageDataOf(json: string | undefined): PageData | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json ?? '');
  } catch {
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  const { validator, definitions, profiles, examples, errors } = value;
  if (typeof validator !== 'string' || typeof definitions !== 'string') return undefined;
  if (!Array.isArray(profiles) || !profiles.every(isProfileInfo)) return undefined;
  if (!Array.isArray(examples) || !examples.every(isSample) || !Array.isArray(errors) || !errors.every(isSample)) return undefined;
  return { validator, definitions, profiles, examples, errors };
}

function isSample(value: unknown): value is Sample {
  return isJsonObject(value) && typeof value.name === 'string' && typeof value.title === 'string' && typeof value.text === 'string';
}

function isProfileInfo(value: unknown): value is ProfileInfo {
  return (
    isJsonObject(value) &&
    ['url', 'title', 'page', 'type'].every(k => typeof value[k] === 'string') &&
    Array.isArray(value.elements) &&
    value.elements.every(e => typeof e === 'string')
  );
}

function start(): void {
  const dataEl = document.getElementById('vm-check-data');
  if (!dataEl) return;
  const data = pageDataOf(dataEl.dataset.json);
  if (!data) throw new Error('the check page has no valid #vm-check-data block');
  const editor = new Editor($('vm-check-input', HTMLTextAreaElement), $('vm-check-lines'), $('vm-check-position'));
  const client = new CheckClient(data);
  const status = $('vm-check-status');
  const results = $('vm-check-results');
  const profileSelect = $('vm-check-profile', HTMLSelectElement);
  const runButton = $('vm-check-run', HTMLButtonElement);
  let name = 'message.json';
  let checks = 0;
  /** A file being read: a check waits for it, so it never checks the text the file replaces. */
  let reading: Promise<void> = Promise.resolve();

  const load = (text: string, fileName: string) => {
    editor.value = text;
    name = fileName;
    results.replaceChildren();
    results.dataset.state = 'empty';
    status.textContent = `Loaded ${fileName}. Choose Check message to check it.`;
  };

  const run = async () => {
    await reading;
    const text = editor.value;
    if (text.trim() === '') {
      status.textContent = 'There is nothing to check yet: paste a message, drop a file or load an example.';
      return;
    }
    const started = performance.now();
    runButton.disabled = true;
    results.dataset.state = 'running';
    status.textContent = client.loaded ? 'Checking...' : 'Loading the validator (first check only) and checking...';
    try {
      const result = await client.check(text, name, profileSelect.value || undefined);
      renderResults(results, result, profileFor(data.profiles, profileSelect.value, text), (l, c) => editor.jump(l, c));
      results.dataset.total = String(Math.round((performance.now() - started) * 10) / 10);
      results.dataset.checks = String(++checks);
      status.textContent = 'Check finished: the results follow.';
      results.focus();
    } catch (e) {
      results.dataset.state = 'failed';
      status.textContent = `The check could not run: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      runButton.disabled = false;
    }
  };

  runButton.addEventListener('click', () => void run());
  $('vm-check-clear').addEventListener('click', () => load('', 'message.json'));
  editor.text.addEventListener('input', () => (name = editor.value.trimStart().startsWith('<') ? 'message.xml' : 'message.json'));
  editor.text.addEventListener('keydown', e => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void run();
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('.vm-check__sample')) {
    button.addEventListener('click', () => {
      const set = button.dataset.set === 'errors' ? data.errors : data.examples;
      const sample = set[Number(button.dataset.index)];
      if (!sample) return;
      load(sample.text, sample.name);
      editor.text.focus();
    });
  }
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      status.textContent = `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the check reads files up to 32 MB.`;
      return;
    }
    load(await file.text(), file.name);
  };
  const picker = $('vm-check-file', HTMLInputElement);
  picker.addEventListener('change', () => void (reading = readFile(picker.files?.[0])));
  const drop = $('vm-check-drop');
  drop.addEventListener('dragover', e => {
    e.preventDefault();
    drop.classList.add('vm-editor--drop');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('vm-editor--drop'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('vm-editor--drop');
    reading = readFile(e.dataTransfer?.files[0]);
  });
}

/** The chosen profile, or the first guide profile the message claims (read without parsing it all). */
function profileFor(profiles: ProfileInfo[], chosen: string, text: string): ProfileInfo | undefined {
  if (chosen) return profiles.find(p => p.url === chosen);
  return profiles.find(p => text.includes(p.url));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
