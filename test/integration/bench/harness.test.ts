// Keeps the benchmark harness from rotting: the Node and browser scenarios run end to end on tiny
// files (one run each) against the real emulator, and the files they write have the right shape.
// Nothing here looks at a timing. The browser scenario drives the built pane (dist/, built when
// missing); the pane scenario is left to
// `npm run bench`.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBench } from "../../../bench/lib/bench";
import type { BenchResult } from "../../../bench/lib/types";
import { SCENARIOS } from "../../../bench/scenarios";

const MiB = 1024 * 1024;

describe("benchmark harness on tiny inputs", () => {
  let outDir: string;
  let result: BenchResult;
  const log: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "large-attach-bench-test-"));
    result = await runBench(SCENARIOS, {
      quick: true,
      only: ["loopback", "link", "many", "browser", "drive", "drive-link", "drive-browser"],
      outDir,
      log: (line) => log.push(line),
      settings: {
        largeFileBytes: 3 * MiB + 17, // odd size: the last range is short
        smallFileBytes: 3 * MiB,
        manyFileCount: 2,
        loopbackRuns: 1,
        linkRuns: 1,
        manyRuns: 1,
        browserRuns: 1,
        chunkSize: 1_310_720, // 4 × 320 KiB: several ranges per file
        hugeFileBytes: 5 * MiB + 3,
        driveRuns: 1,
      },
    });
  }, 180_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it("runs every requested scenario without an error", () => {
    expect(result.scenarios.map((s) => [s.id, s.error])).toEqual([
      ["loopback", undefined],
      ["link", undefined],
      ["many", undefined],
      ["browser", undefined],
      ["drive", undefined],
      ["drive-link", undefined],
      ["drive-browser", undefined],
    ]);
  });

  it("records the machine it ran on", () => {
    expect(result.mode).toBe("quick");
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.cpuModel).not.toBe("");
    expect(result.machine.node).toBe(process.version);
    expect(result.machine.chromium).toMatch(/chrom/i);
    expect(result.load!.samples).toBeGreaterThanOrEqual(1);
    expect(result.load!.max).toBeGreaterThanOrEqual(result.load!.min);
  });

  it("measures every client of the loopback scenario, with time, peak RSS and throughput", () => {
    const loopback = result.scenarios.find((s) => s.id === "loopback")!;
    for (const client of [
      "limit",
      "limit-fetch",
      "engine",
      "engine-fetch",
      "sdk-stream",
      "sdk-buffer",
    ]) {
      for (const what of ["time", "rss", "throughput"]) {
        const m = loopback.measurements.find((x) => x.key === `loopback.${client}.${what}`);
        expect(m).toBeDefined();
        expect(m!.summary.runs).toHaveLength(1);
        expect(m!.summary.median).toBeGreaterThan(0);
      }
    }
    // 3 MiB + 17 bytes in 1.25 MiB ranges: createUploadSession + 3 PUTs for the engine and the SDK.
    expect(loopback.params.requestsEngine).toBe(4);
    expect(loopback.params.requestsSdk).toBe(4);
    const keys = loopback.ratios.filter((r) => r.target).map((r) => r.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "loopback.engine/limit",
        "loopback.engine/sdk-stream",
        "loopback.rss.engine",
      ])
    );
    for (const r of loopback.ratios) {
      expect(Number.isFinite(r.value)).toBe(true);
      // Judged ratios carry a verdict; diagnostic ones (no target) do not.
      expect(typeof r.met).toBe(r.target ? "boolean" : "undefined");
    }
  });

  it("compares the modelled link against its theoretical minimum and the queue at each concurrency", () => {
    const link = result.scenarios.find((s) => s.id === "link")!;
    expect(link.measurements.map((m) => m.key)).toEqual([
      "link.minimum.time",
      "link.engine.time",
      "link.sdk-stream.time",
    ]);
    expect(link.ratios.find((r) => r.key === "link.engine/minimum")?.target).toEqual({
      op: "<=",
      value: 1.05,
    });
    const many = result.scenarios.find((s) => s.id === "many")!;
    expect(many.measurements.map((m) => m.key)).toEqual(
      expect.arrayContaining(["many.c1.time", "many.c2.time", "many.c4.time"])
    );
    expect(many.ratios.map((r) => r.key)).toEqual(
      expect.arrayContaining(["many.speedup.c2", "many.speedup.c4"])
    );
  });

  it("measures the engine, the single-PUT and the range-loop baselines in Chromium, with the longest task", () => {
    const browser = result.scenarios.find((s) => s.id === "browser")!;
    expect(browser.measurements.map((m) => m.key)).toEqual(
      expect.arrayContaining([
        "browser.baseline.time",
        "browser.rangeloop.time",
        "browser.engine.time",
        "browser.engine.longtask",
      ])
    );
    for (const key of ["browser.baseline.time", "browser.rangeloop.time", "browser.engine.time"]) {
      const m = browser.measurements.find((x) => x.key === key)!;
      expect(m.summary.runs).toHaveLength(1);
      expect(m.summary.median).toBeGreaterThan(0);
    }
    // 3 MiB + 17 bytes in the pane's 3.75 MiB ranges: the loop sends one range, as the pane does.
    expect(browser.measurements.find((x) => x.key === "browser.rangeloop.time")!.label).toMatch(
      /^bare loop of 1 sequential range PUTs/
    );
    expect(browser.ratios.find((r) => r.key === "browser.engine/baseline")?.target).toEqual({
      op: ">=",
      value: 0.85,
    });
    // The pane against the protocol's own limit, reported beside the single-PUT ratio.
    const keys = browser.ratios.map((r) => r.key);
    expect(keys.indexOf("browser.engine/rangeloop")).toBe(
      keys.indexOf("browser.engine/baseline") + 1
    );
    expect(
      Number.isFinite(browser.ratios.find((r) => r.key === "browser.engine/rangeloop")!.value)
    ).toBe(true);
  });

  it("measures the OneDrive route against one drive PUT at both sizes, and its RSS big / small", () => {
    const drive = result.scenarios.find((s) => s.id === "drive")!;
    for (const tag of ["small", "big"]) {
      for (const client of ["drive-limit", "drive-engine"]) {
        for (const what of ["time", "rss", "throughput"]) {
          const m = drive.measurements.find((x) => x.key === `drive.${tag}.${client}.${what}`);
          expect(m?.summary.runs).toHaveLength(1);
          expect(m!.summary.median).toBeGreaterThan(0);
        }
      }
    }
    expect(drive.params).toMatchObject({ smallFileBytes: 3 * MiB + 17, bigFileBytes: 5 * MiB + 3 });
    // At least folder, createUploadSession, one range and createLink.
    expect(drive.params.requestsEngineSmall).toBeGreaterThanOrEqual(4);
    const targets = Object.fromEntries(drive.ratios.map((r) => [r.key, r.target]));
    expect(targets).toEqual({
      "drive.small.engine/limit": { op: "<=", value: 1.1 },
      "drive.big.engine/limit": { op: "<=", value: 1.1 },
      "drive.rss.big/small": { op: "<=", value: 1.2 },
    });
    for (const r of drive.ratios) expect(Number.isFinite(r.value)).toBe(true);
  });

  it("compares the OneDrive route on the modelled link with OneDrive's protocol minimum", () => {
    const link = result.scenarios.find((s) => s.id === "drive-link")!;
    // 3 MiB + 17 bytes: folder, createUploadSession, one range at OneDrive's largest, createLink.
    expect(link.params.minimumRequests).toBe(4);
    const minimum = link.measurements.find((m) => m.key === "drive-link.minimum.time")!;
    // (3 MiB + 17) × 8 / 100 Mbit/s + 4 × 40 ms.
    expect(minimum.summary.median).toBeCloseTo((((3 * MiB + 17) * 8) / 100e6) * 1000 + 160, 6);
    expect(link.ratios.find((r) => r.key === "drive-link.engine/minimum")?.target).toEqual({
      op: "<=",
      value: 1.05,
    });
  });

  it("measures the OneDrive route in the pane frame against one fetch PUT to a drive upload URL", () => {
    const browser = result.scenarios.find((s) => s.id === "drive-browser")!;
    // The pane's own route is measured when the built pane has it; the engine in its frame always.
    const judged = browser.params.judged === "task pane" ? "pane" : "engine";
    for (const key of [
      "drive-browser.baseline.time",
      "drive-browser.engine.time",
      `drive-browser.${judged}.time`,
    ]) {
      const m = browser.measurements.find((x) => x.key === key)!;
      expect(m.summary.runs).toHaveLength(1);
      expect(m.summary.median).toBeGreaterThan(0);
    }
    const r = browser.ratios.find((x) => x.key === "drive-browser.route/baseline")!;
    expect(r.target).toEqual({ op: ">=", value: 0.9 });
    expect(Number.isFinite(r.value)).toBe(true);
  });

  it("writes timestamped and latest JSON, RESULTS.md and the SVG chart", async () => {
    const files = await readdir(join(outDir, "results"));
    expect(files).toContain("latest.json");
    expect(files.filter((f) => /^\d{4}-\d\d-\d\dT.*\.json$/.test(f))).toHaveLength(1);
    const latest = JSON.parse(
      await readFile(join(outDir, "results", "latest.json"), "utf8")
    ) as BenchResult;
    expect(latest).toEqual(result);
    const md = await readFile(join(outDir, "RESULTS.md"), "utf8");
    expect(md).toContain("| loopback | engine time / single-PUT limit |");
    expect(md).toContain("| browser | task pane throughput / bare range-loop throughput");
    expect(md).toContain("![Ratios against their targets](results-chart.svg)");
    expect(md).toMatch(/Load average \(1 min\) during the run: median \d/);
    const svg = await readFile(join(outDir, "results-chart.svg"), "utf8");
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("engine time / single-PUT limit");
  });

  it("never prints the token or an upload URL in its log", () => {
    const text = log.join("\n");
    expect(text).not.toMatch(/authtoken|Bearer|eyJ/);
  });
});
