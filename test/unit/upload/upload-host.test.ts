// #15 / #16 engine rules, request by request: an uploadUrl must be https on an allowed upload host
// (refused: a ProtocolError naming the host, no byte sent, no resume record); redirects from the
// upload host are refused; a record always carries a real expiry; a 401 from the upload URL means
// the session is lost (a new one carries on); the item wait is armed on the first 404.
import {
  ProtocolError,
  attachFile,
  fetchStack,
  uploadOriginAllowed,
  withUploadOrigins,
  type ResumeRecord,
} from "../../../src/upload";
import {
  FakeFetch,
  TOKEN,
  UPLOAD_URL,
  patternFile,
  sessionCreated,
  target,
  testOptions,
} from "./helpers/fake-fetch";

const MiB = 1024 * 1024;
const SIZE = 3 * MiB + 100_000;

/** Uploads a test leaves waiting on an answer are cancelled after it, so no stall timer outlives it. */
const running: AbortController[] = [];
afterEach(() => running.splice(0).forEach((c) => c.abort()));

function start(extra = {}) {
  const fake = new FakeFetch();
  const records: (ResumeRecord | null)[] = [];
  const controller = new AbortController();
  running.push(controller);
  const { options, sleeps } = testOptions(fake, {
    chunkSize: 2 * MiB,
    onResumeRecord: (r: ResumeRecord | null) => records.push(r),
    signal: controller.signal,
    ...extra,
  });
  const result = attachFile(patternFile(SIZE), target, async () => TOKEN, options);
  result.catch(() => undefined);
  return { fake, records, sleeps, result };
}

test.each([
  ["another host", "https://evil.example/upload/s?authtoken=SECRET", "evil.example"],
  [
    "plain http on a real host",
    "http://outlook.office.com/api/v2.0/s?authtoken=SECRET",
    "outlook.office.com",
  ],
  [
    "http on a loopback port nobody allowed",
    "http://127.0.0.1:9/s?authtoken=SECRET",
    "127.0.0.1:9",
  ],
])(
  "an uploadUrl on %s is refused: ProtocolError naming the host, no byte sent, no record",
  async (_n, url, host) => {
    const { fake, records, result } = start();
    (await fake.nextRequest()).respondWith(201, { ...sessionCreated(), uploadUrl: url });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain(host);
    expect((error as Error).message).not.toContain("SECRET");
    expect((error as Error).message).not.toContain("/upload/s");
    expect(fake.seen.map((r) => r.method)).toEqual(["POST"]); // no PUT, no DELETE to that host
    expect(records.filter((r) => r !== null)).toEqual([]);
  }
);

test("allowed upload origins: exact origins, https wildcard subdomains, explicit loopback", async () => {
  const allowed = withUploadOrigins("http://127.0.0.1:4001");
  const ok = (u: string) => uploadOriginAllowed(new URL(u), allowed);
  expect(ok("https://outlook.office.com/api/v2.0/x")).toBe(true);
  expect(ok("https://outlook.office365.us/api/v2.0/x")).toBe(true);
  expect(ok("https://contoso.sharepoint.com/x")).toBe(true);
  expect(ok("https://sharepoint.com/x")).toBe(false);
  expect(ok("https://contoso.sharepoint.com.evil.test/x")).toBe(false);
  expect(ok("http://contoso.sharepoint.com/x")).toBe(false);
  expect(ok("https://outlook.office.com:8443/x")).toBe(false);
  expect(ok("http://127.0.0.1:4001/x")).toBe(true);
  expect(ok("http://127.0.0.1:4002/x")).toBe(false);
  expect(() =>
    attachFile(patternFile(10), target, async () => TOKEN, {
      allowedUploadOrigins: ["http://upload.test"],
    })
  ).rejects.toThrow(/allowedUploadOrigins/);
});

test("a session answer without expirationDateTime: the record carries a 15-minute expiry, not none", async () => {
  const { fake, records } = start();
  (await fake.nextRequest()).respondWith(201, {
    uploadUrl: UPLOAD_URL,
    nextExpectedRanges: ["0-"],
  });
  await fake.nextRequest(); // the first PUT: the record was written before it
  const record = records.find((r) => r !== null)!;
  expect(record.expirationDateTime).toBe("2026-01-01T00:15:00.000Z"); // the test clock + 15 min
});

test("a 401 from the upload URL: the session is lost, a new one carries on from byte 0", async () => {
  const { fake, result } = start();
  (await fake.nextRequest()).respondWith(201, sessionCreated());
  (await fake.nextRequest()).respondWith(401, { error: { code: "InvalidAuthenticationToken" } });
  const del = await fake.nextRequest(); // the dead session is freed best effort
  expect(del.method).toBe("DELETE");
  del.respondWith(204);
  const create = await fake.nextRequest();
  expect(create.url).toMatch(/createUploadSession$/);
  create.respondWith(201, sessionCreated());
  const first = await fake.nextRequest();
  expect(first.headers.get("content-range")).toBe(`bytes 0-${2 * MiB - 1}/${SIZE}`);
  first.respondWith(200, { NextExpectedRanges: [String(2 * MiB)] });
  (await fake.nextRequest()).respondWith(201, "", {
    Location:
      "https://outlook.office.com/api/v2.0/Users('u')/Messages('AAMkAD=')/Attachments('A2')",
  });
  await expect(result).resolves.toMatchObject({ attachmentId: "A2" });
});

test("with an item wait, the first 404 ErrorItemNotFound of createUploadSession is waited out", async () => {
  const { fake, sleeps, result } = start({ itemWaitMs: 120_000 });
  (await fake.nextRequest()).respondWith(404, { error: { code: "ErrorItemNotFound" } });
  (await fake.nextRequest()).respondWith(201, sessionCreated());
  expect(sleeps).toEqual([1000]); // waited, then asked again
  (await fake.nextRequest()).respondWith(200, { NextExpectedRanges: [String(2 * MiB)] });
  (await fake.nextRequest()).respondWith(201, { id: "A3" });
  await expect(result).resolves.toMatchObject({ attachmentId: "A3" });
});

describe("fetchStack refuses redirects from the upload host", () => {
  test("a 3xx to a range PUT is a ProtocolError naming the host, not a network error to retry", async () => {
    const fake = new FakeFetch();
    const stack = fetchStack(fake.fetch);
    const sent = stack.send({
      method: "PUT",
      url: UPLOAD_URL,
      headers: {},
      body: "x",
      refuseRedirects: true,
    });
    const req = await fake.nextRequest();
    req.respondWith(307, "", { Location: "https://elsewhere.test/catch" });
    const error = await sent.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain("upload.test");
    expect((error as Error).message).not.toContain("SECRET");
  });
});
