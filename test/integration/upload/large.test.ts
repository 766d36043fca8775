// The one big case: a file of exactly 150 MiB (the largest allowed) from disk, streamed by range.
import { attachFile } from "../../../src/upload";
import { openUploadFile } from "../../../src/cli/node-file";
import {
  bootEmulator,
  createItem,
  diskFile,
  fastRetries,
  sha256OfValue,
  targetFor,
  tempDir,
  type Emulator,
} from "./helpers";

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

test("157,286,400 bytes from disk: attached, bytes read back equal, progress ends at exactly the size", async () => {
  const { path, sha256 } = await diskFile(tmp.dir, "max.bin", 157_286_400);
  const file = await openUploadFile(path);
  const target = targetFor(emu, await createItem(emu));
  let last = { bytesSent: -1, bytesAcknowledged: -1, bytesTotal: 0 };
  let rewound = false;
  const result = await attachFile(file, target, async () => emu.issueToken(), {
    ...fastRetries,
    onProgress: (p) => {
      if (p.bytesSent < last.bytesSent || p.bytesAcknowledged < last.bytesAcknowledged)
        rewound = true;
      last = p;
    },
  });
  expect(result).toMatchObject({ route: "session", bytes: 157_286_400 });
  expect(rewound).toBe(false);
  expect(last).toEqual({
    bytesSent: 157_286_400,
    bytesAcknowledged: 157_286_400,
    bytesTotal: 157_286_400,
  });
  expect(emu.attachments().find((a) => a.id === result.attachmentId)?.sha256).toBe(sha256);
  expect(await sha256OfValue(emu, target, result.attachmentId)).toBe(sha256);
}, 120_000);
