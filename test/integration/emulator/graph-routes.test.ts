// The Graph subset and the control surface over HTTP, route by route: the token issuer, drafts and
// events under /me and /users/{upn | id}, attachments (list and get with $select, small POST and
// its 4 MiB limit, $value, delete), the AttachmentItem fields a session keeps, the upload URL's
// own auth, /_emulator/mailboxes, /sessions, /items and /reset, and CORS on real responses.
import {
  createItem,
  errorCode,
  MiB,
  putRange,
  rawRequest,
  seededBytes,
  sha256,
  startHarness,
  uploadAll,
  uploadUrlFor,
  type Harness,
} from "./helpers";

const PANE = "https://addin.contoso.test";
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

const json = (headers: Record<string, string>) => ({
  ...headers,
  "Content-Type": "application/json",
});

async function tokenFor(user: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${h.emulator.url}/_emulator/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function smallPost(itemPath: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${h.emulator.graphUrl}/${itemPath}/attachments`, {
    method: "POST",
    headers: json(h.auth),
    body: JSON.stringify({ "@odata.type": "#microsoft.graph.fileAttachment", ...body }),
  });
}

describe("tokens and mailboxes", () => {
  test("POST /_emulator/token issues a Bearer token for the user; their mailbox appears on first use", async () => {
    const issued = await tokenFor("megan@contoso.test");
    expect(issued).toEqual({
      access_token: expect.stringMatching(/^\S{20,}$/),
      token_type: "Bearer",
      expires_in: 3600,
    });
    const mailboxesBefore = await (await fetch(`${h.emulator.url}/_emulator/mailboxes`)).json();
    expect(JSON.stringify(mailboxesBefore)).not.toContain("megan@contoso.test");
    const megan = { Authorization: `Bearer ${issued.access_token as string}` };
    const created = await fetch(`${h.emulator.graphUrl}/me/messages`, {
      method: "POST",
      headers: json(megan),
      body: JSON.stringify({ subject: "Megan's draft" }),
    });
    expect(created.status).toBe(201);
    const mailboxes = (await (await fetch(`${h.emulator.url}/_emulator/mailboxes`)).json()) as {
      value: Array<{ address: string }>;
    };
    expect(mailboxes.value.map((m) => m.address)).toContain("megan@contoso.test");
    // Another user's /me does not see it.
    const adeles = (await (
      await fetch(`${h.emulator.graphUrl}/me/messages`, { headers: h.auth })
    ).json()) as { value: unknown[] };
    expect(adeles.value).toEqual([]);
  });

  test("POST /_emulator/mailboxes sets up a shared mailbox: a delegate may act on it, others get 403", async () => {
    const setUp = await fetch(`${h.emulator.url}/_emulator/mailboxes`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mailbox: "sales@contoso.test", delegates: ["adele@contoso.test"] }),
    });
    expect(setUp.status).toBe(201);
    const mailbox = (await setUp.json()) as { id: string; address: string; delegates: string[] };
    expect(mailbox).toMatchObject({
      address: "sales@contoso.test",
      delegates: ["adele@contoso.test"],
    });
    const listed = (await (await fetch(`${h.emulator.url}/_emulator/mailboxes`)).json()) as {
      value: unknown[];
    };
    expect(listed.value).toContainEqual(mailbox);

    // The delegate creates and reads a draft there, by UPN and by mailbox id.
    const draftId = await createItem(h, "messages", "sales@contoso.test");
    for (const who of ["sales@contoso.test", mailbox.id]) {
      const read = await fetch(`${h.emulator.graphUrl}/users/${who}/messages/${draftId}`, {
        headers: h.auth,
      });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { id: string }).id).toBe(draftId);
    }
    // The Graph known issue: createUploadSession there answers 403 (sharedMailbox403 on).
    const session = await fetch(
      `${h.emulator.graphUrl}/users/sales@contoso.test/messages/${draftId}/attachments/createUploadSession`,
      {
        method: "POST",
        headers: json(h.auth),
        body: JSON.stringify({
          AttachmentItem: { attachmentType: "file", name: "x", size: 3 * MiB },
        }),
      }
    );
    expect(session.status).toBe(403);
    expect(errorCode(await session.json())).toBe("ErrorAccessDenied");
    expect(h.emulator.openSessions()).toEqual([]);

    // Someone who is not a delegate may not touch it at all.
    const megan = {
      Authorization: `Bearer ${(await tokenFor("megan@contoso.test")).access_token as string}`,
    };
    const denied = await fetch(
      `${h.emulator.graphUrl}/users/sales@contoso.test/messages/${draftId}`,
      {
        headers: megan,
      }
    );
    expect(denied.status).toBe(403);
    expect(errorCode(await denied.json())).toBe("ErrorAccessDenied");
  });

  test("/users/{own upn} and /users/{own id} address the caller's own mailbox", async () => {
    const draftId = await createItem(h, "messages");
    const own = h.emulator.mailboxes().find((m) => m.address === "adele@contoso.test")!;
    for (const who of ["adele@contoso.test", "ADELE@contoso.test", own.id]) {
      const response = await fetch(`${h.emulator.graphUrl}/users/${who}/messages/${draftId}`, {
        headers: h.auth,
      });
      expect(response.status).toBe(200);
    }
  });
});

describe("drafts and events", () => {
  test("POST, GET one and GET the collection, for messages and events; a message id is not an event", async () => {
    const draft = await fetch(`${h.emulator.graphUrl}/me/messages`, {
      method: "POST",
      headers: json(h.auth),
      body: JSON.stringify({
        subject: "Quarterly figures",
        body: { contentType: "text", content: "hi" },
      }),
    });
    expect(draft.status).toBe(201);
    const draftJson = (await draft.json()) as Record<string, unknown>;
    expect(draftJson).toMatchObject({
      subject: "Quarterly figures",
      isDraft: true,
      hasAttachments: false,
    });
    const event = await fetch(`${h.emulator.graphUrl}/me/events`, {
      method: "POST",
      headers: json(h.auth),
      body: JSON.stringify({
        subject: "Review",
        start: { dateTime: "2026-12-01T10:00:00", timeZone: "UTC" },
      }),
    });
    expect(event.status).toBe(201);
    const eventJson = (await event.json()) as Record<string, unknown>;
    expect(eventJson.id).not.toBe(draftJson.id);

    const one = await fetch(`${h.emulator.graphUrl}/me/events/${eventJson.id as string}`, {
      headers: h.auth,
    });
    expect(await one.json()).toMatchObject({ id: eventJson.id, subject: "Review" });
    const messages = (await (
      await fetch(`${h.emulator.graphUrl}/me/messages`, { headers: h.auth })
    ).json()) as {
      value: Array<{ id: string }>;
    };
    expect(messages.value.map((m) => m.id)).toEqual([draftJson.id]);
    const events = (await (
      await fetch(`${h.emulator.graphUrl}/me/events`, { headers: h.auth })
    ).json()) as {
      value: Array<{ id: string }>;
    };
    expect(events.value.map((e) => e.id)).toEqual([eventJson.id]);

    const crossed = await fetch(`${h.emulator.graphUrl}/me/events/${draftJson.id as string}`, {
      headers: h.auth,
    });
    expect(crossed.status).toBe(404);
    expect(errorCode(await crossed.json())).toBe("ErrorItemNotFound");
  });

  test("POST /_emulator/items creates a cached-mode draft that Graph cannot see until it syncs", async () => {
    const created = await fetch(`${h.emulator.url}/_emulator/items`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        kind: "message",
        invisibleForSeconds: 60,
        properties: { subject: "Cached" },
      }),
    });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: string; visibleAt: string };
    expect(Date.parse(item.visibleAt)).toBeGreaterThan(Date.now() + 30_000);
    const read = await fetch(`${h.emulator.graphUrl}/me/messages/${item.id}`, { headers: h.auth });
    expect(read.status).toBe(404);
    expect(errorCode(await read.json())).toBe("ErrorItemNotFound");
    const list = (await (
      await fetch(`${h.emulator.graphUrl}/me/messages`, { headers: h.auth })
    ).json()) as {
      value: unknown[];
    };
    expect(list.value).toEqual([]);
  });
});

describe("attachments", () => {
  test("small POST → 201; list and get honour $select; $value returns the bytes; DELETE removes them", async () => {
    const draftId = await createItem(h, "messages");
    const item = `me/messages/${draftId}`;
    const bytes = seededBytes(200_000, 11);
    const posted = await smallPost(item, {
      name: "notes.pdf",
      contentType: "application/pdf",
      contentBytes: bytes.toString("base64"),
    });
    expect(posted.status).toBe(201);
    const attachment = (await posted.json()) as Record<string, unknown>;
    expect(attachment).toMatchObject({
      "@odata.type": "#microsoft.graph.fileAttachment",
      name: "notes.pdf",
      contentType: "application/pdf",
      isInline: false,
    });
    const id = attachment.id as string;

    const list = await fetch(`${h.emulator.graphUrl}/${item}/attachments?$select=name,size`, {
      headers: h.auth,
    });
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { value: Array<Record<string, unknown>> };
    expect(listed.value).toHaveLength(1);
    expect(Object.keys(listed.value[0]).sort()).toEqual(
      ["@odata.type", "@odata.mediaContentType", "id", "name", "size"].sort()
    );
    expect(listed.value[0]).toMatchObject({ id, name: "notes.pdf" });

    const meta = await fetch(
      `${h.emulator.graphUrl}/${item}/attachments/${id}?$select=contentType`,
      {
        headers: h.auth,
      }
    );
    const metaJson = (await meta.json()) as Record<string, unknown>;
    expect(metaJson).toMatchObject({ id, contentType: "application/pdf" });
    expect(metaJson).not.toHaveProperty("name");
    expect(metaJson).not.toHaveProperty("size");

    const raw = await fetch(`${h.emulator.graphUrl}/${item}/attachments/${id}/$value`, {
      headers: h.auth,
    });
    expect(raw.headers.get("content-type")).toBe("application/pdf");
    expect(sha256(Buffer.from(await raw.arrayBuffer()))).toBe(sha256(bytes));
    expect(
      (await (await fetch(`${h.emulator.graphUrl}/${item}`, { headers: h.auth })).json()) as object
    ).toMatchObject({
      hasAttachments: true,
    });

    const deleted = await fetch(`${h.emulator.graphUrl}/${item}/attachments/${id}`, {
      method: "DELETE",
      headers: h.auth,
    });
    expect(deleted.status).toBe(204);
    const gone = await fetch(`${h.emulator.graphUrl}/${item}/attachments/${id}/$value`, {
      headers: h.auth,
    });
    expect(gone.status).toBe(404);
    expect(errorCode(await gone.json())).toBe("ErrorItemNotFound");
    expect(h.emulator.attachments()).toEqual([]);
  });

  test("small POST: a request body just under 4 MiB is accepted, one byte over is 413; the limit is a switch", async () => {
    const draftId = await createItem(h, "messages");
    const item = `me/messages/${draftId}`;
    const envelope = (contentBytes: string) =>
      JSON.stringify({
        "@odata.type": "#microsoft.graph.fileAttachment",
        name: "a.bin",
        contentBytes,
      });
    const overhead = envelope("").length;
    // Largest base64 payload (a multiple of 4 characters) that keeps the whole body ≤ 4 MiB.
    const chars = Math.floor((4 * MiB - overhead) / 4) * 4;
    const fits = seededBytes((chars / 4) * 3, 12);
    const fitting = envelope(fits.toString("base64"));
    expect(fitting.length).toBeLessThanOrEqual(4 * MiB);
    const accepted = await fetch(`${h.emulator.graphUrl}/${item}/attachments`, {
      method: "POST",
      headers: json(h.auth),
      body: fitting,
    });
    expect(accepted.status).toBe(201);
    // The same body padded with JSON whitespace to one byte over the limit.
    const over = fitting + " ".repeat(4 * MiB + 1 - fitting.length);
    expect(over.length).toBe(4 * MiB + 1);
    const refused = await fetch(`${h.emulator.graphUrl}/${item}/attachments`, {
      method: "POST",
      headers: json(h.auth),
      body: over,
    });
    expect(refused.status).toBe(413);
    expect(errorCode(await refused.json())).toBe("RequestBodyTooLarge");
    expect(h.emulator.attachments()).toHaveLength(1);

    h.emulator.configure({ smallPostBodyBytes: MiB });
    const small = await smallPost(item, {
      name: "b.bin",
      contentBytes: seededBytes(MiB, 13).toString("base64"),
    });
    expect(small.status).toBe(413);
    expect(h.emulator.attachments()).toHaveLength(1);
  });

  test("createUploadSession keeps contentType, isInline and contentId; the stored attachment reports them", async () => {
    const draftId = await createItem(h, "messages");
    const item = `me/messages/${draftId}`;
    const bytes = seededBytes(3 * MiB, 14);
    const created = await fetch(`${h.emulator.graphUrl}/${item}/attachments/createUploadSession`, {
      method: "POST",
      headers: json(h.auth),
      body: JSON.stringify({
        AttachmentItem: {
          attachmentType: "file",
          name: "logo.png",
          size: bytes.length,
          contentType: "image/png",
          isInline: true,
          contentId: "logo@contoso",
        },
      }),
    });
    expect(created.status).toBe(201);
    const { uploadUrl } = (await created.json()) as { uploadUrl: string };
    const last = await uploadAll(uploadUrl, bytes);
    expect(last.status).toBe(201);
    const id = /Attachments\('([^']+)'\)$/.exec(last.headers.get("location")!)![1];
    const meta = (await (
      await fetch(`${h.emulator.graphUrl}/${item}/attachments/${id}`, { headers: h.auth })
    ).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      id,
      name: "logo.png",
      contentType: "image/png",
      isInline: true,
      contentId: "logo@contoso",
      "@odata.mediaContentType": "image/png",
    });
    // A completed session is gone: resending the last range answers 404.
    const again = await putRange(uploadUrl, bytes, 2 * MiB, bytes.length - 1);
    expect(again.status).toBe(404);
    expect(errorCode(await again.json())).toBe("ErrorUploadSessionNotFound");
  });

  test("read back as the docs do: the Location's Users('{id}@{tenant}')/Events('…')/Attachments('…') path on the Graph base", async () => {
    const eventId = await createItem(h, "events");
    const bytes = seededBytes(3 * MiB, 15);
    const last = await uploadAll(
      await uploadUrlFor(h, `me/events/${eventId}`, bytes.length),
      bytes
    );
    const path =
      /\/api\/v2\.0(\/Users\('[^']+@[^']+'\)\/Events\('[^']+'\)\/Attachments\('[^']+'\))$/.exec(
        last.headers.get("location")!
      )![1];
    const raw = await fetch(`${h.emulator.graphUrl}${path}/$value`, { headers: h.auth });
    expect(raw.status).toBe(200);
    expect(sha256(Buffer.from(await raw.arrayBuffer()))).toBe(sha256(bytes));
  });

  test("sessionMaxBytes is a switch: over it createUploadSession answers 400 ErrorAttachmentSizeLimitExceeded", async () => {
    const draftId = await createItem(h, "messages");
    h.emulator.configure({ sessionMaxBytes: 10 * MiB });
    const created = await fetch(
      `${h.emulator.graphUrl}/me/messages/${draftId}/attachments/createUploadSession`,
      {
        method: "POST",
        headers: json(h.auth),
        body: JSON.stringify({
          AttachmentItem: { attachmentType: "file", name: "x", size: 10 * MiB + 1 },
        }),
      }
    );
    expect(created.status).toBe(400);
    expect(errorCode(await created.json())).toBe("ErrorAttachmentSizeLimitExceeded");
    expect(h.emulator.openSessions()).toEqual([]);
  });
});

describe("the upload URL", () => {
  test("an Authorization header on DELETE or GET status is 401 InvalidAudience too, and leaves the session alone", async () => {
    h.emulator.configure({ getStatus: true });
    const draftId = await createItem(h, "messages");
    const bytes = seededBytes(3 * MiB, 16);
    const url = await uploadUrlFor(h, `me/messages/${draftId}`, bytes.length);
    expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
    for (const method of ["DELETE", "GET"]) {
      const response = await fetch(url, { method, headers: h.auth });
      expect(response.status).toBe(401);
      expect(errorCode(await response.json())).toBe("InvalidAudience");
    }
    expect(h.emulator.openSessions()).toEqual([expect.objectContaining({ received: MiB })]);
    const status = await fetch(url);
    expect(await status.json()).toMatchObject({ NextExpectedRanges: ["1048576"] });
  });

  test("a client that gives up mid-range: nothing of that range is committed and it can be resent", async () => {
    const draftId = await createItem(h, "messages");
    const bytes = seededBytes(3 * MiB, 19);
    const url = await uploadUrlFor(h, `me/messages/${draftId}`, bytes.length);
    const partial = rawRequest(
      url,
      "PUT",
      { "Content-Range": `bytes 0-${MiB - 1}/${bytes.length}`, "Content-Length": String(MiB) },
      bytes.subarray(0, 300_000),
      { end: false }
    );
    partial.response.catch(() => undefined);
    for (let i = 0; i < 100 && !h.emulator.openSessions()[0]?.busy; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(h.emulator.openSessions()[0].busy).toBe(true);
    partial.abort();
    for (let i = 0; i < 100 && h.emulator.openSessions()[0]?.busy; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(h.emulator.openSessions()).toEqual([
      expect.objectContaining({ received: 0, busy: false }),
    ]);
    expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
    expect((await putRange(url, bytes, MiB, bytes.length - 1)).status).toBe(201);
    expect(h.emulator.attachments()[0].sha256).toBe(sha256(bytes));
  });
});

describe("control endpoints", () => {
  test("GET /_emulator/sessions lists open sessions without their secrets; POST /_emulator/reset forgets everything", async () => {
    const draftId = await createItem(h, "messages");
    const bytes = seededBytes(3 * MiB, 17);
    h.emulator.configure({ rangeCasing: "camel" });
    const url = await uploadUrlFor(h, `me/messages/${draftId}`, bytes.length);
    expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
    const listing = await fetch(`${h.emulator.url}/_emulator/sessions`);
    const text = await listing.text();
    expect(JSON.parse(text)).toEqual({
      value: [
        expect.objectContaining({
          mailbox: "adele@contoso.test",
          itemKind: "message",
          itemId: draftId,
          name: "flower",
          size: bytes.length,
          received: MiB,
          busy: false,
        }),
      ],
    });
    expect(text).not.toContain(new URL(url).searchParams.get("authtoken")!);

    const reset = await fetch(`${h.emulator.url}/_emulator/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    expect(await (await fetch(`${h.emulator.url}/_emulator/sessions`)).json()).toEqual({
      value: [],
    });
    expect(await (await fetch(`${h.emulator.url}/_emulator/attachments`)).json()).toEqual({
      value: [],
    });
    expect(h.emulator.getConfig().rangeCasing).toBe("pascal");
    expect((await putRange(url, bytes, MiB, 2 * MiB - 1)).status).toBe(404);
    // Tokens stay valid; the draft is gone.
    const read = await fetch(`${h.emulator.graphUrl}/me/messages/${draftId}`, { headers: h.auth });
    expect(read.status).toBe(404);
  });

  test("request-id is the server's own; client-request-id is echoed, in the headers and in an error's innerError", async () => {
    const draftId = await createItem(h, "messages");
    const ok = await fetch(`${h.emulator.graphUrl}/me/messages/${draftId}`, {
      headers: { ...h.auth, "client-request-id": "pane-1234" },
    });
    expect(ok.headers.get("client-request-id")).toBe("pane-1234");
    expect(ok.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await fetch(`${h.emulator.graphUrl}/me/messages/AAMkMissing=`, {
      headers: { ...h.auth, "client-request-id": "pane-5678" },
    });
    const body = (await failed.json()) as { error: { innerError: Record<string, string> } };
    expect(body.error.innerError).toEqual({
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
      "request-id": failed.headers.get("request-id"),
      "client-request-id": "pane-5678",
    });
    expect(failed.headers.get("request-id")).not.toBe(ok.headers.get("request-id"));
  });

  test("an unknown control endpoint answers 404 in the Graph error shape", async () => {
    const response = await fetch(`${h.emulator.url}/_emulator/nothing`);
    expect(response.status).toBe(404);
    expect(errorCode(await response.json())).toBe("ResourceNotFound");
  });
});

