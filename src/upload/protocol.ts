// Reading what Graph and the upload host answer. Each function accepts every documented form,
// because Microsoft's SDKs broke on several of them (DESIGN.md §2).
import {
  HttpError,
  type GraphErrorDetails,
  ItemNotFoundError,
  MessageSizeExceededError,
  ProtocolError,
  SharedMailboxForbiddenError,
  UploadError,
  redactText,
} from "./errors";
import { RETRY_STATUSES, parseRetryAfter } from "./retry";
import type { HttpResponse, UploadTarget } from "./types";

export interface SessionStatus {
  /** Lowest byte the server still expects; undefined when the answer carried no ranges. */
  nextExpected?: number;
  expirationDateTime?: string;
}

/** Reads a property in any casing (`NextExpectedRanges`, `nextExpectedRanges`, …). */
export function getCaseInsensitive(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/**
 * The lowest start among NextExpectedRanges entries: `"0-"`, a bare `"2097152"`, `"a-b"`, several.
 * Returns undefined for an empty or absent list; throws ProtocolError for an unreadable entry.
 */
export function lowestExpectedStart(ranges: unknown): number | undefined {
  if (ranges === undefined || ranges === null) return undefined;
  const list = Array.isArray(ranges) ? ranges : [ranges];
  let lowest: number | undefined;
  for (const entry of list) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d*)\s*)?$/.exec(String(entry));
    if (!match) {
      // Server text: shortened and redacted before it goes into a message.
      const shown = JSON.stringify(redactText(String(entry)).slice(0, 40));
      throw new ProtocolError(`Unreadable NextExpectedRanges entry ${shown}.`);
    }
    const start = Number(match[1]);
    if (match[2]) {
      const end = Number(match[2]);
      if (end < start)
        throw new ProtocolError(`Inverted NextExpectedRanges entry "${start}-${end}".`);
    }
    if (lowest === undefined || start < lowest) lowest = start;
  }
  return lowest;
}

/** Parses an upload-session document (creation answer, 200 to a range, GET status). */
export function parseSessionStatus(body: string): SessionStatus {
  if (body.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ProtocolError("The upload server answered with a body that is not JSON.", {
      cause: error,
    });
  }
  const expiration = getCaseInsensitive(json, "expirationDateTime");
  return {
    nextExpected: lowestExpectedStart(getCaseInsensitive(json, "nextExpectedRanges")),
    expirationDateTime: typeof expiration === "string" ? expiration : undefined,
  };
}

/**
 * The attachment id in a 201 `Location`: `…/Attachments('id')` with any host, API version
 * (`v2.0`, `beta`, `gv1.0`) and path casing; also a plain `/attachments/id` path.
 */
export function attachmentIdFromLocation(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  const quoted = /\/attachments\('([^']+)'\)/i.exec(location);
  if (quoted) return decodeURIComponentSafe(quoted[1]);
  const plain = /\/attachments\/([^/?#]+)/i.exec(location);
  if (plain) return decodeURIComponentSafe(plain[1]);
  return undefined;
}

/** The item id a `Location` names (`…/Messages('id')/…` or `…/Events('id')/…`), if it names one. */
export function itemIdFromLocation(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  const match = /\/(?:messages|events)\('([^']+)'\)/i.exec(location);
  return match ? decodeURIComponentSafe(match[1]) : undefined;
}

/** Ids compared as Outlook writes them: URL-safe and standard base64 spellings are the same id. */
export function sameItemId(a: string, b: string): boolean {
  const norm = (id: string) => id.replace(/-/g, "/").replace(/_/g, "+");
  return norm(a) === norm(b);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `id` from a JSON body, if the body is JSON with a string id. */
export function idFromBody(body: string): string | undefined {
  if (body.trim() === "") return undefined;
  try {
    const id = getCaseInsensitive(JSON.parse(body), "id");
    return typeof id === "string" && id !== "" ? id : undefined;
  } catch {
    return undefined;
  }
}

export interface GraphErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
  date?: string;
}

