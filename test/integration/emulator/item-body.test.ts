// A message's and an event's body over HTTP (message-update.md, event-update.md): GET with
// `$select=body`, PATCH replacing the body and keeping the other properties, the stored HTML as a
// whole document (as Exchange answers it), and the refusals (a bad itemBody, a sent message).
import { createItem, errorCode, startHarness, type Harness } from "./helpers";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

function call(path: string, method = "GET", body?: unknown) {
  return fetch(`${h.emulator.graphUrl}/me/${path}`, {
    method,
    headers: { ...h.auth, "Content-Type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

test.each(["messages", "events"] as const)(
  "%s: an item without a body reads an empty text body; $select=body answers id and body only",
  async (kind) => {
    const id = await createItem(h, kind);
    const response = await call(`${kind}/${id}?$select=body`);
    expect(response.status).toBe(200);
    const json = (await response.json()) as Record<string, unknown>;
    expect(json.body).toEqual({ contentType: "text", content: "" });
    expect(Object.keys(json).sort()).toEqual(["@odata.context", "body", "id"]);
    expect(json.id).toBe(id);
  }
);

test.each(["messages", "events"] as const)(
  "%s: PATCH body → 200 with the new body; the subject stays; a text body is kept as written",
  async (kind) => {
    const id = await createItem(h, kind);
    const patched = await call(`${kind}/${id}`, "PATCH", {
      body: { contentType: "Text", content: "Hello\nthere" },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      id,
      subject: expect.any(String),
      body: { contentType: "text", content: "Hello\nthere" },
    });
    const read = (await (await call(`${kind}/${id}?$select=body,subject`)).json()) as Record<
      string,
      unknown
    >;
    expect(read).toMatchObject({
      subject: expect.any(String),
      body: { contentType: "text", content: "Hello\nthere" },
    });
  }
);

test("an HTML body is answered as a whole document, the fragment inside <body>; a document stays as written", async () => {
  const id = await createItem(h, "messages");
  await call(`messages/${id}`, "PATCH", { body: { contentType: "html", content: "<p>Hi</p>" } });
  const { body } = (await (await call(`messages/${id}?$select=body`)).json()) as {
    body: { contentType: string; content: string };
  };
  expect(body.contentType).toBe("html");
  expect(body.content).toMatch(/^<html><head>[\s\S]*<body>\s*<p>Hi<\/p>\s*<\/body>\s*<\/html>\s*$/);
  // Written back unchanged (what a client that edits inside <body> does), it is not wrapped twice.
  await call(`messages/${id}`, "PATCH", { body });
  const again = (await (await call(`messages/${id}?$select=body`)).json()) as { body: unknown };
  expect(again.body).toEqual(body);
});

test("a body given at creation is kept (and normalised) too", async () => {
  const created = await call("messages", "POST", {
    subject: "s",
    body: { contentType: "HTML", content: "<b>x</b>" },
  });
  expect(created.status).toBe(201);
  const json = (await created.json()) as { body: { contentType: string; content: string } };
  expect(json.body.contentType).toBe("html");
  expect(json.body.content).toContain("<body>\r\n<b>x</b>");
});

test.each([
  [{ body: { contentType: "rtf", content: "x" } }],
  [{ body: { contentType: "text", content: 5 } }],
  [{ body: "plain" }],
])("PATCH %j → 400 BadRequest, the body unchanged", async (patch) => {
  const id = await createItem(h, "messages");
  const response = await call(`messages/${id}`, "PATCH", patch);
  expect(response.status).toBe(400);
  expect(errorCode(await response.json())).toBe("BadRequest");
  const read = (await (await call(`messages/${id}?$select=body`)).json()) as { body: unknown };
  expect(read.body).toEqual({ contentType: "text", content: "" });
});

test("a sent message's body cannot be changed (updatable only if isDraft); the id cannot be written", async () => {
  const sent = await call("messages", "POST", { subject: "sent", isDraft: false });
  const { id } = (await sent.json()) as { id: string };
  const refused = await call(`messages/${id}`, "PATCH", {
    body: { contentType: "text", content: "late" },
  });
  expect(refused.status).toBe(400);
  expect(errorCode(await refused.json())).toBe("ErrorInvalidPropertyUpdateSentMessage");
  const renamed = await call(`messages/${id}`, "PATCH", { id: "other", subject: "still sent" });
  expect(renamed.status).toBe(200);
  expect(await renamed.json()).toMatchObject({ id, subject: "still sent" });
});

test("PATCH on an unknown item → 404 ErrorItemNotFound", async () => {
  const response = await call("messages/NoSuchItem", "PATCH", {
    body: { contentType: "text", content: "x" },
  });
  expect(response.status).toBe(404);
  expect(errorCode(await response.json())).toBe("ErrorItemNotFound");
});
