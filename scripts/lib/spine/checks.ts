/**
 * "What the sandbox checks, and what Spine checks", written from REQUEST_CHECKS (scripts/lib/spine/spine.ts),
 * the one place that says which Spine code each check gives: the Using the API page places it with
 * `{% include sandbox-checks.md %}` (the site renders it, the package stage writes it for the IG
 * Publisher), the OpenAPI description's bearer scheme carries the token rows, and the sandbox's
 * token checks take their code from the same rows.
 */
import { REQUEST_CHECKS, TOKEN_ERROR } from './spine.ts';

export const REQUEST_CHECKS_INCLUDE = 'sandbox-checks.md';

/** The sentence that states the token's one error code. */
export function tokenErrorSentence(): string {
  return `A token that is missing, cannot be decoded or fails any of the token checks below is an invalid \`Authorization\` header: HTTP 400 ${TOKEN_ERROR}. MESSAGE_NOT_WELL_FORMED is kept for a request that cannot be parsed at all (its URL, query string or HTTP framing).`;
}

/** The table, as markdown, with the token sentence after it. */
export function requestChecksMarkdown(): string {
  const line = (cells: string[]) => `| ${cells.map(c => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    line(['Check', 'Spine', 'Sandbox', 'Error code']),
    line(['---', '---', '---', '---']),
    ...REQUEST_CHECKS.map(c => line([c.check, c.spine, c.sandbox, c.codes.join(', ')])),
    '',
    tokenErrorSentence(),
    ''
  ].join('\n');
}

/** The token rows as a markdown list, for the OpenAPI bearer scheme's description. */
export function tokenChecksMarkdown(): string {
  const rows = REQUEST_CHECKS.filter(c => c.token);
  return [tokenErrorSentence(), '', ...rows.map(c => `* ${c.check}: Spine, ${c.spine}; the sandbox, ${c.sandbox} (${c.codes.join(', ')}).`)].join('\n');
}
