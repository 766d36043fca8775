// The harness: settings from the mode, one emulator, one client bundle, the scenarios in order,
// and the results written as JSON + RESULTS.md + chart. A scenario that fails is recorded with
// its error and the others still run.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ClientRunner } from "./child";
import type { BenchContext, BenchSettings } from "./context";
import { startBenchEmulator } from "./emulator";
import { FileSet, MiB } from "./files";
import { machineFacts } from "./machine";
import { loadavg } from "node:os";
import { renderChart, renderMarkdown } from "./report";
import type { BenchResult, ScenarioResult } from "./types";

export interface Scenario {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
  /** Slow set-up (a production build) started before any scenario runs; `run` waits for it. */
  prepare?(ctx: BenchContext): Promise<void>;
}

export interface BenchOptions {
  quick: boolean;
  /** Scenario ids to run (default: all). */
  only?: string[];
  /** Where results/ , RESULTS.md and the chart go (default: the bench folder). */
  outDir: string;
  /** Overrides for tests (tiny inputs, one run). */
  settings?: Partial<BenchSettings>;
  log?(line: string): void;
}

export function settingsFor(quick: boolean): BenchSettings {
  return quick
    ? {
        quick,
        largeFileBytes: 32 * MiB,
        smallFileBytes: 4 * MiB,
        manyFileCount: 8,
        loopbackRuns: 3,
        linkRuns: 1,
        manyRuns: 1,
        browserRuns: 2,
        paneRuns: 2,
        // Measure dist/ as it is (it is still built when missing): a webpack build on a busy
        // 2-core machine can take minutes and would break the 3-minute budget.
        buildPane: false,
        chunkSize: 3_932_160,
        hugeFileBytes: 256 * MiB,
        driveRuns: 2,
      }
    : {
        quick,
        largeFileBytes: 150 * MiB,
        smallFileBytes: 20 * MiB,
        manyFileCount: 8,
        loopbackRuns: 5,
        linkRuns: 3,
        manyRuns: 2,
        browserRuns: 5,
        paneRuns: 5,
        buildPane: true,
        chunkSize: 3_932_160,
        hugeFileBytes: 1024 * MiB,
        driveRuns: 3,
      };
}

export async function runBench(scenarios: Scenario[], options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const settings = { ...settingsFor(options.quick), ...options.settings };
  const startedAt = new Date().toISOString();
  const load = sampleLoad();
  const machine = await machineFacts();
  const files = await FileSet.create();
  const clients = await ClientRunner.create();
  const emulator = await startBenchEmulator();
  const ctx: BenchContext = { settings, emulator, files, clients, log };
  const results: ScenarioResult[] = [];
  const selected = scenarios.filter((s) => !options.only || options.only.includes(s.id));
  // A full run finishes set-up before measuring; a quick run lets it go on beside (time budget).
  const preparing = selected.map((s) => s.prepare?.(ctx).catch(() => undefined));
  if (!settings.quick) await Promise.all(preparing);
  try {
    for (const scenario of selected) {
      log(`▶ ${scenario.title}`);
      ctx.stalls = new Map(); // counted per scenario
      const started = Date.now();
      try {
        results.push(await scenario.run(ctx));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`  ✗ ${scenario.id}: ${message}`);
        results.push({
          id: scenario.id,
          title: scenario.title,
          params: {},
          measurements: [],
          ratios: [],
          notes: [],
          error: message,
        });
      }
      log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await emulator.close().catch(() => undefined);
    await clients.close();
    await files.cleanup();
    load.stop();
  }
  const result: BenchResult = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: options.quick ? "quick" : "full",
    machine,
    load: load.summary(),
    scenarios: results,
  };
  await writeResults(result, options.outDir);
  return result;
}

export async function writeResults(result: BenchResult, outDir: string): Promise<void> {
  const resultsDir = join(outDir, "results");
  await mkdir(resultsDir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const stamp = result.startedAt.replace(/[:.]/g, "-");
  await writeFile(join(resultsDir, `${stamp}.json`), json);
  await writeFile(join(resultsDir, "latest.json"), json);
  await renderResults(result, outDir);
}

/** RESULTS.md and the chart from a result, with bench/analysis.md (the findings) when present. */
export async function renderResults(result: BenchResult, outDir: string): Promise<void> {
  const analysis = await readFile(join(__dirname, "..", "analysis.md"), "utf8").catch(
    () => undefined
  );
  await writeFile(join(outDir, "results-chart.svg"), renderChart(result));
  await writeFile(
    join(outDir, "RESULTS.md"),
    renderMarkdown(result, "results-chart.svg", analysis)
  );
}

/** The 1-minute load average every 5 s (the machines are shared: readers should know how busy). */
function sampleLoad() {
  const samples = [loadavg()[0]];
  const timer = setInterval(() => samples.push(loadavg()[0]), 5_000);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    summary: () => {
      const sorted = [...samples].sort((a, b) => a - b);
      return {
        min: sorted[0],
        median: sorted[Math.floor(sorted.length / 2)],
        max: sorted[sorted.length - 1],
        samples: sorted.length,
      };
    },
  };
}
