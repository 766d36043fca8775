// What the loopback benchmark measures as "the engine" is the CLI's pairing: openUploadFile +
// nodeHttpTransport (ranges read from disk in pieces a few ahead, into reused buffers) for the ranges and the Graph calls. Against the emulator: a file from disk attaches byte-exact
// through several ranges without Node's fetch, also two at a time from the same path; a file
// touched mid-upload ends in a FileReadError with the session deleted; a Graph error still types.
import { utimes } from "node:fs/promises";
import { openUploadFile } from "../../../src/cli/node-file";
import { nodeHttpTransport } from "../../../src/cli/node-transport";
import { FileReadError, HttpError, attachFile } from "../../../src/upload";
import {
  bootEmulator,
  createItem,
  diskFile,
  fastRetries,
  sha256OfValue,
  targetFor,
  tempDir,
  type Emulator,
} from "../upload/helpers";

const MiB = 1024 * 1024;
let emu: Emulator;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  emu = await bootEmulator();
  tmp = await tempDir();
});
afterAll(async () => {
  await emu?.close();
  await tmp?.cleanup();
});

test("a file from disk in 1 MiB ranges, twice at once through one transport: both byte-exact", async () => {
  const { path, sha256 } = await diskFile(tmp.dir, "disk.bin", 5 * MiB + 3);
  const transport = nodeHttpTransport();
  const targets = [targetFor(emu, await createItem(emu)), targetFor(emu, await createItem(emu))];
  const globalFetch = jest.spyOn(globalThis, "fetch");
  const results = await Promise.all(
    targets.map(async (target) =>
      attachFile(await openUploadFile(path), target, async () => emu.issueToken(), {
        ...fastRetries,
        chunkSize: MiB,
        transport,
      })
    )
  );
  expect(globalFetch).not.toHaveBeenCalled();
  globalFetch.mockRestore();
  for (const [i, result] of results.entries()) {
    expect(await sha256OfValue(emu, targets[i], result.attachmentId)).toBe(sha256);
  }
  expect(emu.openSessions()).toEqual([]);
});

test("a file touched after its first range: FileReadError, nothing attached, session deleted", async () => {
  const { path } = await diskFile(tmp.dir, "touched.bin", 5 * MiB);
  const target = targetFor(emu, await createItem(emu));
  let touched: Promise<void> | undefined;
  const error = await attachFile(await openUploadFile(path), target, async () => emu.issueToken(), {
    ...fastRetries,
    chunkSize: MiB,
    transport: nodeHttpTransport(),
    onChunkComplete: (_bytes, acknowledged) => {
      if (acknowledged === MiB) touched ??= utimes(path, new Date(), new Date(Date.now() + 5_000));
    },
  }).then(
    () => undefined,
    (e: unknown) => e
  );
  await touched;
  expect(error).toBeInstanceOf(FileReadError);
  expect(emu.attachments().filter((a) => a.itemId === target.itemId)).toEqual([]);
  expect(emu.openSessions()).toEqual([]);
});

test("a Graph error through nodeHttpTransport is the engine's typed HttpError (status kept)", async () => {
  const { path } = await diskFile(tmp.dir, "missing-item.bin", 5 * MiB);
  const transport = nodeHttpTransport();
  const target = targetFor(emu, "AAMkDoesNotExist");
  const error = await attachFile(await openUploadFile(path), target, async () => emu.issueToken(), {
    ...fastRetries,
    chunkSize: MiB,
    itemWaitMs: 0,
    transport,
  }).then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(404);
});
