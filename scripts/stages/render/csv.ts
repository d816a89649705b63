/**
 * The IG Publisher's per-profile CSV (`StructureDefinition-{id}.csv`, all of them in `csvs.zip`):
 * one row per snapshot element, in the columns and forms of its CSV writer (Path, Slice Name,
 * Alias(s) ... Condition(s), Constraint(s), then one "Mapping: {name}" column per mapping the
 * profile declares). Values are quoted, quotes doubled; Min, Max, Maximum Length and the base
 * cardinality are written bare, as that writer writes them.
 */
import type { FhirResource } from '../../model/resources.ts';
import { resourceOf, type ElementDefinition, type StructureDefinitionMapping } from '../../fhir/r4.ts';

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

export function profileCsv(sd: FhirResource): string | undefined {
  const profile = resourceOf(sd, 'StructureDefinition');
  const elements = profile?.snapshot?.element;
  if (!elements?.length) return undefined;
  const maps = (profile?.mapping ?? []).filter(m => m.identity);
  const lines = [[...TITLES, ...maps.map(m => `Mapping: ${m.name ?? m.identity}`)].map(quoted).join(',')];
  for (const ed of elements) lines.push(row(ed, maps).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function row(ed: ElementDefinition, maps: StructureDefinitionMapping[]): string[] {
  const binding = ed.binding;
  const slicing = ed.slicing;
  const base = ed.base;
  // fixed[x], pattern[x], minValue[x]...: the one property of that stem, whatever its type.
  const properties: [string, unknown][] = Object.entries(ed);
  const choice = (prefix: string) => {
    const found = properties.find(([k]) => k.startsWith(prefix) && k.length > prefix.length && /[A-Z]/.test(k.charAt(prefix.length)));
    return found === undefined ? '' : rendered(found[1]);
  };
  const example = ed.example?.[0];
  const exampleValue = example && Object.entries(example).find(([k]) => k.startsWith('value'));
  const types = (ed.type ?? []).map(
    t =>
      `${t.code ?? ''}${t.profile?.length ? ` {${t.profile.join(', ')}}` : ''}${t.targetProfile?.length ? ` {${t.targetProfile.join(', ')}}` : ''}${t.aggregation?.length ? ` (${itemList(t.aggregation)})` : ''}`
  );
  const codes = (ed.code ?? []).map(c => `${c.system ?? ''}${c.code === undefined ? '' : `#${c.code}`}${c.display === undefined ? '' : ` (${c.display})`}`);
  const constraints = (ed.constraint ?? []).map(c => `${c.key ?? ''}:${c.human ?? ''} {${c.expression ?? ''}}`);
  const discriminators = (slicing?.discriminator ?? []).map(d => `${d.type ?? ''}:${d.path ?? ''}`);
  const edMaps = ed.mapping ?? [];
  return [
    quoted(text(ed.path)),
    quoted(text(ed.sliceName)),
    quoted(itemList(ed.alias ?? [])),
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
    quoted(exampleValue ? rendered(exampleValue[1]) : ''),
    quoted(choice('minValue')),
    quoted(choice('maxValue')),
    bare(ed.maxLength),
    ...(binding ? [quoted(text(binding.strength)), quoted(text(binding.description)), quoted(text(binding.valueSet))] : ['', '', '']),
    quoted(itemList(codes)),
    ...(slicing
      ? [quoted(itemList(discriminators)), quoted(text(slicing.description)), slicing.ordered === true ? 'Y' : '', quoted(text(slicing.rules))]
      : ['', '', '', '']),
    ...(base ? [quoted(text(base.path)), bare(base.min), bare(base.max)] : ['', '', '']),
    quoted(itemList(ed.condition ?? [])),
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
