import type { Prediction } from './types';

/** One scenario's prediction, named for the table. */
export interface ScenarioResult {
  scenario: string;
  layout: string;
  prediction: Prediction;
}

/** A figure a scenario's prediction must stay at or below, e.g. sign-in p99 ≤ 1 s in the v2 layout. */
export interface Target {
  label: string;
  scenario: string;
  layout: string;
  measure: (prediction: Prediction) => number;
  atMost: number;
  unit: 'ms' | 'requests' | 'USD' | 'share';
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 100_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

const formatCount = (count: number) => Math.round(count).toLocaleString('en-US');

const formatUsd = (usd: number) => `$${usd < 0.01 ? usd.toPrecision(2) : usd.toFixed(2)}`;

function formatValue(value: number, unit: Target['unit']): string {
  if (unit === 'ms') return formatMs(value);
  if (unit === 'USD') return formatUsd(value);
  if (unit === 'share') return `${(value * 100).toFixed(1)} %`;
  return formatCount(value);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

const HOT_KEY_WIDTH = 24;

function rowOf({ scenario, layout, prediction: p }: ScenarioResult): string[] {
  const perFunction = Object.entries(p.byFunction)
    .filter(([, fn]) => fn.throttledRequests > 0)
    .map(([name, fn]) => `${name} ${formatCount(fn.throttledRequests)}`);
  const hot = p.hottestKey;
  return [
    scenario,
    layout,
    formatMs(p.makespanMs),
    perFunction.length > 0 ? `${formatCount(p.throttledRequests)} (${perFunction.join(', ')})` : formatCount(p.throttledRequests),
    truncate(`${hot.index}:${hot.pk}`, HOT_KEY_WIDTH),
    `${(hot.share * 100).toFixed(1)} % ${hot.kind === 'write' ? 'W' : 'R'}`,
    `${formatCount(p.units.read)} R / ${formatCount(p.units.write)} W`,
    formatUsd(p.costUsd),
  ];
}

const HEADER = ['scenario', 'layout', 'predicted time', 'throttled (per fn)', 'hottest key', 'share', 'units', 'cost'];

/** The scenarios side by side, one row each, columns padded to their widest cell. */
export function formatTable(results: ScenarioResult[]): string {
  const rows = [HEADER, ...results.map(rowOf)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(HEADER), rule, ...rows.slice(1).map(line)].join('\n');
}

/** One line per target: its figure against the limit, met or **MISSED** (a scenario never run misses). */
export function targetRows(results: ScenarioResult[], targets: Target[]): string[] {
  return targets.map((target) => {
    const result = results.find((r) => r.scenario === target.scenario && r.layout === target.layout);
    const limit = `≤ ${formatValue(target.atMost, target.unit)}`;
    if (result === undefined) return `target ${target.label} (${target.scenario}, ${target.layout}) ${limit}: no prediction — **MISSED**`;
    const value = target.measure(result.prediction);
    const verdict = value <= target.atMost ? 'met' : '**MISSED**';
    return `target ${target.label} (${target.scenario}, ${target.layout}) ${limit}: ${formatValue(value, target.unit)} — ${verdict}`;
  });
}
