// A file over Outlook's 150 MB is refused at pick and, with one call, shared from the File the
// queue holds (DESIGN.md §4.2): the one case here where the size is the point.
import {
  DEFAULT_DRIVE_CHUNK_SIZE,
  DRIVE_RANGE_MAX,
  RestrictionError,
  UploadQueue,
  canShareFile,
  type ShareResult,
} from "../../../src/upload";
import { driveTarget, emulatorForFile, expectDriveRangeRules, storedFile } from "./drive-helpers";
import { createItem, fastRetries, memoryFile, targetFor } from "./helpers";

const env = emulatorForFile();

test("157,286,401 bytes: refused at pick as too large, then shared instead, the same bytes stored", async () => {
  const queue = new UploadQueue({
    target: targetFor(env.emu, await createItem(env.emu)),
    getToken: env.getToken,
    share: {
      target: driveTarget(env.emu),
      getToken: env.getToken,
      link: { type: "view", scope: "organization" },
    },
    uploadOptions: fastRetries,
  });
  const file = memoryFile(157_286_401, "over-the-limit.mov", 3);
  const [id] = queue.add(file);
  const refused = queue.getState().files[0];
  expect(refused.error).toBeInstanceOf(RestrictionError);
  expect(canShareFile(refused)).toBe(true);
  expect(env.emu.uploadRequests()).toEqual([]); // nothing went anywhere at pick
  const shared = new Promise<ShareResult>((resolve) =>
    queue.on("shared", ({ result }) => resolve(result))
  );
  queue.shareInstead(id);
  const result = await shared;
  expect(result).toMatchObject({ name: "over-the-limit.mov", bytes: 157_286_401 });
  expect(storedFile(env.emu, "Attachments/over-the-limit.mov")?.sha256).toBe(file.sha256);
  const ranges = expectDriveRangeRules(env.emu);
  // Adaptive by default: the first range is 10 MiB, the rest sized to the link (never smaller, and
  // none past OneDrive's largest); how large they grow depends on the machine, not asserted here.
  expect(ranges[0].length).toBe(DEFAULT_DRIVE_CHUNK_SIZE);
  for (const range of ranges.slice(0, -1)) {
    expect(range.length).toBeGreaterThanOrEqual(DEFAULT_DRIVE_CHUNK_SIZE);
    expect(range.length).toBeLessThanOrEqual(DRIVE_RANGE_MAX);
  }
  expect(queue.getState().files[0]).toMatchObject({
    id,
    phase: "shared",
    progress: { bytesAcknowledged: 157_286_401 },
  });
});
