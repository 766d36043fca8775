import {
  MessageSizeExceededError,
  ProtocolError,
  SessionExpiredError,
  AbortError,
  attachFile,
  type UploadProgress,
  type ResumeRecord,
} from "../../../src/upload";
import {
  FakeFetch,
  TOKEN,
  UPLOAD_URL,
  expectedSlice,
  patternFile,
  sessionCreated,
  target,
  testOptions,
} from "./helpers/fake-fetch";

const MiB = 1024 * 1024;
const SIZE = 3 * MiB + 100_000; // 3,245,728: a session file
const CHUNK = 1 * MiB;
const LOCATION =
  "https://outlook.office.com/api/v2.0/Users('a@b')/Messages('AAMkAD=')/Attachments('ATT-1')";

function start(extra = {}) {
  const fake = new FakeFetch();
  const progress: UploadProgress[] = [];
  const records: (ResumeRecord | null)[] = [];
  const { options, sleeps, clock } = testOptions(fake, {
    chunkSize: CHUNK,
    onProgress: (p: UploadProgress) => progress.push(p),
    onResumeRecord: (r: ResumeRecord | null) => records.push(r),
    ...extra,
  });
  const file = patternFile(SIZE);
  const getToken = jest.fn(async () => TOKEN);
  const result = attachFile(file, target, getToken, options);
  result.catch(() => undefined); // asserted by each test
  return { fake, progress, records, sleeps, clock, result, getToken };
}

