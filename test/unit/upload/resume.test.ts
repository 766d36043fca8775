import { attachFile, canResume, type ResumeRecord } from "../../../src/upload";
import {
  FakeFetch,
  TOKEN,
  UPLOAD_URL,
  expectedSlice,
  patternFile,
  target,
  testOptions,
} from "./helpers/fake-fetch";

const MiB = 1024 * 1024;
const SIZE = 3 * MiB + 10;
const NOW = Date.parse("2026-01-01T00:00:00Z");

function record(patch: Partial<ResumeRecord> = {}): ResumeRecord {
  return {
    version: 1,
    target: { mailbox: "me", itemKind: "message", itemId: "AAMkAD=" },
    file: { name: "report.bin", size: SIZE, lastModified: 1_700_000_000_000 },
    uploadUrl: UPLOAD_URL,
    expirationDateTime: "2026-01-01T01:00:00Z",
    offset: 2 * MiB,
    chunkSize: 2 * MiB,
    createdAt: "2025-12-31T23:59:00Z",
    ...patch,
  };
}

describe("canResume", () => {
  const file = patternFile(SIZE);
  test("same fingerprint, same target, time left → yes", () => {
    expect(canResume(record(), file, target, NOW)).toBe(true);
  });
  test.each([
    ["another name", { file: { name: "x.bin", size: SIZE, lastModified: 1_700_000_000_000 } }],
    [
      "another size",
      { file: { name: "report.bin", size: SIZE + 1, lastModified: 1_700_000_000_000 } },
    ],
    ["modified since", { file: { name: "report.bin", size: SIZE, lastModified: 1 } }],
    ["another item", { target: { mailbox: "me", itemKind: "message" as const, itemId: "OTHER" } }],
    [
      "an event, not a message",
      { target: { mailbox: "me", itemKind: "event" as const, itemId: "AAMkAD=" } },
    ],
    ["expires within the safety margin", { expirationDateTime: "2026-01-01T00:00:30Z" }],
    ["expired", { expirationDateTime: "2025-12-31T00:00:00Z" }],
    ["offset outside the file", { offset: SIZE }],
  ])("%s → no", (_label, patch) => {
    expect(canResume(record(patch as Partial<ResumeRecord>), file, target, NOW)).toBe(false);
  });
});

describe("attachFile with a resume record", () => {
  test("continues from the offset the server reports, without a new session", async () => {
    const fake = new FakeFetch();
    const { options } = testOptions(fake, { resume: record(), chunkSize: 2 * MiB });
    const getToken = jest.fn(async () => TOKEN);
    const result = attachFile(patternFile(SIZE), target, getToken, options);
    const status = await fake.nextRequest();
    expect(status.method).toBe("GET");
    expect(status.url).toBe(UPLOAD_URL);
    status.respondWith(200, { NextExpectedRanges: [`${3 * MiB}-`] });
    const put = await fake.nextRequest();
    expect(put.headers.get("content-range")).toBe(`bytes ${3 * MiB}-${SIZE - 1}/${SIZE}`);
    expect(
      Buffer.from(await put.bodyBytes()).equals(Buffer.from(expectedSlice(3 * MiB, SIZE)))
    ).toBe(true);
    put.respondWith(201, "", { Location: "https://h/api/v2.0/Attachments('R')" });
    await expect(result).resolves.toMatchObject({ attachmentId: "R" });
    expect(getToken).not.toHaveBeenCalled(); // the upload URL needs no Graph token
  });

  test("a record that cannot be resumed is DELETEd best-effort and the upload starts over", async () => {
    const fake = new FakeFetch();
    const records: (ResumeRecord | null)[] = [];
    const stale = record({ expirationDateTime: "2025-12-31T00:00:00Z" });
    const { options } = testOptions(fake, {
      resume: stale,
      chunkSize: 4 * MiB,
      onResumeRecord: (r) => records.push(r),
    });
    const result = attachFile(patternFile(SIZE), target, async () => TOKEN, options);
    const del = await fake.nextRequest();
    expect(del.method).toBe("DELETE");
    del.respondWith(404, "");
    const create = await fake.nextRequest();
    expect(create.url).toMatch(/createUploadSession$/);
    create.respondWith(201, {
      uploadUrl: "https://up.test/new?authtoken=n",
      nextExpectedRanges: ["0-"],
    });
    const put = await fake.nextRequest();
    expect(put.url).toBe("https://up.test/new?authtoken=n");
    expect(put.headers.get("content-range")).toBe(`bytes 0-${SIZE - 1}/${SIZE}`);
    put.respondWith(201, "", { Location: "https://h/api/v2.0/Attachments('N')" });
    await expect(result).resolves.toMatchObject({ attachmentId: "N" });
    expect(records[0]).toBeNull();
    expect(records[1]).toMatchObject({ uploadUrl: "https://up.test/new?authtoken=n", offset: 0 });
  });

  test("cancelled while asking where a resumed session stands: the session is DELETEd", async () => {
    const fake = new FakeFetch();
    const controller = new AbortController();
    const records: (ResumeRecord | null)[] = [];
    const { options } = testOptions(fake, {
      resume: record(),
      signal: controller.signal,
      onResumeRecord: (r) => records.push(r),
    });
    const result = attachFile(patternFile(SIZE), target, async () => TOKEN, options);
    const status = await fake.nextRequest();
    expect(status.method).toBe("GET");
    controller.abort();
    const del = await fake.nextRequest();
    expect([del.method, del.url]).toEqual(["DELETE", UPLOAD_URL]);
    del.respondWith(204);
    await expect(result).rejects.toMatchObject({ name: "AbortError", paused: false });
    expect(records).toEqual([null]);
  });

  test("a paused upload keeps its session (no DELETE) and can be continued from its record", async () => {
    const { PauseRequest, AbortError } = await import("../../../src/upload/errors");
    const fake = new FakeFetch();
    const controller = new AbortController();
    let last: ResumeRecord | null = null;
    const { options } = testOptions(fake, {
      chunkSize: 1 * MiB,
      signal: controller.signal,
      onResumeRecord: (r) => (last = r),
    });
    const result = attachFile(patternFile(SIZE), target, async () => TOKEN, options);
    (await fake.nextRequest()).respondWith(201, {
      uploadUrl: UPLOAD_URL,
      expirationDateTime: "2026-01-01T01:00:00Z",
      nextExpectedRanges: ["0-"],
    });
    (await fake.nextRequest()).respondWith(200, { nextExpectedRanges: [String(1 * MiB)] });
    // A middle range: a pause cuts it at once (the last range is let finish, see cancel-in-flight).
    const inFlight = await fake.nextRequest();
    controller.abort(new PauseRequest());
    expect(inFlight.signal?.aborted).toBe(true);
    const error = await result.catch((e) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.paused).toBe(true);
    expect(fake.pending).toBe(0); // no DELETE
    expect(last).toMatchObject({ offset: 1 * MiB, uploadUrl: UPLOAD_URL });
  });
});
