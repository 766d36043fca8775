// Counts per fault kind × outcome, printed as a table (and kept as data for --json and the docs).
import type { Outcome } from "./classify";
import type { FaultKind, Trial } from "./trials";

export interface TrialRecord {
  seed: number;
  fault: FaultKind;
  /** Absent in records made before drive trials existed (read as an attachment route). */
  route?: Trial["route"];
  size: number;
  outcome: Outcome;
  ms: number;
  description: string;
}

export interface Counts {
  /** fault kind → outcome label → trials */
  byFault: Record<string, Record<string, number>>;
  /** "item" (attachment routes) or "drive" → outcome label → trials */
  byRoute: Record<string, Record<string, number>>;
  failures: TrialRecord[];
  total: number;
  ok: number;
}

export function countOutcomes(records: readonly TrialRecord[]): Counts {
  const byFault: Counts["byFault"] = {};
  const byRoute: Counts["byRoute"] = {};
  const count = (table: Counts["byFault"], key: string, label: string) => {
    const row = (table[key] ??= {});
    row[label] = (row[label] ?? 0) + 1;
  };
  for (const r of records) {
    count(byFault, r.fault, r.outcome.label);
    count(byRoute, r.route === "drive" ? "drive" : "item", r.outcome.label);
  }
  const failures = records.filter((r) => !r.outcome.ok);
  return {
    byFault,
    byRoute,
    failures,
    total: records.length,
    ok: records.length - failures.length,
  };
}

export function formatCounts(counts: Counts): string {
  const width = Math.max(14, ...Object.keys(counts.byFault).map((k) => k.length));
  const rows = (table: Counts["byFault"], prefix = "") =>
    Object.keys(table)
      .sort()
      .map((key) => {
        const row = table[key];
        const n = Object.values(row).reduce((a, b) => a + b, 0);
        const cells = Object.entries(row)
          .sort((a, b) => b[1] - a[1])
          .map(([label, count]) => `${label} ${count}`)
          .join(", ");
        return `${(prefix + key).padEnd(width)} ${String(n).padStart(4)}  ${cells}`;
      });
  const lines = [...rows(counts.byFault), ...rows(counts.byRoute, "route ")];
  lines.push(
    `${"total".padEnd(width)} ${String(counts.total).padStart(4)}  ok ${counts.ok}, failed ${counts.failures.length}`
  );
  return lines.join("\n");
}
