// Microsoft's own client: @microsoft/microsoft-graph-client's LargeFileUploadTask with the same
// range size as the engine. Two ways a Node developer feeds it a file, as the SDK documents them:
// "stream" — StreamUpload over fs.createReadStream (the documented Node way), and
// "buffer" — FileUpload over fs.readFile (the whole file in memory, the common shortcut).
// The SDK adds its auth header only to https Graph hosts, so against the http emulator the
// upload PUTs go without a token (as they must) and the session POST gets it explicitly.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import {
  Client,
  FileUpload,
  LargeFileUploadTask,
  StreamUpload,
} from "@microsoft/microsoft-graph-client";
import { attachmentsUrl, countRequests } from "./graph";
import type { ClientJob, ClientResult } from "./job";

export async function runSdk(
  job: ClientJob,
  feed: "stream" | "buffer"
): Promise<Omit<ClientResult, "maxRssBytes">> {
  const [file] = job.files;
  const requests = countRequests();
  const started = performance.now();
  const client = Client.init({
    authProvider: (done) => done(null, job.token),
    defaultVersion: "v1.0",
  });
  const session = await LargeFileUploadTask.createUploadSession(
    client,
    `${attachmentsUrl(job, job.itemIds[0])}/createUploadSession`,
    { AttachmentItem: { attachmentType: "file", name: file.name, size: file.size } },
    { Authorization: `Bearer ${job.token}` }
  );
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
