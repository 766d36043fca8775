import {
  AbortError,
  HttpError,
  ItemNotFoundError,
  MessageSizeExceededError,
  NetworkError,
  ProtocolError,
  RestrictionError,
  SessionExpiredError,
  SharedMailboxForbiddenError,
  UploadError,
  attachmentIdFromLocation,
  lowestExpectedStart,
  parseRetryAfter,
  parseSessionStatus,
  redactUrl,
  retryDelay,
} from "../../../src/upload";
import { redactText } from "../../../src/upload/errors";
import { claimsFromChallenge, parseGraphError } from "../../../src/upload/protocol";

describe("NextExpectedRanges", () => {
  test.each([
    [["0-"], 0],
    [["2097152"], 2097152],
    [["2097152-3483321"], 2097152],
    [["500-", "100-199"], 100],
    [" 7 - ", 7],
    [[], undefined],
    [undefined, undefined],
  ])("%j → %s", (ranges, start) => {
    expect(lowestExpectedStart(ranges)).toBe(start);
  });

  test.each([["abc"], ["5-2"], ["-5"]])("%s is a ProtocolError", (entry) => {
    expect(() => lowestExpectedStart([entry])).toThrow(ProtocolError);
  });

  test("either casing of both properties", () => {
    expect(
      parseSessionStatus(
        '{"ExpirationDateTime":"2019-09-25T01:09:30Z","NextExpectedRanges":["2097152"]}'
      )
    ).toEqual({
      expirationDateTime: "2019-09-25T01:09:30Z",
      nextExpected: 2097152,
    });
    expect(parseSessionStatus('{"expirationDateTime":"X","nextExpectedRanges":["0-"]}')).toEqual({
      expirationDateTime: "X",
      nextExpected: 0,
    });
    expect(parseSessionStatus("")).toEqual({});
    expect(() => parseSessionStatus("<html>")).toThrow(ProtocolError);
  });
});

describe("Location → attachment id", () => {
  test.each([
    [
      "https://outlook.office.com/api/v2.0/Users('a@b')/Messages('M=')/Attachments('AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0=')",
      "AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0=",
    ],
    ["https://outlook.office365.com/api/beta/users('a')/events('e')/attachments('x-1')", "x-1"],
    ["http://127.0.0.1:5555/api/gv1.0/Users('u')/Messages('m')/Attachments('id%3D%3D')", "id=="],
    ["https://graph.microsoft.com/v1.0/me/messages/m/attachments/plain-id", "plain-id"],
    ["", undefined],
    ["https://outlook.office.com/api/v2.0/Users('a')/Messages('m')", undefined],
  ])("%s", (location, id) => {
    expect(attachmentIdFromLocation(location)).toBe(id);
  });
});

describe("Graph error bodies and challenges", () => {
  test("reads code, message, request id and date", () => {
    expect(
      parseGraphError(
        '{"error":{"code":"ErrorItemNotFound","message":"m","innerError":{"request-id":"r","date":"d"}}}'
      )
    ).toEqual({ code: "ErrorItemNotFound", message: "m", requestId: "r", date: "d" });
    expect(parseGraphError("not json")).toEqual({});
  });
  test("a code that is not code-shaped (free text, a URL) is dropped", () => {
    const body = (code: string) => JSON.stringify({ error: { code, message: "m" } });
    expect(parseGraphError(body("https://upload.test/x?authtoken=SECRET")).code).toBeUndefined();
    expect(parseGraphError(body("two words")).code).toBeUndefined();
    expect(parseGraphError(body("ErrorItemNotFound")).code).toBe("ErrorItemNotFound");
    expect(parseGraphError(body("generalException")).code).toBe("generalException");
  });

  test("claims are decoded from base64", () => {
    const claims = '{"access_token":{"nbf":{"essential":true}}}';
    expect(claimsFromChallenge(`Bearer claims="${Buffer.from(claims).toString("base64")}"`)).toBe(
      claims
    );
    expect(claimsFromChallenge('Bearer error="invalid_token"')).toBeUndefined();
  });
});

describe("retry timing", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  test.each([
    ["3", 3000],
    ["0", 0],
    ["1.5", 1500],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
    ["Wed, 31 Dec 2025 23:00:00 GMT", 0],
    ["soon", undefined],
    [null, undefined],
  ])("Retry-After %s → %s ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  test("full jitter scales the base delay by random(); Retry-After wins; both capped; budget = retryDelays.length", () => {
    const base = { retryDelays: [1000, 2000, 4000], maxRetryDelayMs: 3000 };
    expect(retryDelay({ ...base, attempt: 1, random: () => 0 })).toBe(0);
    expect(retryDelay({ ...base, attempt: 2, random: () => 0.99 })).toBe(1980);
    expect(retryDelay({ ...base, attempt: 3, random: () => 0.99 })).toBe(3000);
    expect(retryDelay({ ...base, attempt: 1, random: () => 0.1, retryAfterMs: 2500 })).toBe(2500);
    expect(retryDelay({ ...base, attempt: 1, random: () => 0.1, retryAfterMs: 90_000 })).toBe(3000);
    expect(retryDelay({ ...base, attempt: 4, random: () => 0.5 })).toBeUndefined();
  });
});

describe("errors and redaction", () => {
  test("one hierarchy", () => {
    const details = { status: 413, code: "ErrorMessageSizeExceeded" };
    for (const e of [
      new MessageSizeExceededError(details),
      new ItemNotFoundError({ status: 404 }, 0),
      new SharedMailboxForbiddenError({ status: 403 }),
    ]) {
      expect(e).toBeInstanceOf(HttpError);
      expect(e).toBeInstanceOf(UploadError);
      expect(e).toBeInstanceOf(Error);
    }
    for (const e of [
      new NetworkError("x"),
      new RestrictionError("too-large", "x"),
      new SessionExpiredError(),
      new AbortError(),
      new ProtocolError("x"),
    ]) {
      expect(e).toBeInstanceOf(UploadError);
      expect(e).not.toBeInstanceOf(HttpError);
    }
    const cause = new TypeError("socket");
    expect(new NetworkError("x", { cause }).cause).toBe(cause);
    expect(new NetworkError("x").retryable).toBe(true);
    expect(new MessageSizeExceededError(details)).toMatchObject({
      name: "MessageSizeExceededError",
      status: 413,
    });
  });

  test("redactUrl drops query strings and hides upload URL paths", () => {
    expect(
      redactUrl(
        "https://outlook.office.com/api/v2.0/Users('a')/Messages('b')/AttachmentSessions('c')?authtoken=eyJ0"
      )
    ).toBe("https://outlook.office.com/[upload-url]?[redacted]");
    expect(redactUrl("https://graph.microsoft.com/v1.0/me/messages/1/attachments?$select=id")).toBe(
      "https://graph.microsoft.com/v1.0/me/messages/1/attachments?[redacted]"
    );
    expect(redactUrl("not a url")).toBe("[url]");
  });

  test("redactText removes URLs, bearer tokens and JWTs from server text", () => {
    const text = redactText(
      "failed for https://up.test/sessions/abc?authtoken=SECRET with Bearer abc.def.ghi and eyJhbGciOiJ.eyJzdWIiOiIx.sig"
    );
    expect(text).not.toMatch(/SECRET|abc\.def|eyJhbGciOiJ|sessions\/abc/);
  });
});
