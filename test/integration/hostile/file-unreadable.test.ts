// A file that changes or disappears while it uploads (Node: an fs.openAsBlob Blob whose file is
// rewritten, truncated, touched or deleted; a browser File becomes unreadable the same way): a
// clear error that says so, no retries against a dead file, nothing attached, the session deleted.
import { openAsBlob } from "node:fs";
import { mkdtemp, rm, truncate, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attachFile, UploadError, type ResumeRecord, type UploadFile } from "../../../src/upload";
import { useEmulatorFixture, MiB, patternBytes, QUICK, readBack } from "./fixture";

const fx = useEmulatorFixture();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "large-attach-hostile-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CHUNK = 1 * MiB;

async function diskFile(name: string, bytes: Uint8Array<ArrayBuffer>): Promise<UploadFile> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const blob = await openAsBlob(path);
  return {
    name,
    size: blob.size,
    type: "application/octet-stream",
    slice: (s, e, t) => blob.slice(s, e, t),
  };
}

describe.each([
  ["rewritten (new size and mtime)", (path: string) => writeFile(path, patternBytes(2 * MiB, 9))],
  ["truncated", (path: string) => truncate(path, 1234)],
  [
    "touched (same bytes, new mtime)",
    (path: string) => utimes(path, new Date(), new Date(Date.now() + 5_000)),
  ],
  ["deleted", (path: string) => unlink(path)],
])("a file %s after its first range", (_label, change) => {
  test("→ a clear UploadError, nothing attached, the session deleted, no resume record left", async () => {
    const target = fx.newTarget();
    const name = `changing-${Math.random().toString(36).slice(2)}.bin`;
    const file = await diskFile(name, patternBytes(5 * MiB, 4));
    const records: (ResumeRecord | null)[] = [];
    let changed: Promise<void> | undefined;
    const error = await attachFile(file, target, fx.getToken, {
      ...QUICK,
      chunkSize: CHUNK,
      onChunkComplete: (_bytes, acknowledged) => {
        if (acknowledged === CHUNK) changed ??= change(join(dir, name));
      },
      onResumeRecord: (r) => records.push(r),
    }).then(
      () => undefined,
      (e: unknown) => e
    );
    await changed;
    expect(error).toBeInstanceOf(UploadError);
    expect((error as UploadError).message).toMatch(/file/i);
    expect(await readBack(target, fx.token)).toEqual([]);
    expect(fx.emulator.openSessions().filter((s) => s.itemId === target.itemId)).toEqual([]);
    expect(records.at(-1)).toBeNull();
  });
});
