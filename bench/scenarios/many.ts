// Scenario 3: eight files on the modelled link through the engine's UploadQueue at concurrency
// 1, 2 and 4 — totals and the speed-up parallel sessions buy on one link.
import type { ClientResult } from "../clients/job";
import { runClient, type BenchContext } from "../lib/context";
import { MiB, type BenchFile } from "../lib/files";
import { ratio, summarize } from "../lib/stats";
import { theoreticalMinimumManySec } from "../lib/theory";
import { makeRatio, type Measurement, type Ratio, type ScenarioResult } from "../lib/types";
import { MODELLED_LINK, PROTOCOL_MAX_RANGE } from "./link";

export const CONCURRENCY_LEVELS = [1, 2, 4];

export async function manyScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const files: BenchFile[] = [];
  for (let i = 0; i < settings.manyFileCount; i++) {
    files.push(await ctx.files.make(`many-${i + 1}.bin`, settings.smallFileBytes, 100 + i));
  }
  const results = new Map<number, ClientResult[]>(CONCURRENCY_LEVELS.map((c) => [c, []]));
  ctx.emulator.setLink(MODELLED_LINK);
  try {
    for (let run = 0; run < settings.manyRuns; run++) {
      for (const concurrency of CONCURRENCY_LEVELS) {
        const result = await runClient(ctx, "engine-queue", files, { concurrency });
        results.get(concurrency)!.push(result);
        ctx.log(
          `  many run ${run + 1}/${settings.manyRuns} concurrency ${concurrency}: ${result.ms.toFixed(0)} ms`
        );
      }
    }
  } finally {
    ctx.emulator.setLink(null);
  }
  const time = (c: number) => summarize(results.get(c)!.map((r) => r.ms));
  const sizes = files.map((f) => f.size);
  const measurements: Measurement[] = CONCURRENCY_LEVELS.flatMap((c) => [
    {
      key: `many.c${c}.time`,
      label: `concurrency ${c}: total time`,
      unit: "ms" as const,
      summary: time(c),
    },
    {
      key: `many.c${c}.minimum`,
      label: `concurrency ${c}: theoretical minimum`,
      unit: "ms" as const,
      summary: summarize([
        theoreticalMinimumManySec(sizes, PROTOCOL_MAX_RANGE, c, MODELLED_LINK) * 1000,
      ]),
    },
  ]);
  const ratios: Ratio[] = CONCURRENCY_LEVELS.filter((c) => c > 1).map((c) =>
    makeRatio(`many.speedup.c${c}`, `speed-up, concurrency ${c} vs 1`, ratio(time(1), time(c)))
  );
  for (const c of CONCURRENCY_LEVELS) {
    const minimum = theoreticalMinimumManySec(sizes, PROTOCOL_MAX_RANGE, c, MODELLED_LINK) * 1000;
    ratios.push(
      makeRatio(
        `many.c${c}/minimum`,
        `concurrency ${c}: time / theoretical minimum`,
        ratio(time(c), minimum)
      )
    );
  }
  return {
    id: "many",
    title: `${files.length} × ${settings.smallFileBytes / MiB} MiB files on the modelled link, UploadQueue`,
    params: { files: files.length, fileBytes: settings.smallFileBytes, runs: settings.manyRuns },
    measurements,
    ratios,
    notes: [
      "The emulator paces each request body on its own, so every parallel stream gets the full modelled " +
        "bandwidth: the speed-up here is an upper bound. On one real uplink the bytes share the bandwidth and " +
        "parallel sessions can only hide the per-request latency. The minimum assigns files to whichever " +
        "stream frees first (size / bandwidth + one latency per request each).",
    ],
  };
}
