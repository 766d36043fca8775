// Scenario 1: one large file over loopback. The single-PUT limit, our engine, and the Graph SDK
// (both ways a Node developer feeds it a file), interleaved run by run so drift hits all alike.
import type { ClientKind, ClientResult } from "../clients/job";
import { runClient, stallNotes, type BenchContext } from "../lib/context";
import { MiB } from "../lib/files";
import { clientMeasurements, rssOf, timeOf } from "../lib/measure";
import { ratio } from "../lib/stats";
import { makeAbsolute, makeRatio, type Measurement, type ScenarioResult } from "../lib/types";

export const LOOPBACK_CLIENTS: { kind: ClientKind; label: string }[] = [
  { kind: "limit", label: "single PUT, node:http (limit)" },
  { kind: "limit-fetch", label: "single PUT, fetch + Blob" },
  { kind: "engine", label: "large-attach engine (CLI: node:http transport)" },
  { kind: "engine-fetch", label: "engine with its default fetch transport (extra)" },
  { kind: "sdk-stream", label: "Graph SDK, StreamUpload" },
  { kind: "sdk-buffer", label: "Graph SDK, FileUpload (whole file in memory)" },
];

export async function loopbackScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const file = await ctx.files.make("loopback.bin", settings.largeFileBytes, 1);
  const results = new Map<ClientKind, ClientResult[]>(LOOPBACK_CLIENTS.map((c) => [c.kind, []]));
  for (let run = 0; run < settings.loopbackRuns; run++) {
    for (const { kind } of LOOPBACK_CLIENTS) {
      const single = kind === "limit" || kind === "limit-fetch";
      if (single) ctx.emulator.setRangeCap(file.size);
      try {
        const result = await runClient(ctx, kind, [file]);
        results.get(kind)!.push(result);
        ctx.log(
          `  loopback run ${run + 1}/${settings.loopbackRuns} ${kind}: ${result.ms.toFixed(0)} ms, ` +
            `${(result.maxRssBytes / 1e6).toFixed(0)} MB RSS, ${result.requests} requests`
        );
      } finally {
        if (single) ctx.emulator.setRangeCap("default");
      }
    }
  }
  const time = (k: ClientKind) => timeOf(results.get(k)!);
  const rss = (k: ClientKind) => rssOf(results.get(k)!);
  const measurements: Measurement[] = LOOPBACK_CLIENTS.flatMap(({ kind, label }) =>
    clientMeasurements(`loopback.${kind}`, label, results.get(kind)!)
  );
  const engineRss = rss("engine");
  return {
    id: "loopback",
    title: `Loopback, one ${settings.largeFileBytes / MiB} MiB file, Node`,
    params: {
      fileBytes: settings.largeFileBytes,
      runs: settings.loopbackRuns,
      chunkSize: settings.chunkSize,
      requestsEngine: results.get("engine")![0]?.requests ?? 0,
      requestsSdk: results.get("sdk-stream")![0]?.requests ?? 0,
    },
    measurements,
    ratios: [
      makeRatio(
        "loopback.engine/limit",
        "engine time / single-PUT limit",
        ratio(time("engine"), time("limit")),
        {
          op: "<=",
          value: 1.1,
        }
      ),
      makeRatio(
        "loopback.engine-fetch/limit-fetch",
        "engine with the fetch transport / single PUT over fetch (same client stack, extra)",
        ratio(time("engine-fetch"), time("limit-fetch"))
      ),
      makeRatio(
        "loopback.engine-fetch/limit",
        "engine with the fetch transport / single-PUT limit (extra)",
        ratio(time("engine-fetch"), time("limit"))
      ),
      makeRatio(
        "loopback.engine/sdk-stream",
        "engine time / SDK (StreamUpload) time",
        ratio(time("engine"), time("sdk-stream")),
        { op: "<=", value: 1.0 }
      ),
      makeRatio(
        "loopback.engine/sdk-buffer",
        "engine time / SDK (FileUpload) time",
        ratio(time("engine"), time("sdk-buffer")),
        { op: "<=", value: 1.0 }
      ),
      makeRatio(
        "loopback.rss.engine/sdk-stream",
        "engine peak RSS / SDK (StreamUpload) peak RSS",
        ratio(engineRss, rss("sdk-stream")),
        { op: "<=", value: 1 / 3 }
      ),
      makeRatio(
        "loopback.rss.engine/sdk-buffer",
        "engine peak RSS / SDK (FileUpload) peak RSS",
        ratio(engineRss, rss("sdk-buffer")),
        { op: "<=", value: 1 / 3 }
      ),
      makeAbsolute("loopback.rss.engine", "engine peak RSS", engineRss.median, "MB", {
        op: "<",
        value: 150,
      }),
    ],
    notes: [
      "The limit's session is created before its clock starts; the engine's and the SDK's clocks include createUploadSession.",
      "Peak RSS is the whole child process (Node itself is ≈ 40–50 MB of it).",
      ...stallNotes(ctx, ["sdk-stream", "sdk-buffer"]),
    ],
  };
}