async function answerCreate(fake: FakeFetch, body: object = sessionCreated()) {
  const req = await fake.nextRequest();
  expect(req.method).toBe("POST");
  expect(req.url).toBe(
    "https://graph.test/v1.0/me/messages/AAMkAD=/attachments/createUploadSession"
  );
  expect(req.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  expect(JSON.parse(await req.bodyText())).toEqual({
    AttachmentItem: {
      attachmentType: "file",
      name: "report.bin",
      size: SIZE,
      contentType: "application/octet-stream",
    },
  });
  req.respondWith(201, body);
}

/** Takes the next PUT, checks it is the expected range with exact headers and bytes. */
async function expectRange(fake: FakeFetch, startByte: number, endExclusive: number) {
  const req = await fake.nextRequest();
  expect(req.method).toBe("PUT");
  expect(req.url).toBe(UPLOAD_URL);
  expect(req.headers.get("authorization")).toBeNull();
  expect(req.headers.get("content-range")).toBe(`bytes ${startByte}-${endExclusive - 1}/${SIZE}`);
  expect(req.headers.get("content-length")).toBe(String(endExclusive - startByte));
  expect(req.headers.get("content-type")).toBe("application/octet-stream");
  const bytes = await req.bodyBytes();
  expect(bytes.length).toBe(endExclusive - startByte);
  expect(Buffer.from(bytes).equals(Buffer.from(expectedSlice(startByte, endExclusive)))).toBe(true);
  return req;
}

describe("upload session, request by request", () => {
  test("creates a session, sends 4 ranges in order, finishes on 201 with Location (PascalCase, bare offsets)", async () => {
    const { fake, progress, records, result, getToken } = start();
    await answerCreate(fake);
    for (let s = 0; s < 3 * CHUNK; s += CHUNK) {
      (await expectRange(fake, s, s + CHUNK)).respondWith(200, {
        ExpirationDateTime: "2026-01-01T01:00:00Z",
        NextExpectedRanges: [String(s + CHUNK)],
      });
    }
    (await expectRange(fake, 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    const done = await result;
    expect(done).toMatchObject({ attachmentId: "ATT-1", route: "session", bytes: SIZE });
    expect(getToken).toHaveBeenCalledTimes(1); // only the Graph call asked for a token
    // Progress: monotonic, ends at exactly the size.
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].bytesSent).toBeGreaterThanOrEqual(progress[i - 1].bytesSent);
      expect(progress[i].bytesAcknowledged).toBeGreaterThanOrEqual(
        progress[i - 1].bytesAcknowledged
      );
    }
    expect(progress.at(-1)).toEqual({ bytesSent: SIZE, bytesAcknowledged: SIZE, bytesTotal: SIZE });
    // Resume record kept up to date and deleted at the end.
    expect(records[0]).toMatchObject({
      version: 1,
      offset: 0,
      uploadUrl: UPLOAD_URL,
      file: { name: "report.bin", size: SIZE },
    });
    expect(records.filter((r) => r !== null).map((r) => r!.offset)).toEqual([
      0,
      CHUNK,
      2 * CHUNK,
      3 * CHUNK,
    ]);
    expect(records.at(-1)).toBeNull();
    expect(fake.pending).toBe(0);
  });

  test.each([
    [
      "camelCase dashed",
      { expirationDateTime: "2026-01-01T01:00:00Z", nextExpectedRanges: [`${CHUNK}-`] },
    ],
    ["a-b form", { nextExpectedRanges: [`${CHUNK}-${SIZE - 1}`] }],
    [
      "several ranges → lowest start",
      { NextExpectedRanges: [`${2 * CHUNK}-`, `${CHUNK}-${2 * CHUNK - 1}`] },
    ],
    ["upper-case keys", { NEXTEXPECTEDRANGES: [String(CHUNK)] }],
  ])("accepts %s", async (_label, answer) => {
    const { fake, result } = start({ chunkSize: 2 * MiB });
    await answerCreate(fake);
    // chunk 2 MiB, server says it only holds 1 MiB: the next PUT follows the server.
    (await expectRange(fake, 0, 2 * MiB)).respondWith(200, answer);
    (await expectRange(fake, CHUNK, CHUNK + 2 * MiB)).respondWith(201, "", { location: LOCATION });
    await expect(result).resolves.toMatchObject({ attachmentId: "ATT-1" });
  });

  test("an ExpirationDateTime in a 200 (either casing) replaces the session's expiry in the resume record", async () => {
    const { fake, result, records } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, {
      EXPIRATIONDATETIME: "2026-01-01T02:00:00Z",
      nextExpectedRanges: [String(CHUNK)],
    });
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(200, {
      expirationDateTime: "2026-01-01T03:00:00Z",
      NextExpectedRanges: [String(2 * CHUNK)],
    });
    const third = await expectRange(fake, 2 * CHUNK, 3 * CHUNK); // the 2nd answer is processed by now
    expect(records.map((r) => r?.expirationDateTime)).toEqual([
      "2026-01-01T01:00:00Z",
      "2026-01-01T02:00:00Z",
      "2026-01-01T03:00:00Z",
    ]);
    third.respondWith(200, {
      NextExpectedRanges: [String(3 * CHUNK)],
    });
    (await expectRange(fake, 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    await result;
  });

  test("follows the server forward when it is ahead of the local offset", async () => {
    const { fake, result } = start();
    await answerCreate(fake, sessionCreated(undefined, [String(CHUNK)]));
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(200, {
      nextExpectedRanges: [String(3 * CHUNK)],
    });
    (await expectRange(fake, 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    await expect(result).resolves.toMatchObject({ bytes: SIZE });
  });

  test.each([
    ["v2.0 PascalCase", LOCATION, "ATT-1"],
    [
      "beta lower-case",
      "https://outlook.office365.com/api/beta/users('x')/messages('AAMkAD%3D')/attachments('b%2Bc=')",
      "b+c=",
    ],
    [
      "gv1.0 other host",
      "https://substrate.office.com/api/gv1.0/Users('x')/Messages('AAMkAD=')/Attachments('Z1')",
      "Z1",
    ],
  ])("takes the attachment id from Location (%s)", async (_label, location, id) => {
    const { fake, result } = start({ chunkSize: 4 * MiB });
    await answerCreate(fake);
    (await expectRange(fake, 0, SIZE)).respondWith(201, "", { LOCATION: location });
    await expect(result).resolves.toMatchObject({ attachmentId: id });
  });

  test("a Location naming another item is a ProtocolError, not a success", async () => {
    const { fake, result, records } = start({ chunkSize: 4 * MiB });
    await answerCreate(fake);
    (await expectRange(fake, 0, SIZE)).respondWith(201, "", {
      Location: "https://outlook.office.com/api/v2.0/Users('a')/Messages('OTHER')/Attachments('X')",
    });
    (await fake.nextRequest()).respondWith(204); // DELETE
    await expect(result).rejects.toThrow(/another item/);
    expect(records.at(-1)).toBeNull();
  });

  test("the item id in Location may use the other base64 alphabet", async () => {
    const fake = new FakeFetch();
    const { options } = testOptions(fake, { chunkSize: 4 * MiB });
    const result = attachFile(
      patternFile(SIZE),
      { ...target, itemId: "AA-b_c=" },
      async () => TOKEN,
      options
    );
    (await fake.nextRequest()).respondWith(201, sessionCreated());
    (await fake.nextRequest()).respondWith(201, "", {
      Location:
        "https://outlook.office.com/api/v2.0/Users('a')/Messages('AA%2Fb%2Bc%3D')/Attachments('Y')",
    });
    await expect(result).resolves.toMatchObject({ attachmentId: "Y" });
  });

  test("takes the id from a JSON body when there is no Location", async () => {
    const { fake, result } = start({ chunkSize: 4 * MiB });
    await answerCreate(fake);
    (await expectRange(fake, 0, SIZE)).respondWith(201, { id: "FROM-BODY", name: "report.bin" });
    await expect(result).resolves.toMatchObject({ attachmentId: "FROM-BODY" });
  });

  test("201 without a readable Location (CORS may withhold it) or id: the item's attachments name it", async () => {
    const { fake, result } = start({ chunkSize: 4 * MiB });
    await answerCreate(fake);
    (await expectRange(fake, 0, SIZE)).respondWith(201, "");
    const list = await fake.nextRequest();
    expect(list.method).toBe("GET");
    expect(list.url).toMatch(/\/attachments\?\$select=id,name,size,lastModifiedDateTime$/);
    list.respondWith(200, {
      value: [
        { id: "OLD", name: "report.bin", size: SIZE, lastModifiedDateTime: "2025-01-01T00:00:00Z" },
        {
          id: "NEW",
          name: "report.bin",
          size: SIZE + 10,
          lastModifiedDateTime: "2026-01-01T00:00:01Z",
        },
      ],
    });
    await expect(result).resolves.toMatchObject({ attachmentId: "NEW" });
    expect(fake.pending).toBe(0);
  });

  test("201 without Location or id, and no such attachment listed: a ProtocolError that says the attachment may exist", async () => {
    const { fake, result } = start({ chunkSize: 4 * MiB });
    await answerCreate(fake);
    (await expectRange(fake, 0, SIZE)).respondWith(201, "");
    (await fake.nextRequest()).respondWith(200, { value: [] }); // the listing
    const del = await fake.nextRequest(); // the session is cleaned up
    expect(del.method).toBe("DELETE");
    del.respondWith(204);
    const error = await result.then(
      () => undefined,
      (e) => e
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/may exist/);
  });

  test("a NextExpectedRanges outside the file is a ProtocolError", async () => {
    const { fake, result } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, {
      nextExpectedRanges: [String(SIZE + 5)],
    });
    (await fake.nextRequest()).respondWith(204); // DELETE
    await expect(result).rejects.toBeInstanceOf(ProtocolError);
  });

  test("200 answers that never advance end in a ProtocolError, not a loop", async () => {
    const { fake, result } = start({ maxStalledRanges: 3 });
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    for (let i = 0; i < 3; i++) {
      (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(200, {
        nextExpectedRanges: [String(CHUNK)],
      });
    }
    const del = await fake.nextRequest();
    expect(del.method).toBe("DELETE");
    del.respondWith(204);
    await expect(result).rejects.toThrow(/no new bytes 3 times/);
  });

  test("a server that rewinds is followed; progress does not rewind", async () => {
    const { fake, result, progress } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(200, { nextExpectedRanges: ["0-"] }); // lost everything
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(200, {
      nextExpectedRanges: [String(2 * CHUNK)],
    });
    (await expectRange(fake, 2 * CHUNK, 3 * CHUNK)).respondWith(200, {
      nextExpectedRanges: [String(3 * CHUNK)],
    });
    (await expectRange(fake, 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    await result;
    const sent = progress.map((p) => p.bytesSent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(progress.at(-1)!.bytesSent).toBe(SIZE);
  });
});

describe("failures of the upload session", () => {
  test("retries 503 with Retry-After, 429 with an HTTP date, then 500 with jittered backoff; counter resets on progress", async () => {
    const { fake, result, sleeps, clock } = start({
      retryDelays: [1000, 2000],
      maxRetryDelayMs: 60_000,
    });
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(
      503,
      { error: { code: "ServiceUnavailable" } },
      { "Retry-After": "7" }
    );
    const throttled = await expectRange(fake, 0, CHUNK);
    const later = new Date(clock.now + 12_000).toUTCString(); // the clock has moved by the first wait
    throttled.respondWith(429, "", { "retry-after": later });
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    // budget of 2 is fresh again after progress
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(500, "");
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(502, "");
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(504, "");
    const error = await result.then(
      () => undefined,
      (e) => e
    );
    expect(error).toMatchObject({ name: "HttpError", status: 504, retryable: true });
    // 7 s from Retry-After seconds; ~12 s from the date (second granularity); then random 0.5 × base.
    expect(sleeps[0]).toBe(7000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(11_000);
    expect(sleeps[1]).toBeLessThanOrEqual(12_000);
    expect(sleeps.slice(2)).toEqual([500, 1000]);
  });

  test("409 (the server still busy with an aborted range) is retried", async () => {
    const { fake, result, sleeps } = start({ chunkSize: 4 * MiB });
    await answerCreate(fake);
    (await expectRange(fake, 0, SIZE)).respondWith(409, {
      error: { code: "ErrorUploadSessionBusy" },
    });
    (await expectRange(fake, 0, SIZE)).respondWith(201, "", { Location: LOCATION });
    await expect(result).resolves.toMatchObject({ attachmentId: "ATT-1" });
    expect(sleeps).toHaveLength(1);
  });

  test("other 4xx are not retried", async () => {
    const { fake, result, sleeps } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(400, {
      error: { code: "InvalidRange", message: "bad" },
    });
    await expect(result).rejects.toMatchObject({
      name: "HttpError",
      status: 400,
      code: "InvalidRange",
    });
    expect(sleeps).toEqual([]);
  });

  test("a dropped connection resumes from the offset the GET status reports", async () => {
    const { fake, result } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    (await expectRange(fake, CHUNK, 2 * CHUNK)).fail("socket hang up");
    const status = await fake.nextRequest();
    expect(status.method).toBe("GET");
    expect(status.url).toBe(UPLOAD_URL);
    expect(status.headers.get("authorization")).toBeNull();
    status.respondWith(200, { NextExpectedRanges: [`${CHUNK + 1000}-`] }); // part of the range arrived
    (await expectRange(fake, CHUNK + 1000, 2 * CHUNK + 1000)).respondWith(200, {
      nextExpectedRanges: [String(2 * CHUNK + 1000)],
    });
    (await expectRange(fake, 2 * CHUNK + 1000, 3 * CHUNK + 1000)).respondWith(200, {
      nextExpectedRanges: [String(3 * CHUNK + 1000)],
    });
    (await expectRange(fake, 3 * CHUNK + 1000, SIZE)).respondWith(201, "", { Location: LOCATION });
    await expect(result).resolves.toMatchObject({ attachmentId: "ATT-1" });
  });

  test("without GET status, a dropped range is re-sent from the last acknowledged offset", async () => {
    const { fake, result, progress } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    (await expectRange(fake, CHUNK, 2 * CHUNK)).fail();
    (await fake.nextRequest()).respondWith(405, ""); // GET not supported
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(200, {
      nextExpectedRanges: [String(2 * CHUNK)],
    });
    (await expectRange(fake, 2 * CHUNK, 3 * CHUNK)).respondWith(200, {
      nextExpectedRanges: [String(3 * CHUNK)],
    });
    (await expectRange(fake, 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    await result;
    expect(progress.at(-1)!.bytesSent).toBe(SIZE);
  });

  test("416 after a dropped range follows the offset named in the error (server kept part of the range)", async () => {
    const { fake, result } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).fail("socket hang up");
    (await fake.nextRequest()).respondWith(405, ""); // no GET status
    (await expectRange(fake, 0, CHUNK)).respondWith(416, {
      error: {
        code: "InvalidRange",
        message: "The range does not start at the next expected byte 65536.",
      },
    });
    (await fake.nextRequest()).respondWith(405, ""); // asked again, still no GET status
    (await expectRange(fake, 65536, 65536 + CHUNK)).respondWith(200, {
      NextExpectedRanges: [String(65536 + CHUNK)],
    });
    (await expectRange(fake, 65536 + CHUNK, 65536 + 2 * CHUNK)).respondWith(200, {
      NextExpectedRanges: [String(65536 + 2 * CHUNK)],
    });
    (await expectRange(fake, 65536 + 2 * CHUNK, 65536 + 3 * CHUNK)).respondWith(200, {
      NextExpectedRanges: [String(65536 + 3 * CHUNK)],
    });
    (await expectRange(fake, 65536 + 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    await expect(result).resolves.toMatchObject({ attachmentId: "ATT-1" });
  });

  test("416 that names no offset is an HttpError", async () => {
    const { fake, result } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(416, {
      error: { code: "InvalidRange", message: "no" },
    });
    (await fake.nextRequest()).respondWith(405, "");
    await expect(result).rejects.toMatchObject({ name: "HttpError", status: 416 });
  });

  test("404 on the upload URL starts a new session from byte 0 and updates the resume record", async () => {
    const { fake, result, records } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(404, {
      error: { code: "ErrorItemNotFound" },
    });
    const cleanup = await fake.nextRequest(); // the lost session is DELETEd best effort
    expect(cleanup.method).toBe("DELETE");
    cleanup.respondWith(404, "");
    await answerCreate(fake);
    for (let s = 0; s < 3 * CHUNK; s += CHUNK) {
      (await expectRange(fake, s, s + CHUNK)).respondWith(200, {
        nextExpectedRanges: [String(s + CHUNK)],
      });
    }
    (await expectRange(fake, 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    await expect(result).resolves.toMatchObject({ attachmentId: "ATT-1" });
    const offsets = records.map((r) => (r ? r.offset : null));
    expect(offsets).toEqual([0, CHUNK, null, 0, CHUNK, 2 * CHUNK, 3 * CHUNK, null]);
  });

  test("local expiry before a range starts a new session; restarts are bounded", async () => {
    const { fake, result, clock } = start({ maxSessionRestarts: 1 });
    await answerCreate(fake, sessionCreated("2026-01-01T00:00:10Z"));
    const first = await expectRange(fake, 0, CHUNK);
    clock.now += 11_000; // the session's time is up while the first range travels
    first.respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    const expired = await fake.nextRequest(); // the expired session is freed on the server
    expect([expired.method, expired.url]).toEqual(["DELETE", UPLOAD_URL]);
    expired.respondWith(410, "");
    await answerCreate(fake, sessionCreated("2026-01-01T00:00:20Z"));
    (await expectRange(fake, 0, CHUNK)).respondWith(410, "");
    (await fake.nextRequest()).respondWith(204); // DELETE again before giving up
    await expect(result).rejects.toBeInstanceOf(SessionExpiredError);
  });

  test("expiry is judged on the server's clock (Graph's Date header), not a client clock running fast", async () => {
    const { fake, result, clock } = start();
    clock.now += 2 * 60 * 60 * 1000; // the client's clock is 2 h ahead of the server's
    const req = await fake.nextRequest();
    // Server time 00:00, session until 01:00: by the client's clock it expired an hour ago.
    req.respondWith(201, sessionCreated("2026-01-01T01:00:00Z"), {
      Date: "Thu, 01 Jan 2026 00:00:00 GMT",
    });
    for (let s = 0; s < 3 * CHUNK; s += CHUNK) {
      (await expectRange(fake, s, s + CHUNK)).respondWith(200, {
        NextExpectedRanges: [String(s + CHUNK)],
      });
    }
    (await expectRange(fake, 3 * CHUNK, SIZE)).respondWith(201, "", { Location: LOCATION });
    await expect(result).resolves.toMatchObject({ attachmentId: "ATT-1" });
  });

  test("ErrorMessageSizeExceeded part-way stops at once and DELETEs the session", async () => {
    const { fake, result, records, sleeps } = start();
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    (await expectRange(fake, CHUNK, 2 * CHUNK)).respondWith(413, {
      error: {
        code: "ErrorMessageSizeExceeded",
        message: "too big",
        innerError: { "request-id": "5d2a1f3b-9c4e-4f6a-8b7c-0d1e2f3a4b5c" },
      },
    });
    const del = await fake.nextRequest();
    expect(del.method).toBe("DELETE");
    expect(del.url).toBe(UPLOAD_URL);
    expect(del.headers.get("authorization")).toBeNull();
    del.respondWith(204);
    const error = await result.then(
      () => undefined,
      (e) => e
    );
    expect(error).toBeInstanceOf(MessageSizeExceededError);
    expect(error).toMatchObject({
      status: 413,
      code: "ErrorMessageSizeExceeded",
      requestId: "5d2a1f3b-9c4e-4f6a-8b7c-0d1e2f3a4b5c",
    });
    expect(sleeps).toEqual([]);
    expect(records.at(-1)).toBeNull();
  });

  test("cancel aborts the request in flight, DELETEs the session and clears the record", async () => {
    const controller = new AbortController();
    const { fake, result, records } = start({ signal: controller.signal });
    await answerCreate(fake);
    const inFlight = await expectRange(fake, 0, CHUNK);
    controller.abort();
    expect(inFlight.signal?.aborted).toBe(true);
    const del = await fake.nextRequest();
    expect(del.method).toBe("DELETE");
    del.respondWith(204);
    const error = await result.then(
      () => undefined,
      (e) => e
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(error.paused).toBe(false);
    expect(records.at(-1)).toBeNull();
  });

  test("a file that can no longer be read → FileReadError at once, session DELETEd, record cleared", async () => {
    const fake = new FakeFetch();
    const records: (ResumeRecord | null)[] = [];
    const { options, sleeps } = testOptions(fake, {
      chunkSize: CHUNK,
      onResumeRecord: (r) => records.push(r),
    });
    const good = patternFile(SIZE);
    let gone = false;
    const file = {
      ...good,
      slice: (s?: number, e?: number) => {
        const blob = good.slice(s, e);
        if (!gone) return blob;
        const broken = Object.create(blob) as Blob;
        broken.arrayBuffer = () => Promise.reject(new DOMException("changed", "NotReadableError"));
        return broken;
      },
    };
    const result = attachFile(file, target, async () => TOKEN, options);
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).respondWith(200, { nextExpectedRanges: [String(CHUNK)] });
    gone = true;
    (await fake.nextRequest()).fail("body stream errored");
    const del = await fake.nextRequest();
    expect([del.method, del.url]).toEqual(["DELETE", UPLOAD_URL]);
    del.respondWith(204);
    const error = await result.catch((e) => e);
    expect(error.name).toBe("FileReadError");
    expect(error.message).toMatch(/file "report\.bin" can no longer be read/);
    expect(error.retryable).toBe(false);
    expect(sleeps).toEqual([]);
    expect(records.at(-1)).toBeNull();
  });

  test("a network error that keeps happening ends as NetworkError without the URL in its message", async () => {
    const { fake, result } = start({ retryDelays: [10] });
    await answerCreate(fake);
    (await expectRange(fake, 0, CHUNK)).fail();
    (await fake.nextRequest()).fail(); // GET status fails too
    (await expectRange(fake, 0, CHUNK)).fail();
    const error = await result.then(
      () => undefined,
      (e) => e
    );
    expect(error.name).toBe("NetworkError");
    expect(error.message).not.toMatch(/upload\.test|SECRET/);
  });
});
