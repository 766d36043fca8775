// Child process for graph-sdk.test.ts: runs the Graph SDK's LargeFileUploadTask, unchanged, in a
// process that trusts the emulator's throw-away certificate through NODE_EXTRA_CA_CERTS.
//   node --require tsx/cjs sdk-upload-child.ts  (input: one JSON object in argv[2])
// Prints one JSON line: {"ok":true,"location","progress"} or {"ok":false,"statusCode","code"}.
// The token arrives in the SDK_TEST_TOKEN environment variable, never on the command line.
import {
  Client,
  type FileObject,
  FileUpload,
  LargeFileUploadTask,
  StreamUpload,
} from "@microsoft/microsoft-graph-client";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

interface Input {
  graphUrl: string;
  collection: "messages" | "events";
  itemId: string;
  file: string;
  size: number;
  fileObject: "FileUpload" | "StreamUpload";
  rangeSize?: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as Input;
  const token = process.env.SDK_TEST_TOKEN ?? "";
  const host = new URL(input.graphUrl).hostname;
  const client = Client.init({
    authProvider: (done) => done(null, token),
    customHosts: new Set([host]),
  });
  const name = basename(input.file);
  const session = await LargeFileUploadTask.createUploadSession(
    client,
    `${input.graphUrl}/me/${input.collection}/${input.itemId}/attachments/createUploadSession`,
    { AttachmentItem: { attachmentType: "file", name, size: input.size } }
  );
  const file: FileObject<unknown> =
    input.fileObject === "FileUpload"
      ? new FileUpload(new Uint8Array(await readFile(input.file)), name, input.size)
      : new StreamUpload(
          createReadStream(input.file, { highWaterMark: 256 * 1024 }),
          name,
          input.size
        );
  const progress: number[] = [];
  const task = new LargeFileUploadTask(client, file, session, {
    ...(input.rangeSize ? { rangeSize: input.rangeSize } : {}),
    uploadEventHandlers: { progress: (range) => progress.push(range?.maxValue ?? -1) },
  });
  try {
    const result = await task.upload();
    process.stdout.write(
      `${JSON.stringify({ ok: true, location: result.location, progress, uploadHost: new URL(session.url).hostname })}\n`
    );
  } catch (error) {
    // The SDK may reject with a GraphError or with the bare parsed error body ({ error: {…} }).
    const e = error as Error & { statusCode?: number; code?: string; error?: { code?: string } };
    const cancel = (await task.cancel()) as Response;
    const outcome = {
      ok: false,
      isError: error instanceof Error,
      statusCode: e.statusCode,
      code: e.code ?? e.error?.code,
      cancelStatus: cancel.status,
    };
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  }
}

main().catch((error: Error) => {
  process.stdout.write(`${JSON.stringify({ ok: false, crash: error.message })}\n`);
  process.exitCode = 1;
});
