// The drive route's rules that need no network: resume records (route "drive", old records still
// load), the drive range size, which rows may be shared instead, and the names a renamed copy takes.
import {
  MessageSizeExceededError,
  NetworkError,
  RestrictionError,
  SharedMailboxForbiddenError,
  canResume,
  canResumeDrive,
  canShareFile,
  checkDriveFile,
  createDriveResumeRecord,
  createResumeRecord,
  resolveOptions,
  UploadQueue,
  type QueueFileState,
  type ResumeRecord,
} from "../../../src/upload";
import { renamedCopyPattern } from "../../../src/upload/drive";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const file = {
  name: "video.mp4",
  size: 50_000_000,
  lastModified: 1_700_000_000_000,
  slice: () => new Blob([]),
};
const drive = {
  graphBaseUrl: "https://graph.microsoft.com/v1.0",
  drive: "me",
  folder: "Attachments",
};
const item = { mailbox: "me", itemKind: "message" as const, itemId: "AAMkAD=" };
const session = {
  uploadUrl:
    "https://contoso-my.sharepoint.com/personal/adele/_api/v2.0/drive/items/x/uploadSession?tempauth=secret",
  expirationDateTime: "2026-01-01T00:15:00Z",
  offset: 3_276_800,
  createdAt: "2025-12-31T23:59:00Z",
};

describe("drive resume records", () => {
  const record = createDriveResumeRecord(
    file,
    { ...drive, folder: "/Attachments/", item },
    session,
    10_485_760
  );

  test("say their route, their drive target and the item the link is for", () => {
    expect(record).toMatchObject({
      version: 1,
      route: "drive",
      drive: { graphBaseUrl: drive.graphBaseUrl, drive: "me", folder: "Attachments" },
      target: item,
      offset: session.offset,
    });
  });

  test("without an item, the record names the drive's owner", () => {
    const bare = createDriveResumeRecord(
      file,
      { ...drive, drive: "adele@contoso.com" },
      session,
      10_485_760
    );
    expect(bare.target).toEqual({ mailbox: "adele@contoso.com", itemKind: "message", itemId: "" });
  });

  test("resume on the same file, drive and folder (case and slashes as OneDrive ignores them)", () => {
    expect(canResumeDrive(record, file, { ...drive, folder: "attachments" }, NOW)).toBe(true);
    expect(canResumeDrive(record, file, { ...drive, folder: "Other" }, NOW)).toBe(false);
    expect(canResumeDrive(record, file, { ...drive, drive: "someone@contoso.com" }, NOW)).toBe(
      false
    );
    expect(canResumeDrive(record, { ...file, size: file.size + 1 }, drive, NOW)).toBe(false);
    expect(canResumeDrive(record, file, drive, Date.parse("2026-01-01T00:14:30Z"))).toBe(false); // under the margin
  });

  test("the routes never take each other's records; records written before the drive route still load", () => {
    const old: ResumeRecord = JSON.parse(
      JSON.stringify(createResumeRecord(file, item, session, 3_932_160))
    );
    delete (old as { route?: string }).route;
    expect(canResume(old, file, item, NOW)).toBe(true);
    expect(canResumeDrive(old, file, drive, NOW)).toBe(false);
    expect(canResume(record, file, item, NOW)).toBe(false);
  });
});

describe("drive range size", () => {
  test.each([327_680, 10_485_760, 191 * 327_680])("%d is accepted", (driveChunkSize) => {
    expect(resolveOptions({ driveChunkSize }).driveChunkSize).toBe(driveChunkSize);
  });
  test.each([0, 327_679, 4_000_000, 192 * 327_680])(
    "%d is refused (320 KiB multiples under 60 MiB)",
    (driveChunkSize) => {
      expect(() => resolveOptions({ driveChunkSize })).toThrow(/multiple of 327,680/);
    }
  );
});

describe("canShareFile: which rows may go to OneDrive instead", () => {
  const details = { status: 413, code: "ErrorMessageSizeExceeded" };
  const row = (
    patch: Partial<QueueFileState>
  ): Pick<QueueFileState, "phase" | "error" | "route" | "size"> => ({
    phase: "failed",
    route: "session",
    size: 200_000_000,
    ...patch,
  });
  test.each([
    [
      "yes: ErrorMessageSizeExceeded part-way",
      row({ error: new MessageSizeExceededError(details) }),
      true,
    ],
    [
      "yes: over 150 MB at pick",
      row({ route: undefined, error: new RestrictionError("too-large", "big") }),
      true,
    ],
    [
      "yes: a shared mailbox at pick",
      row({ route: undefined, error: new RestrictionError("shared-mailbox", "x") }),
      true,
    ],
    [
      "yes: a shared mailbox's 403",
      row({ error: new SharedMailboxForbiddenError({ status: 403 }) }),
      true,
    ],
    [
      "no: no name",
      row({ route: undefined, error: new RestrictionError("empty-name", "x") }),
      false,
    ],
    ["no: a network failure (retry, not share)", row({ error: new NetworkError("down") }), false],
    [
      "no: already on the drive route",
      row({ route: "drive", error: new MessageSizeExceededError(details) }),
      false,
    ],
    ["no: not failed", row({ phase: "uploading" }), false],
    [
      "no: over OneDrive's 250 GB",
      row({
        route: undefined,
        size: 268_435_456_001,
        error: new RestrictionError("too-large", "x"),
      }),
      false,
    ],
  ])("%s", (_name, file, expected) => {
    expect(canShareFile(file)).toBe(expected);
  });
});

describe("checkDriveFile: refused before any request", () => {
  test.each([
    ["no name", { name: " ", size: 10 }, "empty-name"],
    ["0 bytes", { name: "a.txt", size: 0 }, "invalid-size"],
    ["over 250 GB", { name: "a.vhd", size: 268_435_456_001 }, "too-large"],
  ])("%s", (_name, file, reason) => {
    expect(() => checkDriveFile(file)).toThrow(expect.objectContaining({ reason }));
  });
  test("250 GB and a 200 MB file (over the attachment limit) are fine", () => {
    expect(() => checkDriveFile({ name: "a.vhd", size: 268_435_456_000 })).not.toThrow();
    expect(() => checkDriveFile({ name: "a.mp4", size: 200_000_000 })).not.toThrow();
  });
});

test("a queue without the share option refuses the drive route as a setup mistake, before any request", () => {
  const queue = new UploadQueue({
    target: { graphBaseUrl: "https://graph.microsoft.com/v1.0", ...item },
    getToken: async () => "t",
  });
  expect(() => queue.add(file, { route: "drive" })).toThrow(/needs the `share` option/);
  expect(queue.getState().files).toEqual([]);
});

describe("renamedCopyPattern: the names a lost last range may have stored under", () => {
  test.each([
    ["report.pdf", "report.pdf", true],
    ["report.pdf", "Report 1.PDF", true],
    ["report.pdf", "report 12.pdf", true],
    ["report.pdf", "report 1 .pdf", false],
    ["report.pdf", "report.pdf.pdf", false],
    ["report.pdf", "reportx.pdf", false],
    ["a+b (v2).tar.gz", "a+b (v2).tar 1.gz", true],
    ["a+b (v2).tar.gz", "a+b (v2) 1.tar.gz", false],
    ["README", "README 3", true],
    [".env", ".env 1", true],
  ])("%s → %s: %s", (name, stored, matches) => {
    expect(renamedCopyPattern(name).test(stored)).toBe(matches);
  });
});
