// Microsoft's own client: @microsoft/microsoft-graph-client's LargeFileUploadTask with the same
// range size as the engine, run unchanged — its default middleware (authentication, retry,
// telemetry). Two ways a Node developer feeds it a file:
//   "stream" — StreamUpload over fs.createReadStream (the SDK's low-memory Node path);
//   "buffer" — FileUpload over fs.readFile (the whole file in memory, the common shortcut).
// The SDK treats only https URLs as absolute and authenticates only https Graph hosts, so the
// client talks to two stand-in https origins that the last handler maps back to the emulator's http Graph and upload origins.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import {
  AuthenticationHandler,
  Client,
  FileUpload,
  LargeFileUploadTask,
  RetryHandler,
  StreamUpload,
  TelemetryHandler,
  type Context,
} from "@microsoft/microsoft-graph-client";
import { attachmentsUrl, countRequests } from "./graph";
import type { ClientJob, ClientResult } from "./job";

export const GRAPH_STANDIN = "https://graph.emulator.test";
export const UPLOAD_STANDIN = "https://upload.emulator.test";

/** The SDK's default chain with a final handler that maps stand-in https origins to the real (http) ones. */
export function sdkClient(token: string, origins: Map<string, string>): Client {
  const auth = new AuthenticationHandler({ getAccessToken: async () => token });
  const retry = new RetryHandler();
  const telemetry = new TelemetryHandler();
  const send = {
    async execute(context: Context) {
      let url = typeof context.request === "string" ? context.request : context.request.url;
      for (const [standIn, origin] of origins) {
        if (url.startsWith(standIn)) url = origin + url.slice(standIn.length);
      }
      context.response = await fetch(url, context.options as RequestInit);
    },
  };
  auth.setNext(retry);
  retry.setNext(telemetry);
  telemetry.setNext(send);
  return Client.initWithMiddleware({
    middleware: auth,
    customHosts: new Set([new URL(GRAPH_STANDIN).host]),
  });
}

export async function runSdk(
  job: ClientJob,
  feed: "stream" | "buffer"
): Promise<Omit<ClientResult, "maxRssBytes">> {
  const [file] = job.files;
  const requests = countRequests();
  const started = performance.now();
  const graph = new URL(job.graphUrl);
  const origins = new Map([[GRAPH_STANDIN, graph.origin]]);
  const client = sdkClient(job.token, origins);
  const sessionUrl = `${attachmentsUrl(job, job.itemIds[0]).replace(graph.origin, GRAPH_STANDIN)}/createUploadSession`;
  const session = await LargeFileUploadTask.createUploadSession(client, sessionUrl, {
    AttachmentItem: { attachmentType: "file", name: file.name, size: file.size },
  });
  const uploadUrl = new URL(session.url);
  if (uploadUrl.protocol === "http:") {
    origins.set(UPLOAD_STANDIN, uploadUrl.origin);
    session.url = `${UPLOAD_STANDIN}${uploadUrl.pathname}${uploadUrl.search}`;
  }
  const options = { rangeSize: job.chunkSize };
  const task =
    feed === "stream"
      ? new LargeFileUploadTask(
          client,
          new StreamUpload(createReadStream(file.path), file.name, file.size),
          session,
          options
        )
      : new LargeFileUploadTask(
          client,
          new FileUpload(await readFile(file.path), file.name, file.size),
          session,
          options
        );
  const result = await task.upload();
  const location = result.location ?? "";
  return {
    ms: performance.now() - started,
    bytes: file.size,
    requests: requests(),
    attachmentIds: [/Attachments\('([^']+)'\)/i.exec(location)?.[1] ?? ""],
  };
}
