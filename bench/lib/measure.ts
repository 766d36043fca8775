// Time, peak RSS and throughput of a client's runs, as every Node scenario reports them.
import type { ClientResult } from "../clients/job";
import { summarize, type Summary } from "./stats";
import type { Measurement } from "./types";

export const timeOf = (runs: ClientResult[]): Summary => summarize(runs.map((r) => r.ms));
export const rssOf = (runs: ClientResult[]): Summary =>
  summarize(runs.map((r) => r.maxRssBytes / 1e6));

/** `${key}.time`, `${key}.rss` and `${key}.throughput`, labelled `${label}: …`. */
export function clientMeasurements(
  key: string,
  label: string,
  runs: ClientResult[]
): Measurement[] {
  return [
    { key: `${key}.time`, label: `${label}: time`, unit: "ms", summary: timeOf(runs) },
    { key: `${key}.rss`, label: `${label}: peak RSS`, unit: "MB", summary: rssOf(runs) },
    {
      key: `${key}.throughput`,
      label: `${label}: throughput`,
      unit: "MB/s",
      summary: summarize(runs.map((r) => r.bytes / 1e6 / (r.ms / 1000))),
    },
  ];
}
