// Scenarios 6 and 7: the OneDrive route (shareFile: folder, upload session, ranges, createLink) in
// Node through the CLI's node:http transport.
//   "drive"      — loopback, a 150 MiB and a 1 GiB file (32 MiB and 256 MiB quick), each against
//                  one node:http PUT of the whole file to a drive upload URL measured in the same
//                  run (the drive range rules lifted for that PUT only), runs interleaved; and the
//                  route's peak RSS for the big file against the small one (it must not grow
//                  with the file).
//   "drive-link" — the modelled wide-area link (the emulator's latency and bandwidth cap, as in
//                  scenario 2) against the theoretical minimum of OneDrive's protocol on it.
import type { ClientKind, ClientResult } from "../clients/job";
import { runClient, type BenchContext } from "../lib/context";
import { MiB, type BenchFile } from "../lib/files";
import { clientMeasurements, rssOf, timeOf } from "../lib/measure";
import { ratio, summarize } from "../lib/stats";
import { driveRouteRequestCount, theoreticalMinimumSec } from "../lib/theory";
import { makeRatio, type Measurement, type Ratio, type ScenarioResult } from "../lib/types";
import { DEFAULT_LIMITS } from "../../dev/graph-emulator/limits";
import { MODELLED_LINK } from "./link";

/**
 * OneDrive's largest range, the fewest requests any client could make: under 60 MiB and a
 * multiple of 320 KiB, 191 × 327,680 = 62,586,880 bytes.
 */
export const DRIVE_MAX_RANGE =
  (Math.ceil(DEFAULT_LIMITS.driveRangeMaxBytes / DEFAULT_LIMITS.driveRangeMultiple) - 1) *
  DEFAULT_LIMITS.driveRangeMultiple;

const DRIVE_CLIENTS: { kind: ClientKind; label: string }[] = [
  { kind: "drive-limit", label: "single PUT to the drive upload URL, node:http (limit)" },
  { kind: "drive-engine", label: "large-attach OneDrive route (CLI: node:http transport)" },
];

