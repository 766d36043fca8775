// Our engine from Node, as the CLI ships it: attachFile / UploadQueue on an fs.openAsBlob file
// (src/cli/node-file) with the CLI's node:http keep-alive transport (src/cli/node-transport) for
// the ranges and the Graph calls alike. "engine-fetch" keeps the engine's
// defaults (Node's fetch for both) beside it for comparison. The clock covers session creation too.
import { openUploadFile } from "../../src/cli/node-file";
import { nodeHttpTransport } from "../../src/cli/node-transport";
import {
  UploadQueue,
  attachFile,
  withUploadOrigins,
  type RangeTransport,
  type TransportRequest,
  type UploadFile,
  type UploadOptions,
  type UploadTarget,
} from "../../src/upload";
import { countRequests } from "./graph";
import type { ClientJob, ClientResult } from "./job";

export type EngineTransport = "cli" | "fetch";

function target(job: ClientJob, itemId: string): UploadTarget {
  return { graphBaseUrl: job.graphUrl, mailbox: job.mailbox, itemKind: job.itemKind, itemId };
}

/**
 * The CLI's transport and Graph fetch, and a count of the requests they sent (node:http bypasses
 * the fetch counter). "fetch": the engine's defaults, which countRequests already counts.
 */
function transportFor(kind: EngineTransport): {
  transport?: RangeTransport;
  fetch?: typeof fetch;
  sent(): number;
} {
  if (kind === "fetch") return { sent: () => 0 };
  const inner = nodeHttpTransport();
  let sent = 0;
  const transport: RangeTransport = {
    send(req: TransportRequest) {
      sent++;
      return inner.send(req);
    },
  };
  return { transport, sent: () => sent };
}

/** The engine's allow-list plus the emulator's upload origin (the engine refuses any other uploadUrl). */
function originsFor(job: ClientJob): string[] {
  return job.uploadOrigin ? withUploadOrigins(job.uploadOrigin) : withUploadOrigins();
}

/** The options every engine client passes: the transport's, and the emulator's upload origin allowed. */
type SendOptions = Pick<UploadOptions, "allowedUploadOrigins"> & Partial<UploadOptions>;

/**
 * One file through one engine call (`send`), timed from opening the file to its result, with every
 * request counted: what "engine" (attachFile) and "drive-engine" (shareFile) measure alike.
 */
export async function timeOneFile(
  job: ClientJob,
  kind: EngineTransport,
  send: (upload: UploadFile, options: SendOptions) => Promise<{ bytes: number; id: string }>
): Promise<Omit<ClientResult, "maxRssBytes">> {
  const requests = countRequests();
  const { transport, fetch, sent } = transportFor(kind);
  const started = performance.now();
  const upload = await openUploadFile(job.files[0].path);
  const result = await send(upload, {
    transport,
    allowedUploadOrigins: originsFor(job),
    ...(fetch ? { fetch } : {}),
  });
  return {
    ms: performance.now() - started,
    bytes: result.bytes,
    requests: requests() + sent(),
    attachmentIds: [result.id],
  };
}

export function runEngine(
  job: ClientJob,
  kind: EngineTransport
): Promise<Omit<ClientResult, "maxRssBytes">> {
  return timeOneFile(job, kind, async (upload, options) => {
    const r = await attachFile(upload, target(job, job.itemIds[0]), async () => job.token, {
      chunkSize: job.chunkSize,
      ...options,
    });
    return { bytes: r.bytes, id: r.attachmentId };
  });
}

export async function runEngineQueue(
  job: ClientJob,
  kind: EngineTransport
): Promise<Omit<ClientResult, "maxRssBytes">> {
  const requests = countRequests();
  const { transport, fetch, sent } = transportFor(kind);
  const started = performance.now();
  const queue = new UploadQueue({
    target: target(job, job.itemIds[0]),
    getToken: async () => job.token,
    concurrency: job.concurrency ?? 1,
    uploadOptions: {
      chunkSize: job.chunkSize,
      transport,
      allowedUploadOrigins: originsFor(job),
      ...(fetch ? { fetch } : {}),
    },
  });
  const files = await Promise.all(job.files.map((f) => openUploadFile(f.path)));
  // One item per file, so a tenant message-size limit never counts the other files.
  files.forEach((file, i) => queue.add(file, { target: target(job, job.itemIds[i]) }));
  const state = await queue.whenIdle();
  const failed = state.files.filter((f) => f.phase !== "attached");
  if (failed.length) {
    throw new Error(
      `${failed.length} file(s) did not attach: ${failed[0].error?.message ?? failed[0].phase}`
    );
  }
  return {
    ms: performance.now() - started,
    bytes: job.files.reduce((n, f) => n + f.size, 0),
    requests: requests() + sent(),
    attachmentIds: state.files.map((f) => f.result?.attachmentId ?? ""),
  };
}
