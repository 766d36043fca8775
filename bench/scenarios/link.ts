// Scenario 2: the same kind of large file over a modelled wide-area link (40 ms added per request,
// 100 Mbit/s), engine and SDK against the theoretical minimum of the protocol on that link.
import type { ClientKind, ClientResult } from "../clients/job";
import { runClient, stallNotes, type BenchContext } from "../lib/context";
import { MiB } from "../lib/files";
import { ratio, summarize } from "../lib/stats";
import { sessionRequestCount, theoreticalMinimumSec, type LinkModel } from "../lib/theory";
import { makeRatio, type ScenarioResult } from "../lib/types";

export const MODELLED_LINK: LinkModel = { latencyMs: 40, bandwidthBitsPerSec: 100e6 };
/** Graph's cap on one range: the fewest requests any client could make. */
export const PROTOCOL_MAX_RANGE = 4 * MiB;

const CLIENTS: { kind: ClientKind; label: string }[] = [
  { kind: "engine", label: "large-attach engine" },
  { kind: "sdk-stream", label: "Graph SDK, StreamUpload" },
];

export async function linkScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const file = await ctx.files.make("link.bin", settings.largeFileBytes, 2);
  const results = new Map<ClientKind, ClientResult[]>(CLIENTS.map((c) => [c.kind, []]));
  ctx.emulator.setLink(MODELLED_LINK);
  try {
    for (let run = 0; run < settings.linkRuns; run++) {
      for (const { kind } of CLIENTS) {
        const result = await runClient(ctx, kind, [file]);
        results.get(kind)!.push(result);
        ctx.log(
          `  link run ${run + 1}/${settings.linkRuns} ${kind}: ${result.ms.toFixed(0)} ms, ${result.requests} requests`
        );
      }
    }
  } finally {
    ctx.emulator.setLink(null);
  }
  const requests = sessionRequestCount(file.size, PROTOCOL_MAX_RANGE);
  const minimumMs = theoreticalMinimumSec(file.size, requests, MODELLED_LINK) * 1000;
  const time = (k: ClientKind) => summarize(results.get(k)!.map((r) => r.ms));
  return {
    id: "link",
    title: `Modelled link (${MODELLED_LINK.latencyMs} ms/request, ${MODELLED_LINK.bandwidthBitsPerSec / 1e6} Mbit/s), one ${settings.largeFileBytes / MiB} MiB file`,
    params: {
      fileBytes: file.size,
      runs: settings.linkRuns,
      latencyMs: MODELLED_LINK.latencyMs,
      bandwidthBitsPerSec: MODELLED_LINK.bandwidthBitsPerSec,
      minimumRequests: requests,
      requestsEngine: results.get("engine")![0]?.requests ?? 0,
      requestsSdk: results.get("sdk-stream")![0]?.requests ?? 0,
    },
    measurements: [
      {
        key: "link.minimum.time",
        label: "theoretical minimum",
        unit: "ms",
        summary: summarize([minimumMs]),
      },
      ...CLIENTS.map(({ kind, label }) => ({
        key: `link.${kind}.time`,
        label: `${label}: time`,
        unit: "ms" as const,
        summary: time(kind),
      })),
    ],
    ratios: [
      makeRatio(
        "link.engine/minimum",
        "engine time / theoretical minimum",
        ratio(time("engine"), minimumMs),
        {
          op: "<=",
          value: 1.05,
        }
      ),
      makeRatio(
        "link.sdk/minimum",
        "SDK time / theoretical minimum",
        ratio(time("sdk-stream"), minimumMs)
      ),
      makeRatio(
        "link.engine/sdk",
        "engine time / SDK time (modelled link)",
        ratio(time("engine"), time("sdk-stream"))
      ),
    ],
    notes: [
      `Theoretical minimum = size × 8 / bandwidth + ${requests} requests × ${MODELLED_LINK.latencyMs} ms ` +
        `(createUploadSession + ⌈size / 4 MiB⌉ ranges at Graph's largest allowed range).`,
      ...stallNotes(ctx, ["sdk-stream"]),
    ],
  };
}
