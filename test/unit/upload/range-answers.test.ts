// The answer interpreter, answer by answer, without a server: every documented answer of Outlook's
// upload host to a range PUT turns into one outcome for the range loop.
import {
  HttpError,
  MessageSizeExceededError,
  ProtocolError,
  interpretOutlookAnswer,
  type HttpResponse,
  type RangeContext,
} from "../../../src/upload";
import { answer } from "./helpers/answer";

const TOTAL = 10_000_000;
const range: RangeContext = {
  start: 0,
  end: 3_932_160,
  total: TOTAL,
  target: { mailbox: "me", itemId: "AAMkAD=" },
  now: Date.parse("2026-01-01T00:00:00Z"),
};

const interpret = (a: HttpResponse, r: Partial<RangeContext> = {}) =>
  interpretOutlookAnswer(a, { ...range, ...r });

describe("200: advanced to the server's lowest expected start", () => {
  test.each([
    [
      "PascalCase, bare",
      { ExpirationDateTime: "2026-01-01T00:15:00Z", NextExpectedRanges: ["3932160"] },
    ],
    [
      "camelCase, bare",
      { expirationDateTime: "2026-01-01T00:15:00Z", nextExpectedRanges: ["3932160"] },
    ],
    ["dashed", { NextExpectedRanges: ["3932160-"] }],
    ["explicit start-end", { nextExpectedRanges: ["3932160-9999999"] }],
    [
      "several ranges: the lowest start",
      { NextExpectedRanges: ["5000000-5999999", "3932160-4999999"] },
    ],
    ["a bare string, not a list", { NextExpectedRanges: "3932160" }],
  ])("%s", (_name, body) => {
    expect(interpret(answer(200, body))).toMatchObject({ kind: "advanced", offset: 3_932_160 });
  });

  test("an offset behind what was sent is followed too (the server's word)", () => {
    expect(interpret(answer(200, { NextExpectedRanges: ["1000"] }))).toEqual({
      kind: "advanced",
      offset: 1000,
    });
  });

  test("a stated expiry is carried; an unreadable one is not", () => {
    expect(
      interpret(
        answer(200, { ExpirationDateTime: "2026-01-01T00:15:00Z", NextExpectedRanges: ["1"] })
      )
    ).toEqual({
      kind: "advanced",
      offset: 1,
      expirationDateTime: "2026-01-01T00:15:00Z",
    });
    expect(
      interpret(answer(200, { ExpirationDateTime: "soon", NextExpectedRanges: ["1"] }))
    ).toEqual({ kind: "advanced", offset: 1 });
  });

  test("202 (OneDrive-style middles) reads the same", () => {
    expect(interpret(answer(202, { nextExpectedRanges: ["3932160-"] }))).toMatchObject({
      kind: "advanced",
      offset: 3_932_160,
    });
  });

  test.each([
    ["no NextExpectedRanges", {}, /without NextExpectedRanges/],
    ["an empty body", "", /without NextExpectedRanges/],
    ["a body that is not JSON", "<html>oops</html>", /not JSON/],
    ["an offset outside the file", { NextExpectedRanges: [String(TOTAL + 1)] }, /expects byte/],
    ["an unreadable entry", { NextExpectedRanges: ["abc"] }, /Unreadable/],
    ["an inverted entry", { NextExpectedRanges: ["9-3"] }, /Inverted/],
  ])("%s → fail with a ProtocolError", (_name, body, message) => {
    const outcome = interpret(answer(200, body));
    expect(outcome.kind).toBe("fail");
    const error = (outcome as { error: Error }).error;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(message);
  });
});

describe("201: attached", () => {
  test.each([
    [
      "outlook.office.com v2.0",
      "https://outlook.office.com/api/v2.0/Users('a@b')/Messages('AAMkAD=')/Attachments('ATT-1')",
    ],
    [
      "beta",
      "https://outlook.office.com/api/beta/Users('a@b')/Messages('AAMkAD=')/Attachments('ATT-1')",
    ],
    [
      "gv1.0, lower-case path",
      "https://outlook.office365.com/api/gv1.0/users('a@b')/messages('AAMkAD=')/attachments('ATT-1')",
    ],
    [
      "another host",
      "http://127.0.0.1:4001/api/v2.0/Users('u')/Messages('AAMkAD=')/Attachments('ATT-1')",
    ],
    [
      "a plain /attachments/id path",
      "https://graph.test/v1.0/me/messages/AAMkAD=/attachments/ATT-1",
    ],
    [
      "the URL-safe spelling of the item id",
      "https://outlook.office.com/api/v2.0/Users('a')/Messages('AAMkAD=')/Attachments('ATT-1')",
    ],
  ])("Location, %s", (_name, location) => {
    expect(interpret(answer(201, "", { Location: location }))).toEqual({
      kind: "attached",
      attachmentId: "ATT-1",
    });
  });

  test("the header is read case-insensitively; an id in a JSON body also does", () => {
    expect(interpret(answer(201, "", { location: "https://h/api/v2.0/Attachments('X')" }))).toEqual(
      {
        kind: "attached",
        attachmentId: "X",
      }
    );
    expect(interpret(answer(201, { id: "FROM-BODY" }))).toEqual({
      kind: "attached",
      attachmentId: "FROM-BODY",
    });
  });

  test("no Location (CORS may withhold it) and no id: attached-unnamed, to be looked up", () => {
    expect(interpret(answer(201, ""))).toEqual({ kind: "attached-unnamed" });
    expect(interpret(answer(201, "not json"))).toEqual({ kind: "attached-unnamed" });
  });

  test("a Location naming another item: fail (it may have landed elsewhere)", () => {
    const outcome = interpret(
      answer(201, "", {
        Location: "https://h/api/v2.0/Users('u')/Messages('OTHER')/Attachments('X')",
      })
    );
    expect(outcome).toMatchObject({ kind: "fail", error: expect.any(ProtocolError) });
  });
});

