/**
 * The IG Publisher's per-profile CSV (`StructureDefinition-{id}.csv`, all of them in `csvs.zip`):
 * one row per snapshot element, in the columns and forms of its CSV writer (Path, Slice Name,
 * Alias(s) ... Condition(s), Constraint(s), then one "Mapping: {name}" column per mapping the
 * profile declares). Values are quoted, quotes doubled; Min, Max, Maximum Length and the base
 * cardinality are written bare, as that writer writes them.
 */
import type { FhirResource } from '../../model/resources.ts';

const TITLES = [
  'Path',
  'Slice Name',
  'Alias(s)',
  'Label',
  'Min',
  'Max',
  'Must Support?',
  'Is Modifier?',
  'Is Summary?',
  'Type(s)',
  'Short',
  'Definition',
  'Comments',
  'Requirements',
  'Default Value',
  'Meaning When Missing',
  'Fixed Value',
  'Pattern',
  'Example',
  'Minimum Value',
  'Maximum Value',
  'Maximum Length',
  'Binding Strength',
  'Binding Description',
  'Binding Value Set',
  'Code',
  'Slicing Discriminator',
  'Slicing Description',
  'Slicing Ordered',
  'Slicing Rules',
  'Base Path',
  'Base Min',
  'Base Max',
  'Condition(s)',
  'Constraint(s)'
];

type Json = Record<string, unknown>;

interface TypeRef {
  code?: string;
  profile?: string[];
  targetProfile?: string[];
  aggregation?: string[];
}

export function profileCsv(sd: FhirResource): string | undefined {
  const elements = (sd.snapshot as { element?: Json[] } | undefined)?.element;
  if (!elements?.length) return undefined;
  const maps = ((sd.mapping as { identity?: string; name?: string }[] | undefined) ?? []).filter(m => m.identity);
  const lines = [[...TITLES, ...maps.map(m => `Mapping: ${m.name ?? m.identity}`)].map(quoted).join(',')];
  for (const ed of elements) lines.push(row(ed, maps).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function row(ed: Json, maps: { identity?: string }[]): string[] {
  const binding = ed.binding as Json | undefined;
  const slicing = ed.slicing as Json | undefined;
  const base = ed.base as Json | undefined;
  const choice = (prefix: string) => {
    const key = Object.keys(ed).find(k => k.startsWith(prefix) && k.length > prefix.length && /[A-Z]/.test(k.charAt(prefix.length)));
    return key === undefined ? '' : rendered(ed[key]);
  };
  const example = (ed.example as Json[] | undefined)?.[0];
  const exampleKey = example && Object.keys(example).find(k => k.startsWith('value'));
  const types = ((ed.type as TypeRef[] | undefined) ?? []).map(
    t =>
      `${t.code ?? ''}${t.profile?.length ? ` {${t.profile.join(', ')}}` : ''}${t.targetProfile?.length ? ` {${t.targetProfile.join(', ')}}` : ''}${t.aggregation?.length ? ` (${itemList(t.aggregation)})` : ''}`
  );
  const codes = ((ed.code as { system?: string; code?: string; display?: string }[] | undefined) ?? []).map(
    c => `${c.system ?? ''}${c.code === undefined ? '' : `#${c.code}`}${c.display === undefined ? '' : ` (${c.display})`}`
  );
  const constraints = ((ed.constraint as { key?: string; human?: string; expression?: string }[] | undefined) ?? []).map(
    c => `${c.key ?? ''}:${c.human ?? ''} {${c.expression ?? ''}}`
  );
  const discriminators = ((slicing?.discriminator as { type?: string; path?: string }[] | undefined) ?? []).map(d => `${d.type ?? ''}:${d.path ?? ''}`);
  const edMaps = (ed.mapping as { identity?: string; map?: string }[] | undefined) ?? [];
  return [
    quoted(text(ed.path)),
    quoted(text(ed.sliceName)),
    quoted(itemList((ed.alias as string[] | undefined) ?? [])),
    quoted(text(ed.label)),
    bare(ed.min),
    bare(ed.max),
    quoted(ed.mustSupport === true ? 'Y' : ''),
    quoted(ed.isModifier === true ? 'Y' : ''),
    quoted(ed.isSummary === true ? 'Y' : ''),
    quoted(itemList(types)),
    quoted(text(ed.short)),
    quoted(text(ed.definition)),
    quoted(text(ed.comment)),
    quoted(text(ed.requirements)),
    quoted(choice('defaultValue')),
    quoted(text(ed.meaningWhenMissing)),
    quoted(choice('fixed')),
    quoted(choice('pattern')),
    quoted(exampleKey ? rendered(example[exampleKey]) : ''),
    quoted(choice('minValue')),
    quoted(choice('maxValue')),
    bare(ed.maxLength),
    ...(binding ? [quoted(text(binding.strength)), quoted(text(binding.description)), quoted(text(binding.valueSet))] : ['', '', '']),
    quoted(itemList(codes)),
    ...(slicing
      ? [quoted(itemList(discriminators)), quoted(text(slicing.description)), slicing.ordered === true ? 'Y' : '', quoted(text(slicing.rules))]
      : ['', '', '', '']),
    ...(base ? [quoted(text(base.path)), bare(base.min), bare(base.max)] : ['', '', '']),
    quoted(itemList((ed.condition as string[] | undefined) ?? [])),
    quoted(itemList(constraints)),
    ...maps.map(m =>
      quoted(
        edMaps
          .filter(e => e.identity === m.identity)
          .map(e => e.map ?? '')
          .join('\n')
      )
    )
  ];
}

function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function bare(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function quoted(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Items on lines of their own. */
function itemList(items: readonly string[]): string {
  return items.join('\n');
}

/** A value as JSON: primitives as their text, complex values as indented JSON. */
function rendered(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value, null, 2) : String(value);
}