/** The Graph error shape `{"error":{"code","message","innerError":{"request-id","date"}}}`, tolerant of others. */
export function parseGraphError(body: string): GraphErrorBody {
  try {
    const error = getCaseInsensitive(JSON.parse(body), "error");
    if (error === null || typeof error !== "object") return {};
    const inner = getCaseInsensitive(error, "innerError");
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    return {
      // Codes go into messages and the CLI's output: only code-shaped text, never free text.
      code: codeShaped(str(getCaseInsensitive(error, "code"))),
      message: str(getCaseInsensitive(error, "message")),
      requestId:
        str(getCaseInsensitive(inner, "request-id")) ?? str(getCaseInsensitive(inner, "requestId")),
      date: str(getCaseInsensitive(inner, "date")),
    };
  } catch {
    return {};
  }
}

function codeShaped(code: string | undefined): string | undefined {
  return code !== undefined && /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(code) ? code : undefined;
}

/** The `claims` parameter of a `WWW-Authenticate` challenge (Conditional Access), if any. */
export function claimsFromChallenge(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /claims="([^"]+)"/i.exec(header);
  if (!match) return undefined;
  // Graph sends the claims base64-encoded; MSAL expects the JSON.
  const raw = match[1];
  if (raw.trim().startsWith("{")) return raw;
  try {
    return typeof atob === "function" ? atob(raw) : raw;
  } catch {
    return raw;
  }
}

/** What an error answer says about itself: status, Graph's code and message, request id, date. */
export function errorDetailsFrom(
  status: number,
  body: string,
  header: (name: string) => string | null
): GraphErrorDetails {
  const parsed = parseGraphError(body);
  return {
    status,
    code: parsed.code,
    message: parsed.message,
    requestId: parsed.requestId ?? header("request-id") ?? header("client-request-id") ?? undefined,
    date: parsed.date ?? header("date") ?? undefined,
  };
}

/** The plain HttpError for an answer no typed error fits: "{what} failed with HTTP {status} {code}: {server's words}". */
export function plainHttpError(details: GraphErrorDetails, what: string): HttpError {
  const { status, code, message } = details;
  const serverSays = message ? `: ${redactText(message).slice(0, 300)}` : "";
  return new HttpError(
    `${what} failed with HTTP ${status}${code ? ` ${code}` : ""}${serverSays}`,
    details,
    { retryable: RETRY_STATUSES.has(status) }
  );
}

/** An HTTP answer the engine cannot accept, as the typed error with what Graph said about it. */
export function httpErrorFrom(
  status: number,
  body: string,
  header: (name: string) => string | null,
  target: Pick<UploadTarget, "mailbox">,
  what: string
): HttpError {
  const details = errorDetailsFrom(status, body, header);
  if (details.code === "ErrorMessageSizeExceeded") return new MessageSizeExceededError(details);
  if (status === 404 && (details.code === "ErrorItemNotFound" || details.code === undefined)) {
    return new ItemNotFoundError(details, 0);
  }
  if (status === 403 && target.mailbox !== "me") return new SharedMailboxForbiddenError(details);
  return plainHttpError(details, what);
}

// ---- range answers as outcomes ----------------------------------------------------------------

/** What one answer of the upload host to a range PUT means; the upload loop applies it. */
export type RangeOutcome =
  /** The server took bytes: continue at `offset` (its lowest expected start, even if not what was sent). */
  | { kind: "advanced"; offset: number; expirationDateTime?: string }
  /** The last range completed the file: the attachment's id (the driveItem's, with its `item`, on OneDrive). */
  | { kind: "attached"; attachmentId: string; item?: StoredItem }
  /** The attachment exists but the answer does not say which it is (a Location CORS withheld): look it up. */
  | { kind: "attached-unnamed" }
  /** The server expects another offset (416): ask it where it stands, or follow `offset` when it says. */
  | { kind: "resync"; offset?: number; error: HttpError }
  /** Not now: try the same range again after a backoff (or the server's Retry-After). */
  | { kind: "retry"; retryAfterMs?: number; error: HttpError }
  /** The session is gone (expired, deleted, or its URL no longer authorised): a new one may fix it. */
  | { kind: "session-lost" }
  /** Nothing more can help. */
  | { kind: "fail"; error: UploadError };

/** The driveItem a OneDrive session's last range answers with. */
export interface StoredItem {
  name: string;
  webUrl: string;
  size: number;
}

export interface RangeContext {
  /** The range sent: [start, end) of `total`. */
  start: number;
  end: number;
  total: number;
  target: Pick<UploadTarget, "mailbox" | "itemId">;
  now: number;
}

