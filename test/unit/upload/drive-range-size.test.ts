// The drive route's adaptive range size (drive-rules.ts adaptiveDriveRangeSize, the one place it is
// decided) and the engine following it: 10 MiB first, then sized to take DRIVE_RANGE_TARGET_MS at
// the measured throughput, always a 320 KiB multiple within [10 MiB, 191 × 320 KiB]; a set
// driveChunkSize stays fixed; a resumed session continues from the server's offset. The engine
// runs against a scripted OneDrive whose clock advances as bytes "move", so nothing here times.
import {
  DEFAULT_DRIVE_CHUNK_SIZE,
  DRIVE_RANGE_MAX,
  DRIVE_RANGE_TARGET_MS,
  DRIVE_RANGE_UNIT,
  adaptiveDriveRangeSize,
  shareFile,
  type HttpRequest,
  type HttpResponse,
  type HttpStack,
  type RangeSample,
  type ResumeRecord,
  type UploadFile,
} from "../../../src/upload";

const MiB = 1024 * 1024;
const UNIT = DRIVE_RANGE_UNIT;

describe("adaptiveDriveRangeSize", () => {
  test("nothing measured yet: 10 MiB (32 × 320 KiB)", () => {
    expect(adaptiveDriveRangeSize([])).toBe(DEFAULT_DRIVE_CHUNK_SIZE);
    expect(DEFAULT_DRIVE_CHUNK_SIZE).toBe(32 * UNIT);
  });

  test("a fast link grows at most 4 × per range, up to OneDrive's largest range", () => {
    const fast = (bytes: number): RangeSample => ({ bytes, ms: bytes / 200_000 }); // 200 MB/s
    const second = adaptiveDriveRangeSize([fast(10 * MiB)]);
    expect(second).toBe(40 * MiB);
    expect(adaptiveDriveRangeSize([fast(10 * MiB), fast(second)])).toBe(DRIVE_RANGE_MAX);
    expect(DRIVE_RANGE_MAX).toBe(191 * UNIT);
    expect(DRIVE_RANGE_MAX).toBeLessThan(60 * MiB);
  });

  test("the modelled link (100 Mbit/s, 40 ms a request): ranges of about 4 s of transfer", () => {
    const link = (bytes: number): RangeSample => ({ bytes, ms: 40 + (bytes * 8) / 100_000 });
    const samples = [link(10 * MiB), link(40 * MiB)];
    const size = adaptiveDriveRangeSize(samples);
    // 50 MiB in 4274 ms ≈ 12.3 MB/s, so the next range is what moves in the target time, rounded
    // down to 320 KiB: ≈ 49 MB.
    const bytesPerMs = (50 * MiB) / (samples[0].ms + samples[1].ms);
    expect(size).toBe(Math.floor((bytesPerMs * DRIVE_RANGE_TARGET_MS) / UNIT) * UNIT);
    expect(size).toBeGreaterThan(40 * MiB);
  });

  test("a slow link stays at 10 MiB, never smaller", () => {
    expect(adaptiveDriveRangeSize([{ bytes: 10 * MiB, ms: 60_000 }])).toBe(10 * MiB);
  });

  test("a link that slows down shrinks the next range at once (a drop re-sends a few seconds)", () => {
    const samples: RangeSample[] = [
      { bytes: DRIVE_RANGE_MAX, ms: 500 },
      { bytes: DRIVE_RANGE_MAX, ms: 500 },
      { bytes: DRIVE_RANGE_MAX, ms: 20_000 }, // 3 MB/s now
    ];
    const size = adaptiveDriveRangeSize(samples);
    expect(size).toBeLessThan(DRIVE_RANGE_MAX);
    // Measured over the last three ranges: 3 × 62.6 MB in 21 s ≈ 8.9 MB/s → ≈ 35.8 MB in 4 s.
    expect(size).toBe(Math.floor((((3 * DRIVE_RANGE_MAX) / 21_000) * 4_000) / UNIT) * UNIT);
  });

  test("ranges without a measurable time keep the previous size", () => {
    expect(adaptiveDriveRangeSize([{ bytes: 20 * MiB, ms: 0 }])).toBe(20 * MiB);
  });

  test("whatever was measured: a 320 KiB multiple within [10 MiB, 191 × 320 KiB]", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 500; trial++) {
      const samples = Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
        bytes: Math.floor(random() * 70 * MiB),
        ms: Math.floor(random() * 10_000),
      }));
      const size = adaptiveDriveRangeSize(samples);
      expect(size % UNIT).toBe(0);
      expect(size).toBeGreaterThanOrEqual(DEFAULT_DRIVE_CHUNK_SIZE);
      expect(size).toBeLessThanOrEqual(DRIVE_RANGE_MAX);
    }
  });
});

// ---- the engine against a scripted OneDrive -------------------------------------------------

const GRAPH = "https://graph.microsoft.com/v1.0";
const UPLOAD =
  "https://contoso-my.sharepoint.com/personal/adele/_api/v2.0/drive/items/x/uploadSession?tempauth=t";

function memoryFile(size: number): UploadFile {
  const bytes = new Uint8Array(size);
  return {
    name: "video.mp4",
    size,
    type: "video/mp4",
    slice: (a, b) => new Blob([bytes.slice(a, b)]),
  };
}