const sizeLabel = (bytes: number) =>
  bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)} GiB` : `${bytes / MiB} MiB`;

/** Runs of each drive client on one file, interleaved; the limit's PUT with the range rules lifted. */
async function measureDrive(ctx: BenchContext, file: BenchFile, runs: number, what: string) {
  const results = new Map<ClientKind, ClientResult[]>(DRIVE_CLIENTS.map((c) => [c.kind, []]));
  for (let run = 0; run < runs; run++) {
    for (const { kind } of DRIVE_CLIENTS) {
      const single = kind === "drive-limit";
      if (single) ctx.emulator.setDriveRangeRules(false);
      try {
        const result = await runClient(ctx, kind, [file]);
        results.get(kind)!.push(result);
        ctx.log(
          `  ${what} run ${run + 1}/${runs} ${kind}: ${result.ms.toFixed(0)} ms, ` +
            `${(result.maxRssBytes / 1e6).toFixed(0)} MB RSS, ${result.requests} requests`
        );
      } finally {
        if (single) ctx.emulator.setDriveRangeRules(true);
      }
    }
  }
  return results;
}

export async function driveScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const sizes = [settings.largeFileBytes, settings.hugeFileBytes];
  const measurements: Measurement[] = [];
  const ratios: Ratio[] = [];
  const params: ScenarioResult["params"] = { runs: settings.driveRuns };
  const engineRss: number[] = [];
  for (const [i, size] of sizes.entries()) {
    const tag = i === 0 ? "small" : "big";
    // One file at a time on disk: the big one is made when the small one is gone.
    const file = await ctx.files.make(`drive-${tag}.bin`, size, 6 + i);
    try {
      const results = await measureDrive(ctx, file, settings.driveRuns, `drive ${sizeLabel(size)}`);
      for (const { kind, label } of DRIVE_CLIENTS) {
        measurements.push(
          ...clientMeasurements(
            `drive.${tag}.${kind}`,
            `${sizeLabel(size)}, ${label}`,
            results.get(kind)!
          )
        );
      }
      const engine = results.get("drive-engine")!;
      engineRss.push(rssOf(engine).median);
      params[`${tag}FileBytes`] = size;
      params[`requestsEngine${i === 0 ? "Small" : "Big"}`] = engine[0]?.requests ?? 0;
      ratios.push(
        makeRatio(
          `drive.${tag}.engine/limit`,
          `OneDrive route time / single drive PUT (${sizeLabel(size)})`,
          ratio(timeOf(engine), timeOf(results.get("drive-limit")!)),
          { op: "<=", value: 1.1 }
        )
      );
    } finally {
      await ctx.files.remove(file);
    }
  }
  ratios.push(
    makeRatio(
      "drive.rss.big/small",
      `OneDrive route peak RSS, ${sizeLabel(sizes[1])} / ${sizeLabel(sizes[0])}`,
      ratio(engineRss[1], engineRss[0]),
      { op: "<=", value: 1.2 }
    )
  );
  return {
    id: "drive",
    title: `OneDrive route on loopback, ${sizeLabel(sizes[0])} and ${sizeLabel(sizes[1])}, Node`,
    params,
    measurements,
    ratios,
    notes: [
      "The single PUT's session (folder made sure of, createUploadSession) is created before its clock starts, " +
        "and the emulator's drive range rules are lifted for it alone (one range of 60 MiB or more breaks them). " +
        "The route's clock covers the folder check, createUploadSession, every range and createLink.",
      "Peak RSS is the whole child process (Node itself is ≈ 40–50 MB of it); the files live in a temp " +
        "directory, each removed as soon as its runs are done.",
    ],
  };
}

export async function driveLinkScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const file = await ctx.files.make("drive-link.bin", settings.largeFileBytes, 8);
  const runs: ClientResult[] = [];
  ctx.emulator.setLink(MODELLED_LINK);
  try {
    for (let run = 0; run < settings.linkRuns; run++) {
      const result = await runClient(ctx, "drive-engine", [file]);
      runs.push(result);
      ctx.log(
        `  drive link run ${run + 1}/${settings.linkRuns}: ${result.ms.toFixed(0)} ms, ${result.requests} requests`
      );
    }
  } finally {
    ctx.emulator.setLink(null);
    await ctx.files.remove(file);
  }
  const requests = driveRouteRequestCount(file.size, DRIVE_MAX_RANGE);
  const minimumMs = theoreticalMinimumSec(file.size, requests, MODELLED_LINK) * 1000;
  return {
    id: "drive-link",
    title:
      `OneDrive route on the modelled link (${MODELLED_LINK.latencyMs} ms/request, ` +
      `${MODELLED_LINK.bandwidthBitsPerSec / 1e6} Mbit/s), one ${sizeLabel(file.size)} file`,
    params: {
      fileBytes: file.size,
      runs: settings.linkRuns,
      minimumRequests: requests,
      requestsEngine: runs[0]?.requests ?? 0,
    },
    measurements: [
      {
        key: "drive-link.minimum.time",
        label: "theoretical minimum",
        unit: "ms",
        summary: summarize([minimumMs]),
      },
      {
        key: "drive-link.engine.time",
        label: "large-attach OneDrive route: time",
        unit: "ms",
        summary: timeOf(runs),
      },
    ],
    ratios: [
      makeRatio(
        "drive-link.engine/minimum",
        "OneDrive route time / theoretical minimum",
        ratio(timeOf(runs), minimumMs),
        { op: "<=", value: 1.05 }
      ),
    ],
    notes: [
      `Theoretical minimum = size × 8 / bandwidth + ${requests} requests × ${MODELLED_LINK.latencyMs} ms: ` +
        `the folder made sure of (one POST with conflictBehavior replace), createUploadSession, ` +
        `⌈size / ${DRIVE_MAX_RANGE} bytes⌉ ranges (OneDrive's largest: under 60 MiB, a multiple of 320 KiB) ` +
        "and createLink.",
      "The route's ranges are adaptive (adaptiveDriveRangeSize, src/upload/drive-rules.ts: 10 MiB first, then " +
        "about 4 s of the measured throughput, up to the same largest range); requestsEngine is what it made.",
    ],
  };
}
