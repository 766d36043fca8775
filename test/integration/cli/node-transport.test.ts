// The CLI's node:http transport through the engine against the emulator: ranges, a dropped
// connection, cancel — the same guarantees as the default fetch transport.
import { AbortError, attachFile } from "../../../src/upload";
import { nodeHttpTransport } from "../../../src/cli/node-transport";
import {
  bootEmulator,
  createItem,
  fastRetries,
  memoryFile,
  sha256OfValue,
  targetFor,
  type Emulator,
} from "../upload/helpers";

const MiB = 1024 * 1024;
let emu: Emulator;
beforeAll(async () => {
  emu = await bootEmulator();
});
afterAll(() => emu?.close());

test("attaches through node:http, surviving a dropped connection; bytes read back equal", async () => {
  emu.configure({ faults: { dropConnection: { putNumber: 2, afterBytes: 200_000 } } });
  const target = targetFor(emu, await createItem(emu));
  const file = memoryFile(5 * MiB + 3);
  const result = await attachFile(file, target, async () => emu.issueToken(), {
    ...fastRetries,
    chunkSize: MiB,
    transport: nodeHttpTransport(),
  });
  expect(result.route).toBe("session");
  expect(await sha256OfValue(emu, target, result.attachmentId)).toBe(file.sha256);
  expect(emu.openSessions()).toEqual([]);
});

test("cancel aborts the node:http request and the session is DELETEd", async () => {
  emu.configure({ faults: { dropConnection: null, bandwidthBytesPerSec: 2 * MiB } });
  const target = targetFor(emu, await createItem(emu));
  const controller = new AbortController();
  const pending = attachFile(memoryFile(6 * MiB), target, async () => emu.issueToken(), {
    ...fastRetries,
    chunkSize: MiB,
    transport: nodeHttpTransport(),
    signal: controller.signal,
    onChunkComplete: () => setTimeout(() => controller.abort(), 100), // mid-range of the next PUT
  });
  await expect(pending).rejects.toBeInstanceOf(AbortError);
  expect(emu.openSessions()).toEqual([]);
  expect(emu.attachments().filter((a) => a.itemId === target.itemId)).toEqual([]);
});
