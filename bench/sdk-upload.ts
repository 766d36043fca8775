// Baseline for the benchmarks: the Microsoft Graph JavaScript SDK's LargeFileUploadTask on one
// file, as a standalone script (the benchmark harness spawns it next to `large-attach attach`).
//
//   tsx bench/sdk-upload.ts FILE (--message ID | --event ID) --graph-url URL --token-env VAR
//                           [--user UPN] [--chunk-size BYTES] [--file-object stream|buffer]
//
// Prints one JSON line: {"file","bytes","attachmentId","ms","maxRssKiB","chunkSize","fileObject"}.
// Exit 0 on success, 1 on failure, 2 for bad usage. The token is read from the environment only.
//
// Notes on fairness: the SDK only treats https URLs as absolute (an http URL is appended to its
// base URL) and only authenticates https Graph hosts. To run it unchanged against the http
// emulator, the client is built with the SDK's default middleware (authentication for the Graph
// host only, retry, telemetry) and a last handler that maps two stand-in https origins back to the
// emulator's Graph and upload origins before calling fetch, as HTTPMessageHandler does. The SDK's default range (5 MiB) exceeds Outlook's 4 MiB cap, so the range size is
// the engine's default unless given. "stream" (StreamUpload over fs.createReadStream) is the SDK's
// low-memory path; "buffer" (FileUpload over the whole file read into memory) is what its docs show.
import {
  FileUpload,
  type FileObject,
  LargeFileUploadTask,
  StreamUpload,
} from "@microsoft/microsoft-graph-client";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { GRAPH_STANDIN, sdkClient, UPLOAD_STANDIN } from "./clients/sdk";

const USAGE =
  "Usage: tsx bench/sdk-upload.ts FILE (--message ID | --event ID) --graph-url URL --token-env VAR " +
  "[--user UPN] [--chunk-size BYTES] [--file-object stream|buffer]";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        message: { type: "string" },
        event: { type: "string" },
        user: { type: "string", default: "me" },
        "graph-url": { type: "string" },
        "token-env": { type: "string" },
        "chunk-size": { type: "string", default: "3932160" },
        "file-object": { type: "string", default: "stream" },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const token = values["token-env"] ? process.env[values["token-env"]] : undefined;
  const itemId = values.message ?? values.event;
  const fileObject = values["file-object"];
  if (
    positionals.length !== 1 ||
    !itemId ||
    !values["graph-url"] ||
    !token ||
    !["stream", "buffer"].includes(fileObject!)
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const path = positionals[0];
  const size = (await stat(path)).size;
  const name = basename(path);
  const mailbox = values.user === "me" ? "me" : `users/${encodeURIComponent(values.user!)}`;
  const kind = values.message ? "messages" : "events";

  const started = performance.now();
  const graph = new URL(values["graph-url"]!);
  const origins = new Map<string, string>([[GRAPH_STANDIN, graph.origin]]);
  const client = sdkClient(token, origins);
  const session = await LargeFileUploadTask.createUploadSession(
    client,
    `${GRAPH_STANDIN}${graph.pathname.replace(/\/+$/, "")}/${mailbox}/${kind}/${encodeURIComponent(itemId)}/attachments/createUploadSession`,
    { AttachmentItem: { attachmentType: "file", name, size } }
  );
  const uploadUrl = new URL(session.url);
  if (uploadUrl.protocol === "http:") {
    origins.set(UPLOAD_STANDIN, uploadUrl.origin);
    session.url = `${UPLOAD_STANDIN}${uploadUrl.pathname}${uploadUrl.search}`;
  }
  // LargeFileUploadTask<T> is generic over the file object; both are valid FileObjects at run time.
  const file: FileObject<unknown> =
    fileObject === "buffer"
      ? new FileUpload((await readFile(path)).buffer as ArrayBuffer, name, size)
      : new StreamUpload(createReadStream(path), name, size);
  const task = new LargeFileUploadTask<unknown>(client, file, session, {
    rangeSize: Number(values["chunk-size"]),
  });
  const result = await task.upload();
  const ms = Math.round(performance.now() - started);
  const location = result.location ?? "";
  const attachmentId = /attachments\('([^']+)'\)/i.exec(location)?.[1] ?? null;
  process.stdout.write(
    `${JSON.stringify({
      file: path,
      bytes: size,
      attachmentId,
      ms,
      maxRssKiB: process.resourceUsage().maxRSS,
      chunkSize: Number(values["chunk-size"]),
      fileObject,
    })}\n`
  );
  return 0;
}

// Seen here: StreamUpload sometimes waits for a "readable" event that never comes; the upload
// promise then never settles and Node exits with code 0 and no output. Report it as a failure.
let settled = false;
process.on("beforeExit", () => {
  if (settled) return;
  settled = true;
  process.stderr.write(
    "sdk-upload failed: the SDK's upload promise never settled (the event loop ran dry)\n"
  );
  process.exitCode = 1;
});

main()
  .finally(() => (settled = true))
  .then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      // Never print the error object whole: SDK errors can carry request headers.
      const cause = (error as { cause?: { message?: string; code?: string } })?.cause;
      const why = cause
        ? ` (cause: ${cause.code ?? ""} ${String(cause.message ?? cause).slice(0, 200)})`
        : "";
      process.stderr.write(
        `sdk-upload failed: ${(error as Error)?.name}: ${String((error as Error)?.message).slice(0, 300)}${why}\n`
      );
      process.exitCode = 1;
    }
  );
