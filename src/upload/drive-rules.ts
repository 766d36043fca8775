// OneDrive's range rules (DESIGN.md §2b, driveitem-createuploadsession.md): how a driveItem upload
// session's answers read, as RangeOutcomes the shared range loop (session.ts) applies — the second
// set of rules beside Outlook's (protocol.ts), not a second loop.
import { DriveFullError, ProtocolError, type HttpError } from "./errors";
import {
  advanced,
  errorDetailsFrom,
  expectedOffsetFromError,
  getCaseInsensitive,
  parseSessionStatus,
  plainHttpError,
  retryLater,
  type RangeContext,
  type RangeOutcome,
  type RangeRules,
  type StoredItem,
} from "./protocol";
import {
  DEFAULT_DRIVE_CHUNK_SIZE,
  DRIVE_RANGE_MAX,
  DRIVE_RANGE_TARGET_MS,
  DRIVE_RANGE_UNIT,
} from "./options";
import { RETRY_STATUSES } from "./retry";
import type { HttpResponse } from "./types";

/** One range the server acknowledged: its length and the time from sending it to its answer. */
export interface RangeSample {
  bytes: number;
  ms: number;
}

/** Ranges the throughput is measured over: the last few, so one slow or fast answer is not all. */
const SAMPLED_RANGES = 3;
/** A range grows at most this much over the one before (one odd measurement does not leap to 60 MiB). */
const MAX_GROWTH = 4;

/**
 * The drive route's range size when `driveChunkSize` is not set — the one place it is decided.
 * No range acknowledged yet: DEFAULT_DRIVE_CHUNK_SIZE (10 MiB). Then: what the last three ranges'
 * throughput moves in `targetMs`, rounded down to a 320 KiB multiple, at most 4 × the previous
 * range, between 10 MiB and DRIVE_RANGE_MAX (191 × 320 KiB, under OneDrive's 60 MiB). So every
 * size is a multiple of 327,680 (the engine cuts only the last range shorter), a fast link gets a
 * few large ranges (per-request latency a small share), and a dropped or stalled range re-sends
 * about `targetMs` of transfer. Samples without a measurable time keep the previous size.
 */
export function adaptiveDriveRangeSize(
  samples: readonly RangeSample[],
  targetMs: number = DRIVE_RANGE_TARGET_MS
): number {
  const last = samples.at(-1);
  if (!last) return DEFAULT_DRIVE_CHUNK_SIZE;
  const previous = clampToRange(last.bytes);
  const recent = samples.slice(-SAMPLED_RANGES);
  const bytes = recent.reduce((sum, s) => sum + s.bytes, 0);
  const ms = recent.reduce((sum, s) => sum + s.ms, 0);
  if (!(ms > 0) || !(bytes > 0)) return previous;
  const wanted = Math.min((bytes / ms) * targetMs, MAX_GROWTH * previous);
  return clampToRange(wanted);
}

/** A 320 KiB multiple (rounded down) between DEFAULT_DRIVE_CHUNK_SIZE and DRIVE_RANGE_MAX. */
function clampToRange(bytes: number): number {
  const units = Math.floor(Math.min(bytes, DRIVE_RANGE_MAX) / DRIVE_RANGE_UNIT);
  return Math.max(DEFAULT_DRIVE_CHUNK_SIZE, units * DRIVE_RANGE_UNIT);
}

/**
 * A drive route error answer as the typed error: 507 quotaLimitReached → DriveFullError; anything
 * else a plain HttpError (Outlook's item and shared-mailbox readings do not apply to a drive).
 */
export function driveErrorFrom(
  status: number,
  body: string,
  header: (name: string) => string | null,
  what: string
): HttpError {
  const details = errorDetailsFrom(status, body, header);
  if (status === 507 || details.code === "quotaLimitReached") return new DriveFullError(details);
  return plainHttpError(details, what);
}

export const DRIVE_RANGE_RULES: RangeRules = { interpret: interpretDriveAnswer };

/**
 * Middles: 202 (documented) or 200 with nextExpectedRanges. The last range: 201 or 200 with the
 * driveItem. 416: another offset is expected (a resend after a lost answer) → ask GET status.
 * 404/410: the session is gone (expired, deleted) → a new one; 401: its tempauth no longer holds.
 * 507: OneDrive full. 409 nameAlreadyExists: the name was taken (only with "fail"; this route
 * asks "rename"); any other 409 is the session busy with a dropped range → retried, as Outlook's.
 */
export function interpretDriveAnswer(answer: HttpResponse, range: RangeContext): RangeOutcome {
  const { status } = answer;
  if (status === 200 || status === 201 || status === 202) {
    const last = range.end === range.total;
    const item = last ? driveItemOf(answer.body) : undefined;
    if (item) return { kind: "attached", attachmentId: item.id, item };
    // A middle, or a last range the server kept only part of: follow nextExpectedRanges.
    if (!last || expectsMore(answer.body)) return advanced(answer, range);
    if (status !== 202) return { kind: "attached-unnamed" };
    return {
      kind: "fail",
      error: new ProtocolError(
        "OneDrive took the last range but did not store the file (202 without a driveItem)."
      ),
    };
  }
  const error = driveErrorFrom(status, answer.body, answer.header, "Uploading a range to OneDrive");
  if (error instanceof DriveFullError) return { kind: "fail", error };
  if (status === 404 || status === 410 || status === 401) return { kind: "session-lost" };
  if (status === 416)
    return { kind: "resync", offset: expectedOffsetFromError(answer.body), error };
  if (status === 409 && error.code !== "nameAlreadyExists") return retryLater(answer, range, error);
  if (RETRY_STATUSES.has(status)) return retryLater(answer, range, error);
  return { kind: "fail", error };
}

/** Does a session document still name bytes to send? */
function expectsMore(body: string): boolean {
  try {
    return parseSessionStatus(body).nextExpected !== undefined;
  } catch {
    return false;
  }
}

/** The driveItem in an answer (`id`, `name`, `webUrl`, `size`), or undefined when it is not one. */
export function driveItemOf(body: string): (StoredItem & { id: string }) | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const id = getCaseInsensitive(json, "id");
  const name = getCaseInsensitive(json, "name");
  const webUrl = getCaseInsensitive(json, "webUrl");
  const size = getCaseInsensitive(json, "size");
  if (typeof id !== "string" || id === "" || typeof name !== "string") return undefined;
  return {
    id,
    name,
    webUrl: typeof webUrl === "string" ? webUrl : "",
    size: typeof size === "number" ? size : -1,
  };
}
