// `npm run bench` — every scenario, full size, several runs each (takes a while);
// `npm run bench -- --quick` — every scenario on smaller files with fewer runs (< 3 min on 2 cores).
// Options: --only=loopback,link,many,browser,pane,drive,drive-link,drive-browser
//          --out-dir=DIR (default: bench/ for a full run, bench/results/quick/ for --quick)
//          --no-build (measure dist/ as it is instead of rebuilding it when src/ is newer)
//          --render (only regenerate RESULTS.md + chart from results/latest.json and analysis.md)
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { renderResults, runBench } from "./lib/bench";
import type { BenchResult } from "./lib/types";
import { formatRatio } from "./lib/report";
import { SCENARIOS } from "./scenarios";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      "out-dir": { type: "string" },
      "no-build": { type: "boolean", default: false },
      render: { type: "boolean", default: false },
    },
  });
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown?.length) {
    process.stderr.write(
      `Unknown scenario(s): ${unknown.join(", ")}. Known: ${SCENARIOS.map((s) => s.id).join(", ")}\n`
    );
    return 2;
  }
  // A quick run writes beside the full results, never over them: bench/results/quick/.
  const outDir = resolve(
    values["out-dir"] ?? (values.quick ? join(__dirname, "results", "quick") : __dirname)
  );
  if (values.render) {
    const latest = JSON.parse(
      await readFile(join(outDir, "results", "latest.json"), "utf8")
    ) as BenchResult;
    await renderResults(latest, outDir);
    process.stdout.write(
      `Rendered ${outDir}/RESULTS.md and results-chart.svg from results/latest.json\n`
    );
    return 0;
  }
  const result = await runBench(SCENARIOS, {
    quick: values.quick ?? false,
    only,
    outDir,
    settings: values["no-build"] ? { buildPane: false } : {},
  });
  for (const s of result.scenarios) {
    process.stdout.write(`\n${s.title}${s.error ? ` — FAILED: ${s.error}` : ""}\n`);
    for (const r of s.ratios) {
      const verdict = r.met === undefined ? "" : r.met ? "  met" : "  MISSED";
      process.stdout.write(`  ${r.label}: ${formatRatio(r)}${verdict}\n`);
    }
  }
  process.stdout.write(`\nWrote ${outDir}/RESULTS.md, results-chart.svg, results/latest.json\n`);
  return result.scenarios.some((s) => s.error) ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
);
