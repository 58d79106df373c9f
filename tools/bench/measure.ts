// Why this exists: the timing and table printing shared by every bench in tools/bench, so each bench is
// only the work it measures. Figures are printed, never judged: no thresholds, no pass or fail.
// Supports docs/performance.md "The cost of the cryptography" (the numbers this reproduces) and README's `npm
// run bench`.
import { performance } from 'node:perf_hooks';

export interface Measurement {
  label: string;
  iterations: number;
  meanMs: number;
  p95Ms: number;
  /** Operations per second on the one core that ran them (1000 / mean). */
  perSecond: number;
}

export interface MeasureOptions {
  warmup: number;
  iterations: number;
}

/** Runs `step` `warmup` times unmeasured, then `iterations` times one after another, timing each run. */
export async function measure(
  label: string,
  options: MeasureOptions,
  step: () => Promise<unknown> | unknown,
): Promise<Measurement> {
  for (let i = 0; i < options.warmup; i += 1) await step();
  const durations: number[] = [];
  for (let i = 0; i < options.iterations; i += 1) {
    const start = performance.now();
    await step();
    durations.push(performance.now() - start);
  }
  return summarise(label, durations);
}

export function summarise(label: string, durations: number[]): Measurement {
  const sorted = [...durations].sort((a, b) => a - b);
  const meanMs = sorted.reduce((sum, value) => sum + value, 0) / Math.max(sorted.length, 1);
  const p95Ms = sorted[Math.max(Math.ceil(sorted.length * 0.95) - 1, 0)] ?? 0;
  return { label, iterations: sorted.length, meanMs, p95Ms, perSecond: meanMs > 0 ? 1000 / meanMs : 0 };
}

function formatMs(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Prints measurements as an aligned plain-text table. */
export function printTable(title: string, rows: Measurement[]): void {
  const header = ['operation', 'n', 'mean ms', 'p95 ms', 'per s (1 core)'];
  const body = rows.map((row) => [
    row.label,
    String(row.iterations),
    formatMs(row.meanMs),
    formatMs(row.p95Ms),
    row.perSecond >= 100 ? row.perSecond.toFixed(0) : row.perSecond.toFixed(1),
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...body.map((line) => (line[column] ?? '').length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(`\n${title}`);
  console.log(render(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of body) console.log(render(line));
}
