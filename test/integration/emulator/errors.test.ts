// Each documented error and each of our chosen errors (README "Behaviour table"): status,
// error.code, the Graph error shape, and that nothing was stored.
import {
  asBody,
  createItem,
  createSession,
  errorCode,
  MiB,
  putRange,
  rawRequest,
  seededBytes,
  startHarness,
  uploadUrlFor,
  type Harness,
} from "./helpers";

const bytes = seededBytes(3 * MiB, 77);
let h: Harness;
let messageId: string;

beforeAll(async () => {
  h = await startHarness();
  messageId = await createItem(h, "messages");
});
afterAll(() => h.emulator.close());
afterEach(() =>
  h.emulator.configure({
    sessionTtlSeconds: 900,
    maxMessageSizeBytes: 157_286_400,
    chunkCapBytes: 4 * MiB,
  })
);

const item = () => `me/messages/${messageId}`;

function expectNothingStored(): void {
  expect(h.emulator.openSessions()).toEqual([]);
  expect(h.emulator.attachments()).toEqual([]);
}

async function expectGraphError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  const json = (await response.json()) as {
    error: { code: string; message: string; innerError: Record<string, string> };
  };
  expect(json.error.code).toBe(code);
  expect(typeof json.error.message).toBe("string");
  expect(json.error.innerError["request-id"]).toBe(response.headers.get("request-id"));
  expect(json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
}

/** Opens a session, runs `body`, and checks the session is left where it was (or gone). */
async function withFreshSession(run: (url: string) => Promise<void>): Promise<void> {
  const url = await uploadUrlFor(h, item(), bytes.length);
  await run(url);
  await fetch(url, { method: "DELETE" });
  expectNothingStored();
}

describe("documented errors", () => {
  test("createUploadSession under the minimum → 400 ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", async () => {
    const { status, body } = await createSession(h, item(), 2 * MiB - 1);
    expect(status).toBe(400);
    expect(errorCode(body)).toBe("ErrorAttachmentSizeShouldNotBeLessThanMinimumSize");
    expectNothingStored();
  });

  test("ErrorMessageSizeExceeded fires part-way through the ranges and discards the session", async () => {
    h.emulator.configure({ maxMessageSizeBytes: 5 * MiB });
    const big = seededBytes(8 * MiB, 8);
    const url = await uploadUrlFor(h, item(), big.length);
    expect((await putRange(url, big, 0, 4 * MiB - 1)).status).toBe(200);
    await expectGraphError(
      await putRange(url, big, 4 * MiB, 8 * MiB - 1),
      413,
      "ErrorMessageSizeExceeded"
    );
    expectNothingStored();
    // The session is gone: its bytes were discarded.
    expect((await putRange(url, big, 4 * MiB, 8 * MiB - 1)).status).toBe(404);
  });

  test("ErrorMessageSizeExceeded on a small POST", async () => {
    h.emulator.configure({ maxMessageSizeBytes: 1000 });
    const response = await fetch(`${h.emulator.graphUrl}/${item()}/attachments`, {
      method: "POST",
      headers: { ...h.auth, "Content-Type": "application/json" },
      body: JSON.stringify({
        "@odata.type": "#microsoft.graph.fileAttachment",
        name: "a.txt",
        contentBytes: bytes.subarray(0, 2000).toString("base64"),
      }),
    });
    await expectGraphError(response, 413, "ErrorMessageSizeExceeded");
    expectNothingStored();
  });

  test("a Bearer header on the upload URL → 401 InvalidAudience", async () => {
    await withFreshSession(async (url) => {
      await expectGraphError(
        await putRange(url, bytes, 0, MiB - 1, h.auth),
        401,
        "InvalidAudience"
      );
      expect(h.emulator.openSessions()[0].received).toBe(0);
    });
  });

  test("shared mailbox with delegated access → 403 on createUploadSession (known issue)", async () => {
    h.emulator.addMailbox("shared@contoso.test", ["adele@contoso.test"]);
    const sharedItem = await createItem(h, "messages", "shared@contoso.test");
    const { status, body } = await createSession(
      h,
      `users/shared@contoso.test/messages/${sharedItem}`,
      bytes.length
    );
    expect(status).toBe(403);
    expect(errorCode(body)).toBe("ErrorAccessDenied");
    expectNothingStored();
  });

  test("unknown item → 404 ErrorItemNotFound", async () => {
    const { status, body } = await createSession(h, "me/messages/AAMkDoesNotExist=", bytes.length);
    expect(status).toBe(404);
    expect(errorCode(body)).toBe("ErrorItemNotFound");
    expectNothingStored();
  });

  test("Graph call without, with an unknown or with an expired token → 401 InvalidAuthenticationToken", async () => {
    const url = `${h.emulator.graphUrl}/${item()}`;
    await expectGraphError(await fetch(url), 401, "InvalidAuthenticationToken");
    await expectGraphError(
      await fetch(url, { headers: { Authorization: "Bearer nope" } }),
      401,
      "InvalidAuthenticationToken"
    );
    const expired = h.emulator.issueToken("adele@contoso.test", 0);
    await expectGraphError(
      await fetch(url, { headers: { Authorization: `Bearer ${expired}` } }),
      401,
      "InvalidAuthenticationToken"
    );
  });
});

