// The compose item discarded while its file uploads: Graph answers 404 for the item and its upload
// session. The engine must end in a clear error with nothing attached and no session left.
import { attachFile, UploadError, type ResumeRecord } from "../../../src/upload";
import { useEmulatorFixture, memoryFile, MiB, patternBytes, QUICK } from "./fixture";

const fx = useEmulatorFixture();

const CHUNK = 1 * MiB;

test("the item discarded mid-upload (Graph 404) → a clear error, nothing attached, no session left", async () => {
  const target = fx.newTarget();
  const bytes = patternBytes(6 * MiB, 5);
  const records: (ResumeRecord | null)[] = [];
  let deleted: Promise<Response> | undefined;
  const error = await attachFile(memoryFile("discarded.bin", bytes), target, fx.getToken, {
    ...QUICK,
    chunkSize: CHUNK,
    onChunkComplete: (_bytes, acknowledged) => {
      if (acknowledged === 2 * CHUNK) {
        deleted ??= fetch(
          `${target.graphBaseUrl}/me/messages/${encodeURIComponent(target.itemId)}`,
          {
            method: "DELETE",
            headers: { Authorization: `Bearer ${fx.token}` },
          }
        );
      }
    },
    onResumeRecord: (r) => records.push(r),
  }).then(
    () => undefined,
    (e: unknown) => e
  );
  expect((await deleted)?.status).toBe(204);
  expect(error).toBeInstanceOf(UploadError);
  expect(fx.emulator.attachments().filter((a) => a.itemId === target.itemId)).toEqual([]);
  expect(fx.emulator.openSessions().filter((s) => s.itemId === target.itemId)).toEqual([]);
  expect(records.at(-1)).toBeNull();
});