describe("CORS from the task pane's origin", () => {
  test("real responses (a range, the final 201, an error) carry the pane's origin and expose Location and Content-Range", async () => {
    const draftId = await createItem(h, "messages");
    const bytes = seededBytes(3 * MiB, 18);
    const url = await uploadUrlFor(h, `me/messages/${draftId}`, bytes.length);
    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: {
        Origin: PANE,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type,content-range",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(PANE);
    const graphPreflight = await fetch(
      `${h.emulator.graphUrl}/me/messages/${draftId}/attachments/createUploadSession`,
      {
        method: "OPTIONS",
        headers: {
          Origin: PANE,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
        },
      }
    );
    expect(graphPreflight.status).toBe(204);
    expect(graphPreflight.headers.get("access-control-allow-headers")).toMatch(/Authorization/);

    const responses = [
      await putRange(url, bytes, 0, MiB - 1, { Origin: PANE }),
      await putRange(url, bytes, MiB, bytes.length - 1, { Origin: PANE }),
      await putRange(url, bytes, 0, MiB - 1, { Origin: PANE }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 201, 404]);
    for (const response of responses) {
      expect(response.headers.get("access-control-allow-origin")).toBe(PANE);
      const exposed = response.headers.get("access-control-expose-headers")!.split(/,\s*/);
      expect(exposed).toEqual(
        expect.arrayContaining(["Location", "Content-Range", "request-id", "Retry-After"])
      );
    }
  });

  test("a request without an Origin (curl, the CLI) gets no CORS headers", async () => {
    const draftId = await createItem(h, "messages");
    const response = await fetch(`${h.emulator.graphUrl}/me/messages/${draftId}`, {
      headers: h.auth,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    await response.arrayBuffer();
  });
});
