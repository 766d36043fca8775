// Each quirk switch changes what the emulator answers, as configured (configure(), and
// PUT /_emulator/config for the HTTP route). CLI flags map to the same fields (test/unit/emulator).
import {
  createItem,
  createSession,
  errorCode,
  MiB,
  putRange,
  seededBytes,
  sha256,
  startHarness,
  uploadAll,
  uploadUrlFor,
  type Harness,
} from "./helpers";

const bytes = seededBytes(3 * MiB, 5);
let h: Harness;
let messageId: string;

beforeAll(async () => {
  h = await startHarness();
  messageId = await createItem(h, "messages");
});
afterAll(() => h.emulator.close());
afterEach(() => h.emulator.reset().then(async () => (messageId = await createItem(h, "messages"))));

const item = () => `me/messages/${messageId}`;

test('rangeCasing camel + rangeForm dashed (set over HTTP): {expirationDateTime, nextExpectedRanges:["1048576-"]}', async () => {
  const put = await fetch(`${h.emulator.url}/_emulator/config`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ rangeCasing: "camel", rangeForm: "dashed" }),
  });
  expect(put.status).toBe(200);
  expect(await put.json()).toMatchObject({ rangeCasing: "camel", rangeForm: "dashed" });
  const url = await uploadUrlFor(h, item(), bytes.length);
  const body = (await (await putRange(url, bytes, 0, MiB - 1)).json()) as Record<string, unknown>;
  expect(body).toEqual({
    expirationDateTime: expect.any(String),
    nextExpectedRanges: ["1048576-"],
  });
});

test('rangeForm explicit: NextExpectedRanges names the missing range as "start-end"', async () => {
  h.emulator.configure({ rangeForm: "explicit" });
  const url = await uploadUrlFor(h, item(), bytes.length);
  const body = (await (await putRange(url, bytes, 0, MiB - 1)).json()) as Record<string, unknown>;
  expect(body.NextExpectedRanges).toEqual([`1048576-${bytes.length - 1}`]);
});

test("a bad config value is refused with 400 and changes nothing", async () => {
  const put = await fetch(`${h.emulator.url}/_emulator/config`, {
    method: "PUT",
    body: JSON.stringify({ rangeCasing: "kebab" }),
  });
  expect(put.status).toBe(400);
  expect(h.emulator.getConfig().rangeCasing).toBe("pascal");
});

