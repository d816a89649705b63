/**
 * The API reference as the site shows it (`{% include api-reference.md %}`), from the same data the
 * IG Publisher's markdown is written from (scripts/lib/openapi/reference.ts). Its tables stack into
 * labelled cards on small screens, and a parameter name breaks only after its separators
 * (`subject:` `Patient.` `identifier`), never inside a word.
 */
import type { ApiReference } from '../../../lib/openapi/reference.ts';
import { PARAMETER_HEADER, RESPONSE_HEADER, SERVER_HEADER } from '../../../lib/openapi/reference.ts';
import { html, joinHtml, type SafeHtml } from '../html.ts';
import { fhirMarkdown, type SiteContext } from '../page.ts';

export function apiReferenceHtml(site: SiteContext, ref: ApiReference): SafeHtml {
  const md = (text: string) => fhirMarkdown(site, text, true);
  const parts: SafeHtml[] = [fhirMarkdown(site, ref.intro)];
  if (ref.servers.length > 0) {
    parts.push(
      html`<h3 id="base-urls">Base URLs</h3>`,
      cardTable(
        'servers',
        'Base URL of each environment',
        SERVER_HEADER,
        ref.servers.map(s => [s.environment, html`<code class="vm-url">${s.url}</code>`, md(s.notes)])
      )
    );
  }
  for (const op of ref.operations) {
    const id = `${op.method}-${op.path}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/-$/, '');
    parts.push(
      html`<h3 id="${id}"><code>${op.method} ${op.path}</code>: ${op.summary}</h3>`,
      cardTable(
        'params',
        `Headers and parameters of ${op.method} ${op.path}`,
        PARAMETER_HEADER,
        op.parameters.map(p => [parameterName(p.name), p.in, p.required ? 'yes' : 'no', md(p.values), md(p.description)])
      ),
      cardTable(
        'responses',
        `Responses of ${op.method} ${op.path}`,
        RESPONSE_HEADER,
        op.responses.map(r => [r.status, md(r.description), md(r.examples)])
      )
    );
  }
  return joinHtml(parts, '\n');
}

/** A name that may wrap only after `:`, `.`, `-`, `/` or `|` between two letters or digits. */
export function parameterName(name: string): SafeHtml {
  const pieces = name.split(/(?<=[A-Za-z0-9][:.\-/|])(?=[A-Za-z0-9])/);
  return html`<code class="vm-name">${joinHtml(pieces, '<wbr>')}</code>`;
}

/**
 * A table in nhsuk-frontend's responsive form: the header row on wide screens; on narrow ones each
 * row a card whose cells carry their column's name (`nhsuk-table-responsive__heading`). `kind` gives
 * the columns their widths (site.css).
 */
export function cardTable(
  kind: 'servers' | 'params' | 'responses',
  caption: string,
  header: readonly string[],
  rows: readonly (readonly (SafeHtml | string)[])[]
): SafeHtml {
  const th = header.map(h => html`<th scope="col" class="nhsuk-table__header">${h}</th>`);
  const body = rows.map(
    cells =>
      html`<tr class="nhsuk-table__row">${cells.map(
        (c, i) =>
          html`<td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">${header[i]} </span><span class="vm-cards__value">${c}</span></td>`
      )}</tr>`
  );
  return html`<table class="nhsuk-table-responsive vm-cards vm-api-table vm-api-table--${kind}"><caption class="nhsuk-table__caption nhsuk-u-visually-hidden">${caption}</caption><thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${th}</tr></thead><tbody class="nhsuk-table__body">${body}</tbody></table>`;
}