describe("errors", () => {
  /** Graph's request ids are GUIDs (HttpError drops anything else). */
  const REQUEST_ID = "0f6a3c2e-9b1d-4e7a-8c55-1d2e3f4a5b6c";
  const graphError = (code: string, message = "m") => ({
    error: { code, message, innerError: { "request-id": REQUEST_ID } },
  });

  test.each([
    [404, graphError("ErrorItemNotFound")],
    [404, ""],
    [410, graphError("ErrorUploadSessionExpired")],
    [401, graphError("InvalidAuthenticationToken")],
  ])("%i: session lost (a new session can carry on)", (status, body) => {
    expect(interpret(answer(status, body))).toEqual({ kind: "session-lost" });
  });

  test("416 with the offset in NextExpectedRanges or the message: resync there", () => {
    expect(
      interpret(answer(416, { error: { code: "InvalidRange", nextExpectedRanges: ["2000"] } }))
    ).toMatchObject({
      kind: "resync",
      offset: 2000,
      error: expect.any(HttpError),
    });
    expect(
      interpret(
        answer(
          416,
          graphError("InvalidRange", "The range does not start at the next expected byte 3000.")
        )
      )
    ).toMatchObject({ kind: "resync", offset: 3000 });
  });

  test("416 that names no offset: resync by asking the server", () => {
    expect(interpret(answer(416, "")).kind).toBe("resync");
    expect((interpret(answer(416, "")) as { offset?: number }).offset).toBeUndefined();
  });

  test("409 (session busy with a dropped range): retry", () => {
    expect(interpret(answer(409, graphError("ErrorUploadSessionBusy")))).toMatchObject({
      kind: "retry",
      error: { status: 409, code: "ErrorUploadSessionBusy" },
    });
  });

  test.each([413, 400, 200])(
    "ErrorMessageSizeExceeded (HTTP %i): fail with MessageSizeExceededError",
    (status) => {
      const outcome = interpret(
        answer(status === 200 ? 413 : status, graphError("ErrorMessageSizeExceeded"))
      );
      expect(outcome).toMatchObject({ kind: "fail", error: expect.any(MessageSizeExceededError) });
    }
  );

  test("429 and 503 with Retry-After in seconds or as an HTTP date: retry after that long", () => {
    expect(interpret(answer(429, "", { "Retry-After": "7" }))).toMatchObject({
      kind: "retry",
      retryAfterMs: 7000,
    });
    expect(
      interpret(answer(503, "", { "Retry-After": "Thu, 01 Jan 2026 00:00:30 GMT" }))
    ).toMatchObject({
      kind: "retry",
      retryAfterMs: 30_000,
    });
    expect(interpret(answer(503, "")).kind).toBe("retry");
    expect((interpret(answer(503, "")) as { retryAfterMs?: number }).retryAfterMs).toBeUndefined();
  });

  test.each([500, 502, 504, 408])("%i: retry", (status) => {
    expect(interpret(answer(status, "<html>gateway</html>")).kind).toBe("retry");
  });

  test.each([400, 403, 405, 411])(
    "%i: fail with the HttpError (status, code, request id)",
    (status) => {
      const outcome = interpret(answer(status, graphError("Nope")));
      expect(outcome).toMatchObject({
        kind: "fail",
        error: { status, code: "Nope", requestId: REQUEST_ID },
      });
    }
  );

  test("an error with an empty or non-JSON body still types (status kept, no code)", () => {
    expect(interpret(answer(400, ""))).toMatchObject({
      kind: "fail",
      error: { status: 400, code: undefined },
    });
    expect(interpret(answer(400, "<b>bad</b>"))).toMatchObject({
      kind: "fail",
      error: { status: 400 },
    });
  });
});
