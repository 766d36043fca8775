// Summaries of repeated runs. Medians, because shared machines have outliers in one direction.

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new RangeError("summarize() needs at least one value.");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values };
}

/** a/b of two medians, rounded for display; NaN when b is zero. */
export function ratio(a: Summary | number, b: Summary | number): number {
  const x = typeof a === "number" ? a : a.median;
  const y = typeof b === "number" ? b : b.median;
  return y === 0 ? Number.NaN : x / y;
}
