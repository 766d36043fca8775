// Resume records hold only what a later process needs to continue (which item, which file, the
// session URL and where it stands) — never the Graph token — and are deleted (the engine reports
// null) when the upload completes, is cancelled, or can never continue.
import { startEmulator, type RunningEmulator } from "../../../dev/graph-emulator";
import {
  attachFile,
  PauseRequest,
  withUploadOrigins,
  type ResumeRecord,
  type UploadOptions,
  type UploadTarget,
} from "../../../src/upload";
import { memoryFile, MiB, patternBytes } from "../hostile/fixture";

let emulator: RunningEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, uploadPort: 0 });
  token = emulator.issueToken();
});
afterAll(async () => {
  await emulator?.close();
});

const file = memoryFile("resume-me.bin", patternBytes(6 * MiB, 21));

function newTarget(): UploadTarget {
  return {
    graphBaseUrl: emulator.graphUrl,
    mailbox: "me",
    itemKind: "message",
    itemId: emulator.createItem({ kind: "message" }).id,
  };
}

async function upload(target: UploadTarget, extra: Partial<UploadOptions> = {}) {
  const records: (ResumeRecord | null)[] = [];
  let error: unknown;
  try {
    await attachFile(file, target, async () => token, {
      allowedUploadOrigins: withUploadOrigins(emulator.uploadOrigin),
      chunkSize: 1 * MiB,
      retryDelays: [5, 5],
      onResumeRecord: (r) => records.push(r),
      ...extra,
    });
  } catch (e) {
    error = e;
  }
  return { records, error };
}

function expectMinimal(record: ResumeRecord, target: UploadTarget) {
  expect(Object.keys(record).sort()).toEqual(
    [
      "chunkSize",
      "createdAt",
      "expirationDateTime",
      "file",
      "offset",
      "target",
      "uploadUrl",
      "version",
    ].sort()
  );
  expect(record.target).toEqual({ mailbox: "me", itemKind: "message", itemId: target.itemId });
  expect(record.file).toEqual({
    name: file.name,
    size: file.size,
    lastModified: file.lastModified,
  });
  expect(record.uploadUrl.startsWith(emulator.uploadOrigin)).toBe(true);
  const json = JSON.stringify(record);
  expect(json).not.toContain(token);
  expect(json).not.toMatch(/bearer|authorization|access_?token/i);
}

const openFor = (target: UploadTarget) =>
  emulator.openSessions().filter((s) => s.itemId === target.itemId);

test("while uploading: minimal records; once attached: deleted (null last)", async () => {
  const target = newTarget();
  const { records, error } = await upload(target);
  expect(error).toBeUndefined();
  const live = records.filter((r): r is ResumeRecord => r !== null);
  expect(live.length).toBeGreaterThanOrEqual(5);
  for (const r of live) expectMinimal(r, target);
  expect(live.map((r) => r.offset)).toEqual([...live.map((r) => r.offset)].sort((a, b) => a - b));
  expect(records.at(-1)).toBeNull();
});

test("cancelled: the record is deleted and the session with it", async () => {
  const target = newTarget();
  const controller = new AbortController();
  const { records, error } = await upload(target, {
    signal: controller.signal,
    onChunkComplete: (_b, acknowledged) => acknowledged >= 2 * MiB && controller.abort(),
  });
  expect((error as Error).name).toBe("AbortError");
  expect(records.at(-1)).toBeNull();
  expect(openFor(target)).toEqual([]);
});

test("the message size exceeded part-way: record deleted, no session left", async () => {
  const target = newTarget();
  emulator.configure({ maxMessageSizeBytes: 3 * MiB });
  try {
    const { records, error } = await upload(target);
    expect((error as Error).name).toBe("MessageSizeExceededError");
    expect(records.at(-1)).toBeNull();
    expect(openFor(target)).toEqual([]);
  } finally {
    emulator.configure({ maxMessageSizeBytes: 157_286_400 });
  }
});

test("paused: the record is kept (it is what resume needs), and resuming from it completes and deletes it", async () => {
  const target = newTarget();
  const controller = new AbortController();
  const first = await upload(target, {
    signal: controller.signal,
    onChunkComplete: (_b, acknowledged) =>
      acknowledged >= 3 * MiB && controller.abort(new PauseRequest()),
  });
  expect(first.error).toMatchObject({ name: "AbortError", paused: true });
  const kept = first.records.at(-1);
  expect(kept).not.toBeNull();
  expectMinimal(kept!, target);
  expect(kept!.offset).toBeGreaterThanOrEqual(3 * MiB);
  expect(openFor(target)).toHaveLength(1);

  const second = await upload(target, { resume: kept! });
  expect(second.error).toBeUndefined();
  expect(second.records.at(-1)).toBeNull();
  expect(openFor(target)).toEqual([]);
  expect(emulator.attachments().filter((a) => a.itemId === target.itemId)).toHaveLength(1);
});
