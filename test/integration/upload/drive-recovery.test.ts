// The drive route keeps everything the attachment route has, against the real emulator: cancel,
// pause/resume, resume in a new queue from a record, drops, stalls, lost sessions, and the queue's
// "share instead" for a file the item refused.
import {
  AbortError,
  MessageSizeExceededError,
  UploadQueue,
  canShareFile,
  shareFile,
  type ResumeRecord,
  type ShareResult,
  type UploadFile,
} from "../../../src/upload";
import {
  driveRanges,
  driveTarget,
  emulatorForFile,
  expectDriveRangeRules,
  storedFile,
} from "./drive-helpers";
import { createItem, fastRetries, memoryFile, targetFor } from "./helpers";

const UNIT = 327_680; // small drive ranges: several per small file
const env = emulatorForFile();

// A function: fastRetries reads the booted emulator's upload origin when spread.
const quick = () => ({
  ...fastRetries,
  driveChunkSize: UNIT,
  stallTimeoutMs: 400,
  answerTimeoutMs: 800,
});

function queueFor(itemId: string, records?: (r: ResumeRecord | null) => void) {
  return new UploadQueue({
    target: targetFor(env.emu, itemId),
    getToken: env.getToken,
    share: {
      target: driveTarget(env.emu),
      getToken: env.getToken,
      link: { type: "view", scope: "organization" },
    },
    uploadOptions: quick(),
    onResumeRecord: (_id, _file, record) => records?.(record),
  });
}

function sharedEvent(queue: UploadQueue): Promise<ShareResult> {
  return new Promise((resolve) => queue.on("shared", ({ result }) => resolve(result)));
}

