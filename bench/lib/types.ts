// The shape of a benchmark result (what results/*.json hold and RESULTS.md is generated from).
import type { MachineFacts } from "./machine";
import type { Summary } from "./stats";

export interface Measurement {
  /** Stable key, e.g. "loopback.engine.time". */
  key: string;
  label: string;
  unit: "ms" | "MB" | "KB" | "MB/s";
  summary: Summary;
}

export interface Target {
  op: "<=" | ">=" | "<";
  value: number;
}

export interface Ratio {
  key: string;
  label: string;
  value: number;
  /** Set for an absolute figure judged beside the ratios (e.g. peak RSS in MB): shown, not charted. */
  unit?: "MB" | "KB" | "ms";
  target?: Target;
  /** Undefined when the ratio has no target. */
  met?: boolean;
}

export interface ScenarioResult {
  id: string;
  title: string;
  params: Record<string, string | number | boolean>;
  measurements: Measurement[];
  ratios: Ratio[];
  notes: string[];
  /** Set when the scenario could not run; the others still report. */
  error?: string;
}

export interface BenchResult {
  version: 1;
  startedAt: string;
  finishedAt: string;
  mode: "full" | "quick";
  machine: MachineFacts;
  /** The machine's 1-minute load average, sampled every few seconds while the run went on. */
  load?: { min: number; median: number; max: number; samples: number };
  scenarios: ScenarioResult[];
}

export function checkTarget(value: number, target: Target): boolean {
  if (!Number.isFinite(value)) return false;
  if (target.op === "<=") return value <= target.value;
  if (target.op === ">=") return value >= target.value;
  return value < target.value;
}

export function makeRatio(key: string, label: string, value: number, target?: Target): Ratio {
  return { key, label, value, target, met: target ? checkTarget(value, target) : undefined };
}

/** An absolute figure with a target (peak RSS, longest task, gzipped size). */
export function makeAbsolute(
  key: string,
  label: string,
  value: number,
  unit: NonNullable<Ratio["unit"]>,
  target: Target
): Ratio {
  return { ...makeRatio(key, label, value, target), unit };
}
