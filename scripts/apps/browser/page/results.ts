/**
 * The result of a check as an accessible table: severity, line:col (a button that jumps there in
 * the editor), FHIRPath, message, rule and a link to the element's row on the profile's page.
 * Every value is set as text: nothing from a message can become markup.
 */
import type { CheckResult, Issue } from './client.ts';

const EXT = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-';
/** Rules that mean the input could not be read as a FHIR resource at all. */
const NOT_FHIR = new Set(['json-syntax', 'xml-syntax', 'resource-type', 'file-too-large', 'structure-depth']);

export interface ProfileInfo {
  url: string;
  title: string;
  page: string;
  type: string;
  elements: string[];
}

export interface Row {
  severity: string;
  line?: number;
  column?: number;
  expression?: string;
  message: string;
  rule: string;
}

export function rowsOf(issues: Issue[]): Row[] {
  return issues
    .filter(i => ext(i, 'message-id') !== undefined)
    .map(i => ({
      severity: i.severity,
      line: extInteger(i, 'issue-line'),
      column: extInteger(i, 'issue-col'),
      expression: i.expression?.[0],
      message: i.details?.text ?? '',
      rule: String(ext(i, 'message-id'))
    }));
}

function extInteger(issue: Issue, name: string): number | undefined {
  return issue.extension?.find(x => x.url === EXT + name)?.valueInteger;
}

function ext(issue: Issue, name: string): string | number | undefined {
  const e = issue.extension?.find(x => x.url === EXT + name);
  return e?.valueInteger ?? e?.valueString;
}

export function renderResults(target: HTMLElement, result: CheckResult, profile: ProfileInfo | undefined, jump: (line: number, col: number) => void): void {
  target.replaceChildren();
  const rows = rowsOf(result.outcome.issue);
  const counts: Record<string, number> = { error: 0, warning: 0, information: 0 };
  for (const r of rows) counts[r.severity] = (counts[r.severity] ?? 0) + 1;
  const notFhir = rows.length === 1 && NOT_FHIR.has(rows[0]!.rule) && !rows[0]!.expression;
  target.append(summary(rows, counts, notFhir, result));
  if (result.missing.length > 0) target.append(missingNote(result.missing));
  if (rows.length > 0) target.append(table(rows, profile, jump));
  target.dataset.state = 'done';
  target.dataset.ms = String(Math.round(result.ms * 10) / 10);
}

function summary(rows: Row[], counts: Record<string, number>, notFhir: boolean, result: CheckResult): HTMLElement {
  const box = el('div', notFhir || counts.error ? 'nhsuk-error-summary' : 'nhsuk-inset-text');
  const heading = el('h2', notFhir || counts.error ? 'nhsuk-error-summary__title' : '');
  heading.id = 'vm-check-summary';
  if (notFhir) {
    heading.textContent = 'This is not a FHIR message';
    box.append(
      heading,
      para(`${rows[0]!.message}. The check reads one FHIR resource, as JSON (an object with "resourceType") or as XML in the FHIR namespace.`)
    );
    return box;
  }
  const what = result.resourceType ? `${result.resourceType}: ` : '';
  heading.textContent =
    rows.length === 0
      ? `${what}no problems found`
      : `${what}${plural(counts.error!, 'error')}, ${plural(counts.warning!, 'warning')}, ${counts.information} information`;
  box.append(heading, para(`Checked in ${Math.max(1, Math.round(result.ms))} ms, in this browser.`));
  return box;
}

function missingNote(missing: string[]): HTMLElement {
  const box = el('div', 'nhsuk-warning-callout');
  const h = el('h3', 'nhsuk-warning-callout__label');
  h.textContent = 'Not all definitions are on this page';
  const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
  box.append(
    h,
    para(
      `This message names definitions from FHIR R4 that this page does not carry (${shown}), so the result may differ from npx vm-ig validate, which checks them all.`
    )
  );
  return box;
}

/** The columns, in order: each cell repeats its column's name for the stacked cards of small screens. */
const COLUMNS = ['Severity', 'Line:col', 'FHIRPath', 'Message', 'Rule', 'Element'];