/**
 * A set of range rules: how an upload host's answers read. Outlook's are below; the OneDrive
 * link route (202 middles, 320 KiB multiples, a driveItem body on 200/201) plugs in another.
 */
export interface RangeRules {
  interpret(answer: HttpResponse, range: RangeContext): RangeOutcome;
}

/** Outlook's upload host (DESIGN.md §2): 200 + NextExpectedRanges for middles, 201 + Location at the end. */
export const OUTLOOK_RANGE_RULES: RangeRules = { interpret: interpretOutlookAnswer };

export function interpretOutlookAnswer(answer: HttpResponse, range: RangeContext): RangeOutcome {
  const { status } = answer;
  if (status === 201) return finished(answer, range);
  if (status === 200 || status === 202) return advanced(answer, range);
  const error = httpErrorFrom(
    status,
    answer.body,
    answer.header,
    range.target,
    "Uploading a range"
  );
  if (error instanceof MessageSizeExceededError) return { kind: "fail", error };
  // 404/410: expired or deleted. 401: the pre-authenticated URL is no longer accepted (its token
  // expired with the session). Either way this session is over; a new one can carry on.
  if (status === 404 || status === 410 || status === 401) return { kind: "session-lost" };
  if (status === 416)
    return { kind: "resync", offset: expectedOffsetFromError(answer.body), error };
  // 409: the server is still busy with an aborted or dropped range of this session; it clears as
  // soon as the server notices, so it is retried like a transient fault.
  if (RETRY_STATUSES.has(status) || status === 409) return retryLater(answer, range, error);
  return { kind: "fail", error };
}

/** Try the same range again after the backoff, or after the server's Retry-After. */
export function retryLater(
  answer: HttpResponse,
  range: RangeContext,
  error: HttpError
): RangeOutcome {
  return {
    kind: "retry",
    retryAfterMs: parseRetryAfter(answer.header("retry-after"), range.now),
    error,
  };
}

function finished(answer: HttpResponse, range: RangeContext): RangeOutcome {
  const location = answer.header("location");
  const locatedItem = itemIdFromLocation(location);
  if (locatedItem !== undefined && !sameItemId(locatedItem, range.target.itemId)) {
    return {
      kind: "fail",
      error: new ProtocolError(
        "The upload finished (201) but the server's Location names another item than the one being " +
          "attached to; the attachment may have landed on another item — check before retrying."
      ),
    };
  }
  const id = attachmentIdFromLocation(location) ?? idFromBody(answer.body);
  return id ? { kind: "attached", attachmentId: id } : { kind: "attached-unnamed" };
}

/** A middle range's answer: continue where the server's NextExpectedRanges says (any host). */
export function advanced(answer: HttpResponse, range: RangeContext): RangeOutcome {
  let status: SessionStatus;
  try {
    status = parseSessionStatus(answer.body);
  } catch (error) {
    return { kind: "fail", error: error as UploadError };
  }
  const next = status.nextExpected;
  if (next === undefined || next < 0 || next >= range.total) {
    return {
      kind: "fail",
      error: new ProtocolError(
        next === undefined
          ? `The upload server answered ${answer.status} without NextExpectedRanges.`
          : `The upload server expects byte ${next} of a ${range.total}-byte file.`
      ),
    };
  }
  const expiration = status.expirationDateTime;
  return {
    kind: "advanced",
    offset: next,
    ...(expiration && !Number.isNaN(Date.parse(expiration))
      ? { expirationDateTime: expiration }
      : {}),
  };
}

/**
 * The offset a 416 names: `NextExpectedRanges` in the body or in its `error` object, else the
 * "next expected byte N" of the message (or OneDrive's "Next expected ranges: ["N-"]"). Undefined
 * when the error does not say.
 */
export function expectedOffsetFromError(body: string): number | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    for (const candidate of [json, getCaseInsensitive(json, "error")]) {
      const next = lowestExpectedStart(getCaseInsensitive(candidate, "nextExpectedRanges"));
      if (next !== undefined) return next;
    }
    const message = getCaseInsensitive(getCaseInsensitive(json, "error"), "message");
    const match =
      typeof message === "string"
        ? /next expected (?:byte|offset|ranges?)\D{0,5}(\d+)/i.exec(message)
        : null;
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