describe("our chosen errors", () => {
  test("over 150 MiB → 400 ErrorAttachmentSizeLimitExceeded", async () => {
    const { status, body } = await createSession(h, item(), 157_286_401);
    expect(status).toBe(400);
    expect(errorCode(body)).toBe("ErrorAttachmentSizeLimitExceeded");
    expectNothingStored();
  });

  test("range out of order (a gap) → 416 InvalidRange", async () => {
    await withFreshSession(async (url) => {
      await expectGraphError(await putRange(url, bytes, MiB, 2 * MiB - 1), 416, "InvalidRange");
      expect(h.emulator.openSessions()[0].received).toBe(0);
    });
  });

  test("overlapping range (resent) → 416 InvalidRange", async () => {
    await withFreshSession(async (url) => {
      expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
      await expectGraphError(await putRange(url, bytes, 0, MiB - 1), 416, "InvalidRange");
      expect(h.emulator.openSessions()[0].received).toBe(MiB);
    });
  });

  test("wrong total → 400 InvalidContentRange", async () => {
    await withFreshSession(async (url) => {
      const response = await fetch(url, {
        method: "PUT",
        headers: { "Content-Range": `bytes 0-1023/${bytes.length + 1}` },
        body: asBody(bytes.subarray(0, 1024)),
      });
      await expectGraphError(response, 400, "InvalidContentRange");
      expect(h.emulator.openSessions()[0].received).toBe(0);
    });
  });

  test("missing or malformed Content-Range → 400 InvalidContentRange", async () => {
    await withFreshSession(async (url) => {
      await expectGraphError(
        await fetch(url, { method: "PUT", body: asBody(bytes.subarray(0, 10)) }),
        400,
        "InvalidContentRange"
      );
      const malformed = await fetch(url, {
        method: "PUT",
        headers: { "Content-Range": "bytes=0-9" },
        body: asBody(bytes.subarray(0, 10)),
      });
      await expectGraphError(malformed, 400, "InvalidContentRange");
    });
  });

  test("Content-Length ≠ range length → 400 ContentLengthMismatch", async () => {
    await withFreshSession(async (url) => {
      const { response } = rawRequest(
        url,
        "PUT",
        { "Content-Range": "bytes 0-1023/3145728", "Content-Length": "1000" },
        bytes.subarray(0, 1000)
      );
      const res = await response;
      expect(res.status).toBe(400);
      expect(errorCode(JSON.parse(res.body))).toBe("ContentLengthMismatch");
      expect(h.emulator.openSessions()[0].received).toBe(0);
    });
  });

  test("no Content-Length (chunked body) → 411 LengthRequired", async () => {
    await withFreshSession(async (url) => {
      const { response } = rawRequest(
        url,
        "PUT",
        { "Content-Range": "bytes 0-1023/3145728", "Transfer-Encoding": "chunked" },
        bytes.subarray(0, 1024)
      );
      const res = await response;
      expect(res.status).toBe(411);
      expect(errorCode(JSON.parse(res.body))).toBe("LengthRequired");
      expect(h.emulator.openSessions()[0].received).toBe(0);
    });
  });

  test("range over the chunk cap → 413 RequestEntityTooLarge", async () => {
    h.emulator.configure({ chunkCapBytes: MiB });
    await withFreshSession(async (url) => {
      await expectGraphError(await putRange(url, bytes, 0, MiB), 413, "RequestEntityTooLarge");
      expect(h.emulator.openSessions()[0].received).toBe(0);
    });
  });

  test("expired session → 410 ErrorUploadSessionExpired and the session is discarded", async () => {
    h.emulator.configure({ sessionTtlSeconds: 0 });
    const url = await uploadUrlFor(h, item(), bytes.length);
    await expectGraphError(
      await putRange(url, bytes, 0, MiB - 1),
      410,
      "ErrorUploadSessionExpired"
    );
    expectNothingStored();
  });

  test("deleted session → 404 ErrorUploadSessionNotFound", async () => {
    const url = await uploadUrlFor(h, item(), bytes.length);
    expect((await fetch(url, { method: "DELETE" })).status).toBe(204);
    await expectGraphError(
      await putRange(url, bytes, 0, MiB - 1),
      404,
      "ErrorUploadSessionNotFound"
    );
    expectNothingStored();
  });

  test("the item deleted mid-upload → its session is gone: 404 ErrorUploadSessionNotFound", async () => {
    const doomed = await createItem(h, "messages");
    const url = await uploadUrlFor(h, `me/messages/${doomed}`, bytes.length);
    expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
    const del = await fetch(`${h.emulator.graphUrl}/me/messages/${doomed}`, {
      method: "DELETE",
      headers: h.auth,
    });
    expect(del.status).toBe(204);
    await expectGraphError(
      await putRange(url, bytes, MiB, 2 * MiB - 1),
      404,
      "ErrorUploadSessionNotFound"
    );
    expectNothingStored();
  });

  test("missing or wrong authtoken → 401 InvalidAuthenticationToken", async () => {
    await withFreshSession(async (url) => {
      const withoutToken = url.replace(/\?authtoken=.*$/, "");
      await expectGraphError(
        await putRange(withoutToken, bytes, 0, MiB - 1),
        401,
        "InvalidAuthenticationToken"
      );
      const wrongToken = url.replace(/authtoken=.*$/, "authtoken=AAAA");
      await expectGraphError(
        await putRange(wrongToken, bytes, 0, MiB - 1),
        401,
        "InvalidAuthenticationToken"
      );
      expect(h.emulator.openSessions()[0].received).toBe(0);
    });
  });

  test("a second PUT while a range is still arriving → 409 ErrorUploadSessionBusy", async () => {
    await withFreshSession(async (url) => {
      const slow = rawRequest(
        url,
        "PUT",
        { "Content-Range": `bytes 0-${MiB - 1}/${bytes.length}`, "Content-Length": String(MiB) },
        bytes.subarray(0, 1024),
        {
          end: false,
        }
      );
      // Wait until the emulator is reading the first range, then send a competing one.
      for (let i = 0; i < 100 && !isBusy(); i++) await new Promise((r) => setTimeout(r, 20));
      await expectGraphError(await putRange(url, bytes, 0, MiB - 1), 409, "ErrorUploadSessionBusy");
      slow.finish(bytes.subarray(1024, MiB));
      expect((await slow.response).status).toBe(200);
      expect(h.emulator.openSessions()[0].received).toBe(MiB);
    });
  });

  test("small POST body over 4 MiB → 413 RequestBodyTooLarge", async () => {
    const response = await fetch(`${h.emulator.graphUrl}/${item()}/attachments`, {
      method: "POST",
      headers: { ...h.auth, "Content-Type": "application/json" },
      body: JSON.stringify({
        "@odata.type": "#microsoft.graph.fileAttachment",
        name: "big",
        contentBytes: bytes.toString("base64"),
      }),
    });
    await expectGraphError(response, 413, "RequestBodyTooLarge");
    expectNothingStored();
  });

  test("mailbox the user may not act on → 403 ErrorAccessDenied; unknown user → 404 ErrorInvalidUser", async () => {
    h.emulator.addMailbox("private@contoso.test", []);
    await expectGraphError(
      await fetch(`${h.emulator.graphUrl}/users/private@contoso.test/messages`, {
        headers: h.auth,
      }),
      403,
      "ErrorAccessDenied"
    );
    await expectGraphError(
      await fetch(`${h.emulator.graphUrl}/users/nobody@contoso.test/messages`, { headers: h.auth }),
      404,
      "ErrorInvalidUser"
    );
  });

  test("GET on the upload URL while GET status is off → 405 MethodNotAllowed", async () => {
    await withFreshSession(async (url) => {
      await expectGraphError(await fetch(url), 405, "MethodNotAllowed");
    });
  });
});

function isBusy(): boolean {
  return h.emulator.openSessions()[0]?.busy === true;
}
