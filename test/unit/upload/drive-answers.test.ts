// OneDrive's range rules, answer by answer, without a server (driveitem-createuploadsession.md):
// every documented answer to a drive range PUT turns into one outcome for the shared range loop.
import {
  DriveFullError,
  HttpError,
  ProtocolError,
  interpretDriveAnswer,
  scopesToTry,
  type RangeContext,
} from "../../../src/upload";
import { answer } from "./helpers/answer";

const UNIT = 327_680;
const TOTAL = 10 * UNIT + 17;
const middle: RangeContext = {
  start: 0,
  end: 4 * UNIT,
  total: TOTAL,
  target: { mailbox: "me", itemId: "" },
  now: Date.parse("2026-01-01T00:00:00Z"),
};
const last: RangeContext = { ...middle, start: 8 * UNIT, end: TOTAL };

const driveItem = {
  id: "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
  name: "video (1).mp4",
  size: TOTAL,
  webUrl: "https://contoso-my.sharepoint.com/personal/adele/Documents/Attachments/video%20(1).mp4",
  file: { mimeType: "video/mp4" },
};

describe("middle ranges", () => {
  test.each([202, 200])(
    "%d + nextExpectedRanges → advanced to the server's offset, expiry kept",
    (status) => {
      const outcome = interpretDriveAnswer(
        answer(status, {
          expirationDateTime: "2026-01-01T00:15:00Z",
          nextExpectedRanges: [`${4 * UNIT}-`],
        }),
        middle
      );
      expect(outcome).toEqual({
        kind: "advanced",
        offset: 4 * UNIT,
        expirationDateTime: "2026-01-01T00:15:00Z",
      });
    }
  );

  test("the server's word is followed even when it disagrees with what was sent", () => {
    const outcome = interpretDriveAnswer(
      answer(202, { nextExpectedRanges: [`${2 * UNIT}-${TOTAL - 1}`] }),
      middle
    );
    expect(outcome).toMatchObject({ kind: "advanced", offset: 2 * UNIT });
  });

  test("202 without nextExpectedRanges → ProtocolError", () => {
    const outcome = interpretDriveAnswer(
      answer(202, { expirationDateTime: "2026-01-01T00:15:00Z" }),
      middle
    );
    expect(outcome.kind).toBe("fail");
    expect((outcome as { error: unknown }).error).toBeInstanceOf(ProtocolError);
  });
});

describe("the last range", () => {
  test.each([201, 200])(
    "%d + driveItem → stored, with its id, stored name, webUrl and size",
    (status) => {
      expect(interpretDriveAnswer(answer(status, driveItem), last)).toEqual({
        kind: "attached",
        attachmentId: driveItem.id,
        item: { id: driveItem.id, name: driveItem.name, webUrl: driveItem.webUrl, size: TOTAL },
      });
    }
  );

  test("202 naming bytes still missing (part of the last range kept) → advanced there", () => {
    const outcome = interpretDriveAnswer(
      answer(202, { nextExpectedRanges: [`${9 * UNIT}-`] }),
      last
    );
    expect(outcome).toMatchObject({ kind: "advanced", offset: 9 * UNIT });
  });

  test("201 without a driveItem → stored but unnamed (the host looks it up)", () => {
    expect(interpretDriveAnswer(answer(201, ""), last)).toEqual({ kind: "attached-unnamed" });
  });

  test("202 with nothing missing and no driveItem (a deferred commit this route never asks for) → ProtocolError", () => {
    const outcome = interpretDriveAnswer(answer(202, { nextExpectedRanges: [] }), last);
    expect(outcome.kind).toBe("fail");
  });

  test("a driveItem body on a middle range is not taken as the end", () => {
    const outcome = interpretDriveAnswer(
      answer(200, { ...driveItem, nextExpectedRanges: [`${4 * UNIT}-`] }),
      middle
    );
    expect(outcome).toMatchObject({ kind: "advanced", offset: 4 * UNIT });
  });
});

describe("errors", () => {
  const error = (code: string, message = "", inner?: string) => ({
    error: {
      code,
      message,
      innerError: {
        ...(inner ? { code: inner } : {}),
        "request-id": "2f6b5d3e-0000-4000-8000-000000000001",
      },
    },
  });

  test("416 fragmentOverlap → resync, with the offset the message names", () => {
    const outcome = interpretDriveAnswer(
      answer(
        416,
        error(
          "invalidRange",
          'The uploaded fragment overlaps. Next expected ranges: ["1310720-"].',
          "fragmentOverlap"
        )
      ),
      middle
    );
    expect(outcome).toMatchObject({ kind: "resync", offset: 1_310_720 });
    expect((outcome as { error: HttpError }).error.status).toBe(416);
  });

  test("416 that names nothing → resync without an offset (GET status will say)", () => {
    expect(interpretDriveAnswer(answer(416, error("invalidRange")), middle)).toMatchObject({
      kind: "resync",
      offset: undefined,
    });
  });

  test.each([404, 410, 401])("%d → the session is lost (a new one carries on)", (status) => {
    expect(
      interpretDriveAnswer(
        answer(status, error("itemNotFound", "", "uploadSessionNotFound")),
        middle
      )
    ).toEqual({
      kind: "session-lost",
    });
  });

  test("507 quotaLimitReached → DriveFullError: not retryable, a message a person can act on", () => {
    const outcome = interpretDriveAnswer(
      answer(507, error("quotaLimitReached", "Insufficient Space Available")),
      last
    );
    expect(outcome.kind).toBe("fail");
    const failure = (outcome as { error: DriveFullError }).error;
    expect(failure).toBeInstanceOf(DriveFullError);
    expect(failure.retryable).toBe(false);
    expect(failure.status).toBe(507);
    expect(failure.requestId).toBe("2f6b5d3e-0000-4000-8000-000000000001");
    expect(failure.message).toMatch(/OneDrive is full.*Free up space/);
  });

  test("409 nameAlreadyExists → fail (the name was taken), not retried", () => {
    const outcome = interpretDriveAnswer(
      answer(409, error("nameAlreadyExists", "The name is taken.")),
      last
    );
    expect(outcome.kind).toBe("fail");
    expect((outcome as { error: HttpError }).error.code).toBe("nameAlreadyExists");
  });

  test("another 409 (a range of this session still arriving) → retry", () => {
    expect(interpretDriveAnswer(answer(409, error("invalidRequest")), middle)).toMatchObject({
      kind: "retry",
    });
  });

  test.each([429, 500, 502, 503, 504])("%d → retry, with Retry-After honoured", (status) => {
    const outcome = interpretDriveAnswer(
      answer(status, error("serviceNotAvailable"), { "Retry-After": "7" }),
      middle
    );
    expect(outcome).toMatchObject({ kind: "retry", retryAfterMs: 7_000 });
  });

  test("400 (a range not a 320 KiB multiple) → fail with the server's code", () => {
    const outcome = interpretDriveAnswer(
      answer(400, error("invalidRequest", "Fragment must be a multiple of 320 KiB")),
      middle
    );
    expect(outcome.kind).toBe("fail");
    expect((outcome as { error: HttpError }).error).toMatchObject({
      status: 400,
      code: "invalidRequest",
      retryable: false,
    });
  });
});

describe("link scope fallback: only narrower than asked, never anonymous unless picked", () => {
  test.each([
    ["anonymous", ["anonymous", "organization", "users"]],
    ["organization", ["organization", "users"]],
    ["users", ["users"]],
  ] as const)("%s → %j", (scope, tried) => {
    expect(scopesToTry(scope)).toEqual(tried);
  });
});
