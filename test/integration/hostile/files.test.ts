// The same file attached twice to one item: in sequence and at once. Outlook keeps both (an item
// may hold two attachments with one name); each must be complete and intact.
import { attachFile } from "../../../src/upload";
import {
  useEmulatorFixture,
  memoryFile,
  MiB,
  patternBytes,
  QUICK,
  readBack,
  sha256,
} from "./fixture";

const fx = useEmulatorFixture();

const CHUNK = 1 * MiB;

test("the same file attached twice, one after the other: two attachments, both intact", async () => {
  const target = fx.newTarget();
  const bytes = patternBytes(4 * MiB, 2);
  const file = memoryFile("twice.bin", bytes);
  const first = await attachFile(file, target, fx.getToken, QUICK);
  const second = await attachFile(file, target, fx.getToken, QUICK);
  expect(second.attachmentId).not.toBe(first.attachmentId);
  const stored = await readBack(target, fx.token);
  expect(stored.map((a) => a.id).sort()).toEqual([first.attachmentId, second.attachmentId].sort());
  for (const a of stored) expect(a).toMatchObject({ name: "twice.bin", sha256: sha256(bytes) });
});

test("the same file attached twice at once (two sessions in parallel): two attachments, both intact", async () => {
  const target = fx.newTarget();
  const bytes = patternBytes(6 * MiB, 3);
  const file = memoryFile("parallel.bin", bytes);
  const results = await Promise.all([
    attachFile(file, target, fx.getToken, { ...QUICK, chunkSize: CHUNK }),
    attachFile(file, target, fx.getToken, { ...QUICK, chunkSize: CHUNK }),
  ]);
  const stored = await readBack(target, fx.token);
  expect(stored.map((a) => a.id).sort()).toEqual(results.map((r) => r.attachmentId).sort());
  for (const a of stored) expect(a.sha256).toBe(sha256(bytes));
  expect(fx.emulator.openSessions()).toEqual([]);
});
