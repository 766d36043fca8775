// The benchmark's arithmetic and its report: medians, the theoretical minimum, target checks and
// the generated RESULTS.md / SVG. No timings are asserted anywhere.
import { renderChart, renderMarkdown } from "../../../bench/lib/report";
import { ratio, summarize } from "../../../bench/lib/stats";
import { DRIVE_MAX_RANGE } from "../../../bench/scenarios/drive";
import {
  driveRouteRequestCount,
  sessionRequestCount,
  theoreticalMinimumManySec,
  theoreticalMinimumSec,
} from "../../../bench/lib/theory";
import { checkTarget, makeAbsolute, makeRatio, type BenchResult } from "../../../bench/lib/types";

describe("summarize", () => {
  it("gives the median of odd and even counts, min and max, and keeps the runs in order", () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: [5, 1, 3] });
    expect(summarize([4, 1, 3, 10]).median).toBe(3.5);
  });

  it("refuses an empty list", () => {
    expect(() => summarize([])).toThrow(RangeError);
  });

  it("ratio divides medians and is NaN over zero", () => {
    expect(ratio(summarize([2, 4, 6]), summarize([2]))).toBe(2);
    expect(ratio(1, 0)).toBeNaN();
  });
});

describe("theoretical minimum", () => {
  const link = { latencyMs: 40, bandwidthBitsPerSec: 100e6 };

  it("counts createUploadSession plus one PUT per started range", () => {
    expect(sessionRequestCount(150 * 1024 * 1024, 4 * 1024 * 1024)).toBe(1 + 38);
    expect(sessionRequestCount(4 * 1024 * 1024 + 1, 4 * 1024 * 1024)).toBe(1 + 2);
  });

  it("takes OneDrive's largest range as under 60 MiB and a multiple of 320 KiB", () => {
    expect(DRIVE_MAX_RANGE).toBe(191 * 327_680);
    expect(DRIVE_MAX_RANGE).toBeLessThan(60 * 1024 * 1024);
    expect(DRIVE_MAX_RANGE + 327_680).toBeGreaterThanOrEqual(60 * 1024 * 1024);
  });

  it("counts the OneDrive route as folder + createUploadSession + ranges + createLink", () => {
    // 150 MiB in 62,586,880-byte ranges: 3 PUTs; 1 GiB: 18.
    expect(driveRouteRequestCount(150 * 1024 * 1024, DRIVE_MAX_RANGE)).toBe(1 + 1 + 3 + 1);
    expect(driveRouteRequestCount(1024 * 1024 * 1024, DRIVE_MAX_RANGE)).toBe(1 + 1 + 18 + 1);
    expect(driveRouteRequestCount(1, DRIVE_MAX_RANGE)).toBe(4);
  });

  it("is bytes at the bandwidth plus one latency per request", () => {
    // 12.5 MB at 100 Mbit/s = 1 s; 10 requests × 40 ms = 0.4 s.
    expect(theoreticalMinimumSec(12_500_000, 10, link)).toBeCloseTo(1.4, 9);
  });

  it("runs files on parallel streams, each paced on its own, and waits for the last one", () => {
    const sizes = [12_500_000, 12_500_000, 12_500_000];
    const range = 12_500_000; // one range each: 2 requests, 1.08 s per file
    expect(theoreticalMinimumManySec(sizes, range, 1, link)).toBeCloseTo(3 * 1.08, 9);
    expect(theoreticalMinimumManySec(sizes, range, 2, link)).toBeCloseTo(2 * 1.08, 9);
    expect(theoreticalMinimumManySec(sizes, range, 4, link)).toBeCloseTo(1.08, 9);
  });
});

describe("targets", () => {
  it("checks each operator and treats NaN as missed", () => {
    expect(checkTarget(1.1, { op: "<=", value: 1.1 })).toBe(true);
    expect(checkTarget(1.11, { op: "<=", value: 1.1 })).toBe(false);
    expect(checkTarget(0.85, { op: ">=", value: 0.85 })).toBe(true);
    expect(checkTarget(150, { op: "<", value: 150 })).toBe(false);
    expect(checkTarget(Number.NaN, { op: ">=", value: 0 })).toBe(false);
    expect(makeRatio("k", "l", 2).met).toBeUndefined();
  });
});

describe("report", () => {
  const result: BenchResult = {
    version: 1,
    startedAt: "2026-01-02T03:04:05.000Z",
    finishedAt: "2026-01-02T03:05:05.000Z",
    mode: "quick",
    machine: {
      cpuModel: "Test CPU <x>",
      cores: 2,
      memoryGiB: 24,
      os: "linux",
      node: "v20.0.0",
      chromium: "Chromium 1.2.3",
      graphSdk: "3.0.7",
    },
    scenarios: [
      {
        id: "loopback",
        title: "Loopback",
        params: { runs: 3 },
        measurements: [
          { key: "a", label: "engine: time", unit: "ms", summary: summarize([1200, 1000, 1100]) },
          { key: "b", label: "engine: long", unit: "ms", summary: summarize([15_000]) },
        ],
        ratios: [
          makeRatio("r1", "engine / limit", 1.05, { op: "<=", value: 1.1 }),
          makeRatio("r2", "engine / SDK", 1.2, { op: "<=", value: 1 }),
          makeAbsolute("r3", "engine peak RSS", 80, "MB", { op: "<", value: 150 }),
        ],
        notes: ["a note"],
      },
      {
        id: "pane",
        title: "Pane",
        params: {},
        measurements: [],
        ratios: [],
        notes: [],
        error: "build failed",
      },
    ],
  };

  it("writes a targets table with verdicts, measurement tables, notes and failures", () => {
    const md = renderMarkdown(result, "chart.svg");
    expect(md).toContain("![Ratios against their targets](chart.svg)");
    expect(md).toContain("| loopback | engine / limit | 1.05× | ≤ 1.10 | ✅ met |");
    expect(md).toContain("| loopback | engine / SDK | 1.20× | ≤ 1.00 | ❌ missed |");
    expect(md).toContain("| loopback | engine peak RSS | 80 MB | < 150 MB | ✅ met |");
    expect(md).toContain("| engine: time | 1100 ms | 1000 ms | 1200 ms | 3 |");
    expect(md).toContain("| engine: long | 15.0 s |");
    expect(md).toContain("- a note");
    expect(md).toContain("**Did not run:** build failed");
    expect(md).toContain("Test CPU <x>, 2 cores");
  });

  it("draws one bar per charted ratio, coloured by verdict, with escaped text", () => {
    const svg = renderChart(result);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    // r1 and r2 are charted; the absolute RSS figure is not.
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('fill="#2e7d32"');
    expect(svg).toContain('fill="#c62828"');
    expect(svg).not.toContain("peak RSS");
    expect(svg).not.toMatch(/<x>/);
  });
});
