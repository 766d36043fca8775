// Our engine's OneDrive route from Node, as the CLI's `share` ships it: shareFile on an
// fs.openAsBlob file with the CLI's node:http transport (engine.ts's "cli" transport), into the
// bench's folder, with the engine's own drive range size (nothing set: what a user gets). The
// clock covers everything the route does: the folder, createUploadSession, every range and
// createLink.
import { shareFile, type DriveTarget } from "../../src/upload";
import { timeOneFile, type EngineTransport } from "./engine";
import { BENCH_DRIVE_FOLDER } from "./graph";
import type { ClientJob, ClientResult } from "./job";

export function driveTarget(job: ClientJob): DriveTarget {
  return { graphBaseUrl: job.graphUrl, drive: "me", folder: job.driveFolder ?? BENCH_DRIVE_FOLDER };
}

export function runDriveEngine(
  job: ClientJob,
  kind: EngineTransport
): Promise<Omit<ClientResult, "maxRssBytes">> {
  return timeOneFile(job, kind, async (upload, options) => {
    const r = await shareFile(upload, driveTarget(job), async () => job.token, options);
    return { bytes: r.bytes, id: r.driveItemId };
  });
}