test.each([
  [
    { apiVersion: "beta" },
    /\/api\/beta\/Users\('[^']+'\)\/Messages\('[^']+'\)\/AttachmentSessions\('[^']+'\)\?authtoken=/,
    /\/api\/beta\/Users\(/,
  ],
  [{ apiVersion: "gv1.0" }, /\/api\/gv1\.0\/Users\(/, /\/api\/gv1\.0\/Users\(/],
  [
    { pathCasing: "lower" },
    /\/api\/v2\.0\/users\('[^']+'\)\/messages\('[^']+'\)\/attachmentsessions\('/,
    /\/users\('[^']+'\)\/messages\('[^']+'\)\/attachments\('[^']+'\)$/,
  ],
  [
    { locationHost: "outlook.office.com" },
    /^http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\//,
    /^https:\/\/outlook\.office\.com\/api\/v2\.0\/Users\(/,
  ],
  [
    { uploadHost: "localhost" },
    /^http:\/\/localhost:\d+\/api\/v2\.0\//,
    /^http:\/\/localhost:\d+\/api\/v2\.0\//,
  ],
] as const)("uploadUrl / Location variant %j", async (patch, uploadPattern, locationPattern) => {
  h.emulator.configure(patch);
  const url = await uploadUrlFor(h, item(), bytes.length);
  expect(url).toMatch(uploadPattern);
  const last = await uploadAll(url, bytes);
  expect(last.status).toBe(201);
  expect(last.headers.get("location")).toMatch(locationPattern);
  expect(h.emulator.attachments()[0].sha256).toBe(sha256(bytes));
});

test("getStatus on: GET {uploadUrl} answers the session's next expected range", async () => {
  h.emulator.configure({ getStatus: true });
  const url = await uploadUrlFor(h, item(), bytes.length);
  await putRange(url, bytes, 0, MiB - 1);
  const status = await fetch(url);
  expect(status.status).toBe(200);
  expect(await status.json()).toMatchObject({ NextExpectedRanges: ["1048576"] });
});

test("sharedMailbox403 off: a delegate may create a session in a shared mailbox", async () => {
  h.emulator.addMailbox("team@contoso.test", ["adele@contoso.test"]);
  const sharedItem = await createItem(h, "messages", "team@contoso.test");
  expect(
    (await createSession(h, `users/team@contoso.test/messages/${sharedItem}`, bytes.length)).status
  ).toBe(403);
  h.emulator.configure({ sharedMailbox403: false });
  const { status, body } = await createSession(
    h,
    `users/team@contoso.test/messages/${sharedItem}`,
    bytes.length
  );
  expect(status).toBe(201);
  expect(await uploadAll(body.uploadUrl as string, bytes).then((r) => r.status)).toBe(201);
  expect(h.emulator.attachments()).toEqual([
    expect.objectContaining({ mailbox: "team@contoso.test", sha256: sha256(bytes) }),
  ]);
});

test("itemInvisibleSeconds: a new item answers 404 ErrorItemNotFound, then appears", async () => {
  h.emulator.configure({ itemInvisibleSeconds: 1 });
  const created = h.emulator.createItem({ kind: "message" });
  const path = `me/messages/${created.id}`;
  const early = await fetch(`${h.emulator.graphUrl}/${path}`, { headers: h.auth });
  expect(early.status).toBe(404);
  expect(errorCode(await early.json())).toBe("ErrorItemNotFound");
  expect((await createSession(h, path, bytes.length)).status).toBe(404);
  await new Promise((resolve) =>
    setTimeout(resolve, Date.parse(created.visibleAt) - Date.now() + 50)
  );
  expect((await fetch(`${h.emulator.graphUrl}/${path}`, { headers: h.auth })).status).toBe(200);
  expect((await createSession(h, path, bytes.length)).status).toBe(201);
});

test("reportedSize raw: $select size equals the bytes stored", async () => {
  h.emulator.configure({ reportedSize: "raw" });
  const url = await uploadUrlFor(h, item(), bytes.length);
  const last = await uploadAll(url, bytes);
  const id = /Attachments\('([^']+)'\)$/.exec(last.headers.get("location")!)![1];
  const meta = await fetch(`${h.emulator.graphUrl}/${item()}/attachments/${id}?$select=size`, {
    headers: h.auth,
  });
  expect(await meta.json()).toMatchObject({ size: bytes.length });
});

test("maxMessageSizeBytes 35 MB with messageSizeFactor 4/3: a 30 MiB file fails part-way (base64 MIME overhead)", async () => {
  h.emulator.configure({ maxMessageSizeBytes: 35 * MiB, messageSizeFactor: 4 / 3 });
  const big = seededBytes(30 * MiB, 30);
  const url = await uploadUrlFor(h, item(), big.length);
  let accepted = 0;
  let refused: Response | undefined;
  for (let start = 0; start < big.length && !refused; start += 4 * MiB) {
    const response = await putRange(url, big, start, Math.min(start + 4 * MiB, big.length) - 1);
    if (response.status !== 200) refused = response;
    else {
      accepted += 1;
      await response.arrayBuffer();
    }
  }
  // 24 MiB × 4/3 = 32 MiB fits in 35 MiB; 28 MiB × 4/3 ≈ 37.3 MiB does not: the 7th range is refused.
  expect(accepted).toBe(6);
  expect(refused?.status).toBe(413);
  expect(errorCode(await refused!.json())).toBe("ErrorMessageSizeExceeded");
  expect(h.emulator.openSessions()).toEqual([]);
  expect(h.emulator.attachments()).toEqual([]);
  h.emulator.configure({ messageSizeFactor: 1 });
  expect((await uploadAll(await uploadUrlFor(h, item(), big.length), big)).status).toBe(201);
});

test("sessionTtlSeconds: the expiry does not move as ranges arrive, so a session can expire mid-upload (410)", async () => {
  h.emulator.configure({ sessionTtlSeconds: 2 }); // margin for the first range on a loaded machine
  const created = await createSession(h, item(), bytes.length);
  const url = created.body.uploadUrl as string;
  const first = await putRange(url, bytes, 0, MiB - 1);
  expect(first.status).toBe(200);
  expect(((await first.json()) as Record<string, unknown>).ExpirationDateTime).toBe(
    created.body.expirationDateTime
  );
  const expiresAt = Date.parse(created.body.expirationDateTime as string);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 50));
  const late = await putRange(url, bytes, MiB, 2 * MiB - 1);
  expect(late.status).toBe(410);
  expect(errorCode(await late.json())).toBe("ErrorUploadSessionExpired");
  expect(h.emulator.openSessions()).toEqual([]);
  expect(h.emulator.attachments()).toEqual([]);
});

test("sessionMinBytes: the documented 3 MB minimum can be restored", async () => {
  expect((await createSession(h, item(), 2 * MiB)).status).toBe(201);
  h.emulator.configure({ sessionMinBytes: 3 * MiB });
  const { status, body } = await createSession(h, item(), 2 * MiB);
  expect(status).toBe(400);
  expect(errorCode(body)).toBe("ErrorAttachmentSizeShouldNotBeLessThanMinimumSize");
});

test("CORS: preflight from the task pane's origin is answered on both origins; Location is exposed", async () => {
  const url = await uploadUrlFor(h, item(), bytes.length);
  for (const target of [`${h.emulator.graphUrl}/${item()}/attachments/createUploadSession`, url]) {
    const preflight = await fetch(target, {
      method: "OPTIONS",
      headers: {
        Origin: "http://localhost:3000",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-range,content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
      "content-range"
    );
  }
  const get = await fetch(`${h.emulator.graphUrl}/${item()}`, {
    headers: { ...h.auth, Origin: "http://localhost:3000" },
  });
  expect(get.headers.get("access-control-expose-headers")).toMatch(/Location/);
});

test("CORS: an origin outside corsOrigins gets no CORS headers", async () => {
  const strict = await startHarness({ corsOrigins: ["https://addin.contoso.test"] });
  try {
    const preflight = await fetch(`${strict.emulator.graphUrl}/me/messages`, {
      method: "OPTIONS",
      headers: { Origin: "http://evil.test", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const ok = await fetch(`${strict.emulator.graphUrl}/me/messages`, {
      method: "OPTIONS",
      headers: { Origin: "https://addin.contoso.test", "Access-Control-Request-Method": "POST" },
    });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://addin.contoso.test");
  } finally {
    await strict.emulator.close();
  }
});
