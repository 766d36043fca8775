// Redaction of text that came from elsewhere (server messages, causes) with the upload URL Outlook really
// hands out: OData keys in quotes and parentheses, the user's UPN, the message and session ids, then the
// authtoken. And the two error-body fields the pane and CLI show verbatim: request id and date.
import { HttpError, TokenError, redactText } from "../../../src/upload/errors";

// The shape of `uploadUrl` in Microsoft's createUploadSession documentation (message and event).
const SESSION_URLS = [
  "https://outlook.office.com/api/v2.0/Users('a8e8e219-4931-95c1-b73d-62626fd79c32@72aa88bf-76f0-494f-91ab-2d7cd730db47')/Messages('AAMkADI5MAAIT3drCAAA=')/AttachmentSessions('AAMkADI5MAAIT3k0tAAA=')?authtoken=eyJhbGciOiJSUzI1NiIsImtpZCI6IktmYUNIUlN6bllHMmNI",
  "https://outlook.office365.com/api/beta/users('d3b9214b-dd8b-441d-b7dc-c446c9fa0e69@contoso.onmicrosoft.com')/events('AAMkADU5CCmSAAA=')/AttachmentSessions('AAMkADU5RpAACJlCs8AAA=')?authtoken=opaque-TOKEN-42",
];
/** Pieces of a session URL that must never survive redaction. */
const SECRET_PARTS = [
  "a8e8e219-4931-95c1-b73d-62626fd79c32",
  "72aa88bf-76f0-494f-91ab-2d7cd730db47",
  "AAMkADI5MAAIT3drCAAA",
  "AAMkADI5MAAIT3k0tAAA",
  "eyJhbGciOiJSUzI1NiIsImtpZCI6",
  "d3b9214b-dd8b-441d-b7dc-c446c9fa0e69",
  "contoso.onmicrosoft.com",
  "AAMkADU5CCmSAAA",
  "AAMkADU5RpAACJlCs8AAA",
  "opaque-TOKEN-42",
];

const leaks = (text: string) => SECRET_PARTS.filter((part) => text.includes(part));

describe("an Outlook session URL in free text", () => {
  const contexts: [string, (url: string) => string][] = [
    ["in a sentence", (url) => `PUT ${url} failed`],
    ["before a full stop", (url) => `upload to ${url}.`],
    ["in parentheses", (url) => `the session (${url}) expired`],
    ["in single quotes", (url) => `'${url}' is gone`],
    ["in double quotes", (url) => `"${url}"`],
    ["in angle brackets, then a comma", (url) => `see <${url}>, then retry`],
    ["twice", (url) => `${url}; ${url}`],
  ];
  test.each(
    SESSION_URLS.flatMap((url, i) =>
      contexts.map(([where, text]) => [i === 0 ? "a message" : "an event", where, text(url)])
    )
  )("%s session URL %s keeps no id, UPN or authtoken", (_kind, _where, text) => {
    const redacted = redactText(text);
    expect(leaks(redacted)).toEqual([]);
    expect(redacted).toMatch(/https:\/\/outlook\.office(365)?\.com\/\[upload-url\]\?\[redacted\]/);
  });

  test("punctuation after the URL stays as text; the words around it are untouched", () => {
    expect(redactText(`Upload to ${SESSION_URLS[0]}, then stop.`)).toBe(
      "Upload to https://outlook.office.com/[upload-url]?[redacted], then stop."
    );
    expect(redactText(`(${SESSION_URLS[1]})`)).toBe(
      "(https://outlook.office365.com/[upload-url]?[redacted])"
    );
  });

  test("a Graph path keeps its path (it names the item, not a secret) but never its query", () => {
    expect(
      redactText(
        "GET https://graph.microsoft.com/v1.0/users('a@b.test')/messages('M1')?$select=id failed"
      )
    ).toBe(
      "GET https://graph.microsoft.com/v1.0/users('a@b.test')/messages('M1')?[redacted] failed"
    );
  });

  test("through the errors the CLI and the pane print", () => {
    const message = new TokenError(new Error(`refused at ${SESSION_URLS[0]}`)).message;
    expect(leaks(message)).toEqual([]);
  });
});

describe("request id and date from an error body", () => {
  const details = (requestId?: string, date?: string) =>
    new HttpError("x", { status: 500, requestId, date });

  test("a GUID request id and an ISO or HTTP date are kept", () => {
    expect(details("0b9c3b5e-6f0e-4bd7-9c6a-2f1d1a7f0c11", "2026-12-01T21:04:01")).toMatchObject({
      requestId: "0b9c3b5e-6f0e-4bd7-9c6a-2f1d1a7f0c11",
      date: "2026-12-01T21:04:01",
    });
    expect(details(undefined, "Tue, 01 Dec 2026 21:04:01 GMT").date).toBe(
      "Tue, 01 Dec 2026 21:04:01 GMT"
    );
    expect(details(undefined, "2026-12-01T21:04:01.1234567Z").date).toBe(
      "2026-12-01T21:04:01.1234567Z"
    );
  });

  test.each([
    ["markup", "<b>0b9c3b5e-6f0e-4bd7-9c6a-2f1d1a7f0c11</b>"],
    ["5,000 characters", "a".repeat(5000)],
    ["a GUID with more after it", "0b9c3b5e-6f0e-4bd7-9c6a-2f1d1a7f0c11 and more"],
    ["a URL", SESSION_URLS[0]],
    ["free text", "request one"],
  ])("a request id that is %s is dropped", (_what, requestId) => {
    expect(details(requestId).requestId).toBeUndefined();
  });

  test.each([
    ["markup", "<b>2026-12-01T21:04:01</b>"],
    ["5,000 characters", `2026-12-01T21:04:01${" ".repeat(5000)}x`],
    ["not a real date", "2026-13-45T99:99:99"],
    ["a URL", SESSION_URLS[1]],
    ["free text", "yesterday"],
  ])("a date that is %s is dropped", (_what, date) => {
    expect(details(undefined, date).date).toBeUndefined();
  });
});
