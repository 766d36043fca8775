import {
  HttpError,
  ItemNotFoundError,
  MessageSizeExceededError,
  SharedMailboxForbiddenError,
  attachFile,
  attachmentsUrl,
  type UploadPhase,
} from "../../../src/upload";
import { FakeFetch, TOKEN, patternFile, target, testOptions } from "./helpers/fake-fetch";

describe("Graph paths", () => {
  test.each([
    [{ mailbox: "me", itemKind: "message" }, "https://g/v1.0/me/messages/ID%2F1=/attachments"],
    [{ mailbox: "me", itemKind: "event" }, "https://g/v1.0/me/events/ID%2F1=/attachments"],
    [
      { mailbox: "shared box@contoso.com", itemKind: "message" },
      "https://g/v1.0/users/shared%20box%40contoso.com/messages/ID%2F1=/attachments",
    ],
  ] as const)("%j", (parts, url) => {
    expect(attachmentsUrl({ graphBaseUrl: "https://g/v1.0/", itemId: "ID/1=", ...parts })).toBe(
      url
    );
  });
});

describe("Graph calls", () => {
  test("asks the token provider per request; on 401 asks again with the claims challenge and retries once", async () => {
    const fake = new FakeFetch();
    const tokens = ["old-token", "new-token"];
    const getToken = jest.fn(async () => tokens.shift()!);
    const result = attachFile(patternFile(10), target, getToken, testOptions(fake).options);
    const first = await fake.nextRequest();
    expect(first.headers.get("authorization")).toBe("Bearer old-token");
    const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } });
    first.respondWith(
      401,
      { error: { code: "InvalidAuthenticationToken" } },
      {
        "WWW-Authenticate": `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString("base64")}"`,
      }
    );
    const second = await fake.nextRequest();
    expect(second.headers.get("authorization")).toBe("Bearer new-token");
    expect(getToken).toHaveBeenLastCalledWith({ claims });
    second.respondWith(201, { id: "A" });
    await expect(result).resolves.toMatchObject({ attachmentId: "A" });
  });

  test("a failing token provider becomes a TokenError with the provider's error as cause, no request sent", async () => {
    const { TokenError } = await import("../../../src/upload");
    const fake = new FakeFetch();
    const cause = Object.assign(new Error("interaction_required: AADSTS50076"), {
      name: "InteractionRequiredAuthError",
    });
    const error = await attachFile(
      patternFile(10),
      target,
      async () => Promise.reject(cause),
      testOptions(fake).options
    ).catch((e) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(/InteractionRequiredAuthError/);
    expect(fake.seen).toHaveLength(0);
  });

  test("a second 401 is not retried again", async () => {
    const fake = new FakeFetch();
    const result = attachFile(
      patternFile(10),
      target,
      async () => TOKEN,
      testOptions(fake).options
    );
    (await fake.nextRequest()).respondWith(401, "");
    (await fake.nextRequest()).respondWith(401, {
      error: { code: "InvalidAuthenticationToken", message: "nope" },
    });
    await expect(result).rejects.toMatchObject({ name: "HttpError", status: 401 });
    expect(fake.seen).toHaveLength(2);
  });

  test("404 ErrorItemNotFound is waited out in phase waiting-for-item, then succeeds", async () => {
    const fake = new FakeFetch();
    const phases: UploadPhase[] = [];
    const { options, sleeps } = testOptions(fake, {
      itemWaitMs: 10_000,
      onPhase: (p) => phases.push(p),
    });
    const result = attachFile(patternFile(3 * 1024 * 1024), target, async () => TOKEN, options);
    (await fake.nextRequest()).respondWith(404, { error: { code: "ErrorItemNotFound" } });
    (await fake.nextRequest()).respondWith(404, { error: { code: "ErrorItemNotFound" } });
    const create = await fake.nextRequest();
    expect(create.url).toMatch(/createUploadSession$/);
    create.respondWith(201, {
      uploadUrl: "https://up.test/s?authtoken=x",
      nextExpectedRanges: ["0-"],
    });
    (await fake.nextRequest()).respondWith(201, "", {
      Location: "https://h/api/v2.0/Attachments('Z')",
    });
    await expect(result).resolves.toMatchObject({ attachmentId: "Z" });
    expect(phases.filter((p) => p === "waiting-for-item")).toHaveLength(2);
    expect(sleeps.length).toBe(2);
  });

  test("the item wait is bounded by itemWaitMs, then ItemNotFoundError", async () => {
    const fake = new FakeFetch();
    const { options } = testOptions(fake, { itemWaitMs: 2_500, retryDelays: [1000] });
    const result = attachFile(patternFile(10), target, async () => TOKEN, options);
    for (let i = 0; i < 4; i++)
      (await fake.nextRequest()).respondWith(404, { error: { code: "ErrorItemNotFound" } });
    const error = await result.catch((e) => e);
    expect(error).toBeInstanceOf(ItemNotFoundError);
    expect(error.message).toMatch(/after waiting 3 s/);
  });

  test("itemWaitMs 0 fails at once with ItemNotFoundError", async () => {
    const fake = new FakeFetch();
    const result = attachFile(
      patternFile(10),
      target,
      async () => TOKEN,
      testOptions(fake).options
    );
    (await fake.nextRequest()).respondWith(404, { error: { code: "ErrorItemNotFound" } });
    await expect(result).rejects.toBeInstanceOf(ItemNotFoundError);
  });

  test("403 on a shared mailbox explains the Graph known issue", async () => {
    const fake = new FakeFetch();
    const shared = { ...target, mailbox: "team@contoso.com" };
    const result = attachFile(
      patternFile(4 * 1024 * 1024),
      shared,
      async () => TOKEN,
      testOptions(fake).options
    );
    const req = await fake.nextRequest();
    expect(req.url).toBe(
      "https://graph.test/v1.0/users/team%40contoso.com/messages/AAMkAD=/attachments/createUploadSession"
    );
    req.respondWith(403, { error: { code: "ErrorAccessDenied", message: "Access is denied." } });
    const error = await result.catch((e) => e);
    expect(error).toBeInstanceOf(SharedMailboxForbiddenError);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toMatch(/known/i);
  });

  test("ErrorMessageSizeExceeded at session creation is not retried", async () => {
    const fake = new FakeFetch();
    const { options, sleeps } = testOptions(fake);
    const result = attachFile(patternFile(4 * 1024 * 1024), target, async () => TOKEN, options);
    (await fake.nextRequest()).respondWith(400, { error: { code: "ErrorMessageSizeExceeded" } });
    await expect(result).rejects.toBeInstanceOf(MessageSizeExceededError);
    expect(sleeps).toEqual([]);
  });

  test("the small POST is repeated after a 500 only once the item's attachments show it did not land", async () => {
    const fake = new FakeFetch();
    const { options, sleeps } = testOptions(fake);
    const small = attachFile(patternFile(10), target, async () => TOKEN, options);
    (await fake.nextRequest()).respondWith(500, "");
    const list = await fake.nextRequest();
    expect(list.method).toBe("GET");
    list.respondWith(200, { value: [] });
    const again = await fake.nextRequest();
    expect(again.method).toBe("POST");
    again.respondWith(201, { id: "S1" });
    const recheck = await fake.nextRequest(); // a re-sent POST is checked for a second copy
    expect(recheck.method).toBe("GET");
    recheck.respondWith(200, {
      value: [
        { id: "S1", name: "report.bin", size: 10, lastModifiedDateTime: "2026-01-01T00:00:01Z" },
      ],
    });
    await expect(small).resolves.toMatchObject({ attachmentId: "S1" });
    expect(sleeps).toEqual([500]); // one backoff, between the failure and the check

    // The cut POST landed after the check: the re-sent (newer) copy is DELETEd, the older id kept.
    const raced = attachFile(patternFile(10), target, async () => TOKEN, options);
    (await fake.nextRequest()).fail();
    (await fake.nextRequest()).respondWith(200, { value: [] });
    (await fake.nextRequest()).respondWith(201, { id: "S3" });
    (await fake.nextRequest()).respondWith(200, {
      value: [
        { id: "L0", name: "report.bin", size: 10, lastModifiedDateTime: "2026-01-01T00:00:01Z" },
        { id: "S3", name: "report.bin", size: 10, lastModifiedDateTime: "2026-01-01T00:00:02Z" },
      ],
    });
    const removal = await fake.nextRequest();
    expect(removal.method).toBe("DELETE");
    expect(removal.url).toMatch(/\/attachments\/S3$/);
    removal.respondWith(204, "");
    await expect(raced).resolves.toMatchObject({ attachmentId: "L0" });
    expect(sleeps).toEqual([500, 500]);

    // It landed after all (the answer was lost): no second POST, the listed id is the result.
    const landed = attachFile(patternFile(10), target, async () => TOKEN, options);
    (await fake.nextRequest()).fail(); // a dropped connection
    (await fake.nextRequest()).respondWith(200, {
      value: [
        { id: "L1", name: "report.bin", size: 10, lastModifiedDateTime: "2026-01-01T00:00:01Z" },
      ],
    });
    await expect(landed).resolves.toMatchObject({ attachmentId: "L1" });
    expect(fake.pending).toBe(0);

    const small2 = attachFile(patternFile(10), target, async () => TOKEN, options);
    (await fake.nextRequest()).respondWith(503, "", { "Retry-After": "2" });
    (await fake.nextRequest()).respondWith(201, { id: "S2" });
    await expect(small2).resolves.toMatchObject({ attachmentId: "S2" });
    expect(sleeps).toEqual([500, 500, 500, 2000]); // 503: Graph did not act, so no check before the repeat
  });

  test("an error message never contains the token", async () => {
    const fake = new FakeFetch();
    const result = attachFile(
      patternFile(10),
      target,
      async () => TOKEN,
      testOptions(fake).options
    );
    (await fake.nextRequest()).respondWith(400, {
      error: {
        code: "BadRequest",
        message: `Token Bearer ${TOKEN} invalid for https://up.test/x?authtoken=abc`,
      },
    });
    const error = await result.catch((e) => e);
    expect(error.message).toMatch(/BadRequest/);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain("authtoken=abc");
  });
});
