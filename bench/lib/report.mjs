// What every benchmark prints: tables for people, and one last line of JSON,
// {"name": ..., "figures": [...]}, that bench/run.mjs collects.

export const MiB = 1024 * 1024;

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** p50 and p95 of millisecond samples, rounded to 0.1 ms. */
export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = ms => Math.round(ms * 10) / 10;
  return {
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    n: samples.length,
  };
}

export function round(value, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * A figure of the final JSON line. `reference` is the same measure of the
 * thing DataFlex is compared with, taken in the same run; `ratio` is
 * value / reference. `target` is what the issue asks for, as text.
 */
export function figure(label, value, unit, options = {}) {
  const { reference, referenceLabel, target } = options;
  return {
    label,
    value,
    unit,
    ...(reference !== undefined
      ? {
          reference: { label: referenceLabel, value: reference },
          ratio: reference ? round(value / reference, 2) : undefined,
        }
      : {}),
    ...(target ? { target } : {}),
  };
}

export function printResult(name, figures) {
  console.log(JSON.stringify({ name, figures }));
}

export function table(title, rows, columns) {
  const widths = columns.map(c =>
    Math.max(c.label.length, ...rows.map(r => String(r[c.key] ?? '').length)),
  );
  const line = cells =>
    cells
      .map((cell, i) =>
        i === 0 || columns[i].align === 'left'
          ? String(cell ?? '').padEnd(widths[i])
          : String(cell ?? '').padStart(widths[i]),
      )
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(columns.map(c => c.label)));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(columns.map(c => r[c.key])));
}
