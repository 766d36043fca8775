// Our engine from Node: attachFile on an fs.openAsBlob file (what the CLI does), and the
// UploadQueue for several files at a given concurrency. The clock covers session creation too.
import { openUploadFile } from "../../src/cli/node-file";
import { UploadQueue, attachFile, type RangeTransport, type UploadTarget } from "../../src/upload";
import { countRequests } from "./graph";
import type { ClientJob, ClientResult } from "./job";

function target(job: ClientJob, itemId: string): UploadTarget {
  return { graphBaseUrl: job.graphUrl, mailbox: job.mailbox, itemKind: job.itemKind, itemId };
}

export async function runEngine(
  job: ClientJob,
  transport?: RangeTransport
): Promise<Omit<ClientResult, "maxRssBytes">> {
  const [file] = job.files;
  const requests = countRequests();
  const started = performance.now();
  const upload = await openUploadFile(file.path);
  const result = await attachFile(upload, target(job, job.itemIds[0]), async () => job.token, {
    chunkSize: job.chunkSize,
    transport,
  });
  return {
    ms: performance.now() - started,
    bytes: result.bytes,
    requests: requests(),
    attachmentIds: [result.attachmentId],
  };
}

export async function runEngineQueue(job: ClientJob): Promise<Omit<ClientResult, "maxRssBytes">> {
  const requests = countRequests();
  const started = performance.now();
  const queue = new UploadQueue({
    target: target(job, job.itemIds[0]),
    getToken: async () => job.token,
    concurrency: job.concurrency ?? 1,
    uploadOptions: { chunkSize: job.chunkSize },
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
    requests: requests(),
    attachmentIds: state.files.map((f) => f.result?.attachmentId ?? ""),
  };
}