test("cancel part-way DELETEs the drive session and stores nothing", async () => {
  const controller = new AbortController();
  const records: (ResumeRecord | null)[] = [];
  const error = await shareFile(memoryFile(5 * UNIT), driveTarget(env.emu), env.getToken, {
    ...quick(),
    signal: controller.signal,
    onChunkComplete: () => controller.abort(),
    onResumeRecord: (r) => records.push(r),
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AbortError);
  expect(env.emu.driveSessions()).toEqual([]);
  expect(env.emu.driveItems().filter((i) => i.kind === "file")).toEqual([]);
  expect(records[0]).toMatchObject({
    route: "drive",
    drive: { drive: "me", folder: "Attachments" },
  });
  expect(records.at(-1)).toBeNull();
});

test("a cancel after the last range but before the link removes the stored file: nothing is left in OneDrive", async () => {
  const controller = new AbortController();
  const error = await shareFile(memoryFile(3 * UNIT + 5), driveTarget(env.emu), env.getToken, {
    ...quick(),
    signal: controller.signal,
    // The moment the file is stored and its link not yet asked for.
    onPhase: (phase) => {
      if (phase === "linking") controller.abort();
    },
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AbortError);
  expect(env.emu.driveSessions()).toEqual([]);
  expect(env.emu.driveItems().filter((i) => i.kind === "file")).toEqual([]);
});

test("pause keeps the session; resume continues from the server's offset to the right bytes", async () => {
  const queue = queueFor(await createItem(env.emu));
  const file = memoryFile(6 * UNIT + 11, "paused.bin");
  const [id] = queue.add(file, { route: "drive" });
  const off = queue.subscribe(() => {
    const row = queue.getState().files[0];
    if (row.progress.bytesAcknowledged >= 2 * UNIT && row.phase === "uploading") {
      off();
      queue.pause(id);
    }
  });
  await queue.whenIdle();
  const row = queue.getState().files[0];
  expect(row.phase).toBe("paused");
  expect(row.resumable).toBe(true);
  expect(env.emu.driveSessions()).toHaveLength(1);
  const done = sharedEvent(queue);
  queue.resume(id);
  const result = await done;
  expect(storedFile(env.emu, "Attachments/paused.bin")?.sha256).toBe(file.sha256);
  expect(queue.getState().files[0]).toMatchObject({ phase: "shared", shared: result });
  // Resumed, not restarted: byte 0 went out once.
  expect(driveRanges(env.emu).filter((r) => r.start === 0)).toHaveLength(1);
  expect(env.emu.driveSessions()).toEqual([]);
});

test("a record from one queue resumes the drive upload in a new queue", async () => {
  const itemId = await createItem(env.emu);
  const file = memoryFile(6 * UNIT, "reloaded.bin");
  let record: ResumeRecord | null = null;
  const first = queueFor(itemId, (r) => (record = r));
  const [id] = first.add(file, { route: "drive" });
  const off = first.subscribe(() => {
    if (first.getState().files[0].progress.bytesAcknowledged >= 3 * UNIT) {
      off();
      first.pause(id);
    }
  });
  await first.whenIdle();
  expect(record).toMatchObject({ route: "drive", target: { itemId } });
  const saved = JSON.parse(JSON.stringify(record)) as ResumeRecord; // as the pane stores it
  const second = queueFor(itemId);
  const done = sharedEvent(second);
  second.add(file, { resume: [saved] }); // the record's route takes the file to OneDrive
  await done;
  expect(storedFile(env.emu, "Attachments/reloaded.bin")?.sha256).toBe(file.sha256);
  expect(driveRanges(env.emu).filter((r) => r.start === 0)).toHaveLength(1);
});

test("a connection dropped mid-body: the server's offset (GET status) is followed and the bytes are right", async () => {
  env.emu.configure({ faults: { dropConnection: { putNumber: 2, afterBytes: 100_000 } } });
  const file = memoryFile(5 * UNIT + 3, "dropped.bin");
  await shareFile(file, driveTarget(env.emu), env.getToken, quick());
  expect(storedFile(env.emu, "Attachments/dropped.bin")?.sha256).toBe(file.sha256);
  expect(env.emu.faultLog().filter((e) => e.kind === "drop")).toHaveLength(1);
  expectDriveRangeRules(env.emu);
});

test("a range stored but its answer lost, without GET status: the resend's 416 names the offset to follow", async () => {
  env.emu.configure({
    drive: { getStatus: false },
    faults: { stall: { on: "answer", putNumber: 2, commit: true } },
  });
  const file = memoryFile(4 * UNIT + 9, "overlap.bin");
  await shareFile(file, driveTarget(env.emu), env.getToken, quick());
  expect(storedFile(env.emu, "Attachments/overlap.bin")?.sha256).toBe(file.sha256);
  const ranges = driveRanges(env.emu);
  // The second range went twice (the resend answered 416), then the third followed the server.
  expect(ranges.filter((r) => r.start === UNIT)).toHaveLength(2);
  expect(ranges.filter((r) => r.start === 2 * UNIT)).toHaveLength(1);
});

test("the last range stored but its answer lost: the file is found in the folder, not uploaded twice", async () => {
  env.emu.configure({ faults: { stall: { on: "answer", putNumber: 4, commit: true } } });
  const file = memoryFile(3 * UNIT + 5, "committed.bin");
  const result = await shareFile(file, driveTarget(env.emu), env.getToken, quick());
  expect(result.name).toBe("committed.bin");
  const files = env.emu.driveItems().filter((i) => i.kind === "file");
  expect(files.map((f) => f.name)).toEqual(["committed.bin"]);
  expect(files[0]).toMatchObject({ id: result.driveItemId, sha256: file.sha256 });
  expect(result.link.webUrl).toBe(files[0].links[0].webUrl);
});

test("createLink acted on but its answer lost: retried, and the share ends with the one link it made", async () => {
  env.emu.configure({ faults: { lostAnswer: { on: "createLink" } } });
  const file = memoryFile(2 * UNIT + 1, "lost-link.bin");
  const result = await shareFile(file, driveTarget(env.emu), env.getToken, quick());
  expect(env.emu.faultLog()).toEqual([{ kind: "lost-answer", on: "createLink" }]);
  const stored = storedFile(env.emu, "Attachments/lost-link.bin");
  expect(stored?.sha256).toBe(file.sha256);
  // The retry got the link the lost answer carried (Graph: the existing link of that type and
  // scope is returned), not a second one; the result is that link, as asked.
  expect(stored!.links).toEqual([
    {
      id: expect.any(String),
      type: "view",
      scope: "organization",
      webUrl: result.link.webUrl,
      app: "large-attach",
    },
  ]);
  expect(result.link).toEqual({
    webUrl: stored!.links[0].webUrl,
    type: "view",
    scope: "organization",
  });
  expect(env.emu.driveItems().filter((i) => i.kind === "file")).toHaveLength(1);
});

describe.each([
  ["of another size", 2 * UNIT],
  ["of the same size, stored just before", 3 * UNIT + 5],
])(
  "the last range stored under a new name (a name taken by a file %s) and its answer lost",
  (_label, earlierSize) => {
    test("the renamed copy this session made is found: not uploaded twice, not mistaken for the other file", async () => {
      const earlier = await shareFile(
        memoryFile(earlierSize, "report.bin", 1),
        driveTarget(env.emu),
        env.getToken,
        quick()
      );
      expect(earlier.name).toBe("report.bin");
      // The next upload's fourth (last) range: stored as "report 1.bin", its answer never comes.
      env.emu.configure({ faults: { stall: { on: "answer", putNumber: 4, commit: true } } });
      const file = memoryFile(3 * UNIT + 5, "report.bin", 2);
      const result = await shareFile(file, driveTarget(env.emu), env.getToken, quick());
      const files = env.emu.driveItems().filter((i) => i.kind === "file");
      expect(files.map((f) => f.name).sort()).toEqual(["report 1.bin", "report.bin"]);
      const renamed = files.find((f) => f.name === "report 1.bin")!;
      expect(renamed.sha256).toBe(file.sha256);
      expect(result).toMatchObject({ name: "report 1.bin", driveItemId: renamed.id });
      expect(result.link.webUrl).toBe(renamed.links[0].webUrl);
      expect(env.emu.faultLog().filter((e) => e.kind === "stall")).toHaveLength(1);
    });
  }
);

test("a stall mid-body is given up and retried; the bytes are right", async () => {
  env.emu.configure({ faults: { stall: { on: "mid-body", putNumber: 2, afterBytes: 50_000 } } });
  const file = memoryFile(4 * UNIT, "stalled.bin");
  await shareFile(file, driveTarget(env.emu), env.getToken, quick());
  expect(storedFile(env.emu, "Attachments/stalled.bin")?.sha256).toBe(file.sha256);
  expect(env.emu.faultLog().filter((e) => e.kind === "stall")).toHaveLength(1);
});

test("a lost session (emulator restart: 404) starts a new one and finishes", async () => {
  const file = memoryFile(5 * UNIT, "lost.bin");
  let restarted = false;
  await shareFile(file, driveTarget(env.emu), env.getToken, {
    ...quick(),
    onChunkComplete: (_bytes, acknowledged) => {
      if (!restarted && acknowledged >= 2 * UNIT) {
        restarted = true;
        void env.emu.restart();
      }
    },
  });
  expect(restarted).toBe(true);
  expect(storedFile(env.emu, "Attachments/lost.bin")?.sha256).toBe(file.sha256);
  expect(env.emu.driveSessions()).toEqual([]);
});

test("503s on ranges are retried through the one backoff", async () => {
  env.emu.configure({
    faults: { script: [{ status: 503, count: 2, target: "upload", methods: ["PUT"] }] },
  });
  const file = memoryFile(3 * UNIT, "throttled.bin");
  await shareFile(file, driveTarget(env.emu), env.getToken, quick());
  expect(storedFile(env.emu, "Attachments/throttled.bin")?.sha256).toBe(file.sha256);
  expect(env.emu.faultLog().filter((e) => e.kind === "status")).toHaveLength(2);
});

test("a file the message cannot take (ErrorMessageSizeExceeded) is shared instead, from the File the queue holds", async () => {
  env.emu.configure({ maxMessageSizeBytes: 4 * 1024 * 1024 });
  const queue = queueFor(await createItem(env.emu));
  const file: UploadFile & { sha256: string } = memoryFile(6 * 1024 * 1024, "big.zip");
  const [id] = queue.add(file);
  await queue.whenIdle();
  const failed = queue.getState().files[0];
  expect(failed.error).toBeInstanceOf(MessageSizeExceededError);
  expect(canShareFile(failed)).toBe(true);
  const done = sharedEvent(queue);
  queue.shareInstead(id);
  const result = await done;
  expect(result.name).toBe("big.zip");
  expect(storedFile(env.emu, "Attachments/big.zip")?.sha256).toBe(file.sha256);
  expect(queue.getState().files[0]).toMatchObject({ id, route: "drive", phase: "shared" });
  expect(canShareFile(queue.getState().files[0])).toBe(false);
});
