// Shared by the drive route's integration tests: a OneDrive target on the emulator, what its
// OneDrive holds, and what went to its upload URL.
import { DRIVE_RANGE_LIMIT, DRIVE_RANGE_UNIT, type DriveTarget } from "../../../src/upload";
import { bootEmulator, type Emulator } from "./helpers";

/**
 * One emulator for the test file, reset before each test: `env.emu` in the tests, `env.getToken`
 * for the engine (a fresh token each time, as a real provider's cache would hand out).
 */
export function emulatorForFile() {
  const env = {
    emu: undefined as unknown as Emulator,
    getToken: async () => env.emu.issueToken(),
  };
  beforeAll(async () => {
    env.emu = await bootEmulator();
  });
  afterAll(() => env.emu?.close());
  beforeEach(() => env.emu.reset());
  return env;
}

export function driveTarget(emu: Emulator, folder = "Attachments"): DriveTarget {
  return { graphBaseUrl: emu.graphUrl, drive: "me", folder };
}

/** The stored file at `path` ("Attachments/a.bin"), from the emulator's control API. */
export function storedFile(emu: Emulator, path: string) {
  return emu.driveItems().find((item) => item.kind === "file" && item.path === `/${path}`);
}

/** Every drive range PUT's [start, end] and total, as the upload origin received them. */
export function driveRanges(emu: Emulator) {
  return emu
    .uploadRequests()
    .filter((r) => r.kind === "drive" && r.method === "PUT" && r.contentRange)
    .map((r) => {
      const [, start, end, total] = /bytes (\d+)-(\d+)\/(\d+)/.exec(r.contentRange!)!.map(Number);
      return { start, end, total, length: end - start + 1 };
    });
}

/** OneDrive's range rules, as the docs state them: all but the last a 320 KiB multiple, all under 60 MiB. */
export function expectDriveRangeRules(emu: Emulator) {
  const ranges = driveRanges(emu);
  expect(ranges.length).toBeGreaterThan(0);
  ranges.forEach((range, index) => {
    expect(range.length).toBeLessThan(DRIVE_RANGE_LIMIT);
    if (index < ranges.length - 1) expect(range.length % DRIVE_RANGE_UNIT).toBe(0);
  });
  return ranges;
}
