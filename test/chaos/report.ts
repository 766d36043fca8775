// Counts per fault kind × outcome, printed as a table (and kept as data for --json and the docs).
import type { Outcome } from "./classify";
import type { FaultKind } from "./trials";

export interface TrialRecord {
  seed: number;
  fault: FaultKind;
  size: number;
  outcome: Outcome;
  ms: number;
  description: string;
}

export interface Counts {
  /** fault kind → outcome label → trials */
  byFault: Record<string, Record<string, number>>;
  failures: TrialRecord[];
  total: number;
  ok: number;
}

export function countOutcomes(records: readonly TrialRecord[]): Counts {
  const byFault: Counts["byFault"] = {};
  for (const r of records) {
    const row = (byFault[r.fault] ??= {});
    row[r.outcome.label] = (row[r.outcome.label] ?? 0) + 1;
  }
  const failures = records.filter((r) => !r.outcome.ok);
  return { byFault, failures, total: records.length, ok: records.length - failures.length };
}

export function formatCounts(counts: Counts): string {
  const lines: string[] = [];
  const width = Math.max(14, ...Object.keys(counts.byFault).map((k) => k.length));
  for (const fault of Object.keys(counts.byFault).sort()) {
    const row = counts.byFault[fault];
    const n = Object.values(row).reduce((a, b) => a + b, 0);
    const cells = Object.entries(row)
      .sort((a, b) => b[1] - a[1])
      .map(([label, count]) => `${label} ${count}`)
      .join(", ");
    lines.push(`${fault.padEnd(width)} ${String(n).padStart(4)}  ${cells}`);
  }
  lines.push(
    `${"total".padEnd(width)} ${String(counts.total).padStart(4)}  ok ${counts.ok}, failed ${counts.failures.length}`
  );
  return lines.join("\n");
}
