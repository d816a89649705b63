/** Figures as the bench prints them: median of several runs with min and max; ratios pair by pair. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(values: readonly number[]): Summary {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: values.length };
}

/** a[i] / b[i] for each run i: ratios of measurements taken side by side. */
export function pairRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.slice(0, Math.min(a.length, b.length)).map((x, i) => x / b[i]!);
}

export type Unit = 'ms' | 'x' | '/s' | 'MB' | '';

export function formatValue(value: number, unit: Unit): string {
  if (Number.isNaN(value)) return 'n/a';
  if (unit === 'ms') return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  if (unit === 'x') return `${value.toFixed(2)}x`;
  if (unit === '/s') return `${Math.round(value)}/s`;
  if (unit === 'MB') return `${value.toFixed(0)} MB`;
  return String(Math.round(value * 100) / 100);
}

/** One printed row: `label  median (min-max, n runs)  target`. */
export function row(label: string, s: Summary, unit: Unit, target?: { max: number; text: string }): string {
  const spread = s.runs > 1 ? ` (min ${formatValue(s.min, unit)}, max ${formatValue(s.max, unit)}, ${s.runs} runs)` : ' (1 run)';
  const verdict = target ? `  target ${target.text}: ${s.median <= target.max ? 'met' : 'NOT met'}` : '';
  return `  ${label.padEnd(44)} ${formatValue(s.median, unit).padStart(9)}${spread}${verdict}`;
}

/** The middle value (the upper one of an even count), for the stage figures. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function round(n: number, digits = 1): number {
  return Number(n.toFixed(digits));
}