function table(rows: Row[], profile: ProfileInfo | undefined, jump: (line: number, col: number) => void): HTMLElement {
  const wrap = el('div', 'vm-check__table-wrap');
  const t = el('table', 'nhsuk-table nhsuk-table-responsive vm-cards vm-check__table');
  const colgroup = el('colgroup');
  for (const name of COLUMNS) colgroup.append(el('col', `vm-check__col vm-check__col--${name.toLowerCase().replace(/[^a-z]/g, '')}`));
  const caption = el('caption', 'nhsuk-table__caption');
  caption.textContent = 'Issues found';
  const head = el('thead', 'nhsuk-table__head');
  const hr = el('tr', 'nhsuk-table__row');
  for (const h of COLUMNS) {
    const th = el('th', 'nhsuk-table__header');
    th.scope = 'col';
    th.textContent = h;
    hr.append(th);
  }
  head.append(hr);
  const body = el('tbody', 'nhsuk-table__body');
  for (const r of rows) body.append(issueRow(r, profile, jump));
  t.append(caption, colgroup, head, body);
  wrap.append(t);
  return wrap;
}

function issueRow(r: Row, profile: ProfileInfo | undefined, jump: (line: number, col: number) => void): HTMLElement {
  const tr = el('tr', 'nhsuk-table__row vm-check__issue');
  tr.dataset.severity = r.severity;
  const severity = el('strong', `nhsuk-tag nhsuk-tag--${r.severity === 'error' ? 'red' : r.severity === 'warning' ? 'yellow' : 'blue'}`);
  severity.textContent = r.severity;
  let where: HTMLElement | string = '-';
  if (r.line !== undefined) {
    const b = el('button', 'vm-check__jump');
    b.type = 'button';
    b.textContent = `${r.line}:${r.column ?? 1}`;
    b.setAttribute('aria-label', `Go to line ${r.line}, column ${r.column ?? 1}`);
    b.addEventListener('click', () => jump(r.line!, r.column ?? 1));
    where = b;
    tr.dataset.line = String(r.line);
    tr.dataset.column = String(r.column ?? '');
  }
  const code = (text: string | undefined) => {
    if (!text) return '';
    const c = el('code', 'vm-name');
    c.append(...breakable(text));
    return c;
  };
  const id = profile && r.expression ? elementId(profile, r.expression) : undefined;
  let link: HTMLElement | string = '';
  if (id && profile) {
    const a = el('a');
    a.href = `${profile.page}#${encodeURIComponent(id).replace(/%3A/g, ':').replace(/%2F/g, '/')}`;
    a.className = 'vm-name';
    a.append(...breakable(id));
    link = a;
  }
  [severity, where, code(r.expression), r.message, code(r.rule), link].forEach((content, i) => {
    const td = el('td', 'nhsuk-table__cell');
    const heading = el('span', 'nhsuk-table-responsive__heading');
    heading.setAttribute('aria-hidden', 'true');
    heading.textContent = `${COLUMNS[i]} `;
    const value = el('span', 'vm-cards__value');
    value.append(content);
    td.append(heading, value);
    tr.append(td);
  });
  return tr;
}

/**
 * The profile element a FHIRPath points at: indices dropped, choice names (`valueQuantity`)
 * mapped to `value[x]`; the deepest element the profile defines (slices are not told apart).
 */
export function elementId(profile: ProfileInfo, expression: string): string | undefined {
  const steps = expression.replace(/\[\d+\]/g, '').split('.');
  if (steps[0] !== profile.type) return undefined;
  const ids = new Set(profile.elements);
  let id = profile.type;
  for (const step of steps.slice(1)) {
    if (ids.has(`${id}.${step}`)) id = `${id}.${step}`;
    else {
      const choice = profile.elements.find(
        e => e.startsWith(`${id}.`) && e.endsWith('[x]') && !e.slice(id.length + 1).includes('.') && step.startsWith(e.slice(id.length + 1, -3))
      );
      if (!choice) break;
      id = choice;
    }
  }
  return ids.has(id) ? id : undefined;
}

/**
 * A FHIRPath, rule or element id as text that may wrap only after its separators (`.`, `:`, `-`,
 * `/`), never inside a name: text nodes with <wbr> between them (copying it gives the text).
 */
export function breakable(text: string): Node[] {
  const pieces = text.split(/(?<=[.:\-/])(?=[A-Za-z0-9])/);
  return pieces.flatMap((p, i) => (i === 0 ? [document.createTextNode(p)] : [document.createElement('wbr'), document.createTextNode(p)]));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function para(text: string): HTMLElement {
  const p = el('p');
  p.textContent = text;
  return p;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}