/** A OneDrive whose clock moves `bytesPerMs` per range byte; it records every range. */
function scriptedDrive(size: number, bytesPerMs: number, startAt = 0) {
  let clock = Date.parse("2026-01-01T00:00:00Z");
  let received = startAt;
  const ranges: { start: number; length: number }[] = [];
  const json = (status: number, body: object): HttpResponse => ({
    status,
    header: () => null,
    body: JSON.stringify(body),
  });
  const transport: HttpStack = {
    async send(req: HttpRequest) {
      clock += 1;
      if (req.url.startsWith(UPLOAD) && req.method === "GET") {
        return json(200, {
          expirationDateTime: "2026-01-01T01:00:00Z",
          nextExpectedRanges: [`${received}-`],
        });
      }
      if (req.url.startsWith(UPLOAD) && req.method === "PUT") {
        const [, from, to] = /bytes (\d+)-(\d+)\//.exec(req.headers["Content-Range"])!.map(Number);
        const length = to - from + 1;
        ranges.push({ start: from, length });
        clock += length / bytesPerMs;
        received = to + 1;
        if (received < size) {
          return json(202, {
            expirationDateTime: "2026-01-01T01:00:00Z",
            nextExpectedRanges: [`${received}-`],
          });
        }
        return json(201, { id: "ITEM", name: "video.mp4", size, webUrl: "https://x/video.mp4" });
      }
      if (req.url.endsWith("/createUploadSession")) {
        return json(200, {
          uploadUrl: UPLOAD,
          expirationDateTime: "2026-01-01T01:00:00Z",
          nextExpectedRanges: ["0-"],
        });
      }
      if (req.url.endsWith("/createLink")) {
        return json(201, {
          link: { webUrl: "https://x/s/link", type: "view", scope: "organization" },
        });
      }
      if (req.method === "GET") return json(200, { id: "FOLDER", name: "Attachments", folder: {} });
      throw new Error(`unexpected ${req.method} ${req.url}`);
    },
  };
  return { transport, ranges, now: () => clock };
}

const target = { graphBaseUrl: GRAPH, drive: "me", folder: "Attachments" };
const getToken = async () => "token";

test("the engine's ranges: 10 MiB, then grown to the measured link, all but the last 320 KiB multiples", async () => {
  const size = 120 * MiB + 5;
  const drive = scriptedDrive(size, 200_000); // 200 MB/s
  const records: (ResumeRecord | null)[] = [];
  await shareFile(memoryFile(size), target, getToken, {
    transport: drive.transport,
    now: drive.now,
    allowedUploadOrigins: ["https://*.sharepoint.com"],
    onResumeRecord: (r) => records.push(r),
  });
  const lengths = drive.ranges.map((r) => r.length);
  expect(lengths.slice(0, 3)).toEqual([10 * MiB, 40 * MiB, DRIVE_RANGE_MAX]);
  expect(lengths.reduce((a, b) => a + b, 0)).toBe(size);
  lengths.slice(0, -1).forEach((length) => expect(length % UNIT).toBe(0));
  expect(Math.max(...lengths)).toBeLessThanOrEqual(DRIVE_RANGE_MAX);
  // The record names the size the next range will have (informational; resume ignores it).
  expect(records[1]).toMatchObject({ route: "drive", offset: 10 * MiB, chunkSize: 40 * MiB });
});

test("driveChunkSize set: every range but the last exactly that size, whatever the link", async () => {
  const size = 30 * MiB;
  const drive = scriptedDrive(size, 200_000);
  await shareFile(memoryFile(size), target, getToken, {
    transport: drive.transport,
    now: drive.now,
    allowedUploadOrigins: ["https://*.sharepoint.com"],
    driveChunkSize: 8 * UNIT,
  });
  const lengths = drive.ranges.map((r) => r.length);
  expect(lengths.slice(0, -1).every((l) => l === 8 * UNIT)).toBe(true);
  expect(lengths).toHaveLength(Math.ceil(size / (8 * UNIT)));
});

test("a record written with a fixed range size resumes adaptively from the server's offset", async () => {
  const size = 100 * MiB;
  const offset = 12 * UNIT; // what the server holds (GET status says so)
  const drive = scriptedDrive(size, 200_000, offset);
  const file = memoryFile(size);
  const record: ResumeRecord = {
    version: 1,
    route: "drive",
    drive: target,
    target: { mailbox: "me", itemKind: "message", itemId: "" },
    file: { name: file.name, size },
    uploadUrl: UPLOAD,
    expirationDateTime: "2026-01-01T01:00:00Z",
    offset: 4 * UNIT, // older than the server's word
    chunkSize: 4 * UNIT,
    createdAt: "2026-01-01T00:00:00Z",
  };
  await shareFile(file, target, getToken, {
    transport: drive.transport,
    now: drive.now,
    allowedUploadOrigins: ["https://*.sharepoint.com"],
    resume: record,
  });
  expect(drive.ranges[0]).toEqual({ start: offset, length: DEFAULT_DRIVE_CHUNK_SIZE });
  expect(drive.ranges.reduce((sum, r) => sum + r.length, offset)).toBe(size);
});
