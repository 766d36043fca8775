// Our engine's OneDrive route from Node, as the CLI's `share` ships it: shareFile on an
// fs.openAsBlob file with the CLI's node:http transport (engine.ts's "cli" transport), into the
// bench's folder, with the engine's own drive range size (nothing set: what a user gets). The
// clock covers everything the route does: the folder, createUploadSession, every range and
// createLink.
import { openUploadFile } from "../../src/cli/node-file";
import { shareFile, type DriveTarget } from "../../src/upload";
import { originsFor, transportFor, type EngineTransport } from "./engine";
import { BENCH_DRIVE_FOLDER, countRequests } from "./graph";
import type { ClientJob, ClientResult } from "./job";

export function driveTarget(job: ClientJob): DriveTarget {
  return { graphBaseUrl: job.graphUrl, drive: "me", folder: job.driveFolder ?? BENCH_DRIVE_FOLDER };
}

export async function runDriveEngine(
  job: ClientJob,
  kind: EngineTransport
): Promise<Omit<ClientResult, "maxRssBytes">> {
  const [file] = job.files;
  const requests = countRequests();
  const { transport, fetch, sent } = transportFor(kind);
  const started = performance.now();
  const upload = await openUploadFile(file.path);
  const result = await shareFile(upload, driveTarget(job), async () => job.token, {
    transport,
    allowedUploadOrigins: originsFor(job),
    ...(fetch ? { fetch } : {}),
  });
  return {
    ms: performance.now() - started,
    bytes: result.bytes,
    requests: requests() + sent(),
    attachmentIds: [result.driveItemId],
  };
}
