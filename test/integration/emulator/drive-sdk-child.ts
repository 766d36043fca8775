// Child process for drive-sdk.test.ts: runs the Graph SDK's OneDriveLargeFileUploadTask,
// unchanged, in a process that trusts the emulator's throw-away certificate (NODE_EXTRA_CA_CERTS).
//   node --require tsx/cjs drive-sdk-child.ts  (input: one JSON object in argv[2])
// Prints one JSON line: {"ok":true,"item","progress","uploadHost"} or {"ok":false,…}.
// The token arrives in the SDK_TEST_TOKEN environment variable, never on the command line.
import {
  Client,
  FileUpload,
  OneDriveLargeFileUploadTask,
  StreamUpload,
  type FileObject,
} from "@microsoft/microsoft-graph-client";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";

interface Input {
  /** "https://localhost:PORT" (the Graph origin, by the name the upload origin does not share). */
  baseUrl: string;
  file: string;
  size: number;
  fileName: string;
  path?: string;
  fileObject: "FileUpload" | "StreamUpload";
  rangeSize?: number;
  conflictBehavior?: "rename" | "fail" | "replace";
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as Input;
  const token = process.env.SDK_TEST_TOKEN ?? "";
  const client = Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: input.baseUrl,
    customHosts: new Set([new URL(input.baseUrl).hostname]),
  });
  const file: FileObject<unknown> =
    input.fileObject === "FileUpload"
      ? new FileUpload(new Uint8Array(await readFile(input.file)), input.fileName, input.size)
      : new StreamUpload(
          createReadStream(input.file, { highWaterMark: 256 * 1024 }),
          input.fileName,
          input.size
        );
  const progress: number[] = [];
  const task = await OneDriveLargeFileUploadTask.createTaskWithFileObject(client, file, {
    fileName: input.fileName,
    path: input.path,
    rangeSize: input.rangeSize,
    conflictBehavior: input.conflictBehavior,
    uploadEventHandlers: { progress: (range) => progress.push(range?.maxValue ?? -1) },
  });
  const uploadHost = new URL(task.getUploadSession().url).hostname;
  try {
    const result = await task.upload();
    const item = result.responseBody as Record<string, unknown>;
    process.stdout.write(`${JSON.stringify({ ok: true, item, progress, uploadHost })}\n`);
  } catch (error) {
    const e = error as Error & { statusCode?: number; code?: string; error?: { code?: string } };
    const cancel = (await task.cancel()) as Response;
    process.stdout.write(
      `${JSON.stringify({ ok: false, statusCode: e.statusCode, code: e.code ?? e.error?.code, cancelStatus: cancel.status })}\n`
    );
  }
}

main().catch((error: Error & { statusCode?: number; code?: string }) => {
  process.stdout.write(
    `${JSON.stringify({ ok: false, crash: error.message, statusCode: error.statusCode, code: error.code })}\n`
  );
  process.exitCode = 1;
});
