// One typed error hierarchy for the engine (after ky's source/errors): every failure the
// task pane, the CLI or a test can see is an UploadError, with the original error as `cause`
// and `retryable` telling the UI whether a "Retry" button makes sense. Messages never carry a
// token or an upload URL: everything that names a URL goes through redactUrl().

export interface GraphErrorDetails {
  status: number;
  code?: string;
  message?: string;
  requestId?: string;
  date?: string;
}

export class UploadError extends Error {
  override name = "UploadError";
  /** Would trying the same thing again later plausibly work? */
  readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
  }
}

/** An HTTP answer the engine could not accept, with what Graph said about it. */
export class HttpError extends UploadError {
  override name = "HttpError";
  readonly status: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly date?: string;
  constructor(
    message: string,
    details: GraphErrorDetails,
    options: { cause?: unknown; retryable?: boolean } = {}
  ) {
    super(message, options);
    this.status = details.status;
    this.code = details.code;
    // Both come from the server's error body or headers and are shown in the pane's Details and the
    // CLI's output: only a GUID-shaped id and a date-shaped date pass, anything else is dropped.
    this.requestId = guidShaped(details.requestId);
    this.date = dateShaped(details.date);
  }
}

/** The tenant's maximum message size was exceeded (at creation or part-way through the ranges). */
export class MessageSizeExceededError extends HttpError {
  override name = "MessageSizeExceededError";
  constructor(details: GraphErrorDetails, options: { cause?: unknown } = {}) {
    super(
      "The message would exceed the mailbox's maximum message size (ErrorMessageSizeExceeded). " +
        "Remove other attachments or share the file as a OneDrive link instead.",
      details,
      { ...options, retryable: false }
    );
  }
}

/** Graph does not (yet) know the item: a draft Outlook just saved has not synced to the server. */
export class ItemNotFoundError extends HttpError {
  override name = "ItemNotFoundError";
  constructor(details: GraphErrorDetails, waitedMs: number, options: { cause?: unknown } = {}) {
    super(
      waitedMs > 0
        ? `The item was still not found on the server after waiting ${Math.round(waitedMs / 1000)} s ` +
            "(a newly saved draft may not have synced yet). Try again in a moment."
        : "The item was not found on the server (ErrorItemNotFound).",
      details,
      { ...options, retryable: true }
    );
  }
}

/** 403 on a shared or delegated mailbox: a documented Graph limitation with delegated permissions. */
export class SharedMailboxForbiddenError extends HttpError {
  override name = "SharedMailboxForbiddenError";
  constructor(details: GraphErrorDetails, options: { cause?: unknown } = {}) {
    super(
      "Graph refused to attach to an item in a shared or delegated mailbox (403). This is a known Microsoft " +
        "Graph issue with delegated permissions for upload sessions in shared mailboxes; attach the file from " +
        "the mailbox owner's account, or use a OneDrive link.",
      details,
      { ...options, retryable: false }
    );
  }
}

/** 507 quotaLimitReached on the drive route: the user's OneDrive has no room for the file. */
export class DriveFullError extends HttpError {
  override name = "DriveFullError";
  constructor(details: GraphErrorDetails, options: { cause?: unknown } = {}) {
    super(
      "The file does not fit: your OneDrive is full (507 quotaLimitReached). " +
        "Free up space in OneDrive (or ask an administrator for more), then share it again.",
      details,
      { ...options, retryable: false }
    );
  }
}

/**
 * The tenant refused every link scope that may be used (403 on createLink). The file itself was
 * uploaded: it stays in OneDrive under `storedName`, where the user can share it by hand.
 */
export class LinkRefusedError extends HttpError {
  override name = "LinkRefusedError";
  /** The scopes tried, in order. */
  readonly triedScopes: readonly string[];
  readonly driveItemId: string;
  readonly storedName: string;
  constructor(
    storedName: string,
    driveItemId: string,
    triedScopes: readonly string[],
    details: GraphErrorDetails,
    options: { cause?: unknown } = {}
  ) {
    super(
      `The organisation does not allow a sharing link of the kinds that may be used (${triedScopes.join(", ")}). ` +
        `The file was uploaded and stays in your OneDrive as "${storedName}"; share it from OneDrive, ` +
        "or ask an administrator which links are allowed.",
      details,
      { ...options, retryable: false }
    );
    this.triedScopes = triedScopes;
    this.driveItemId = driveItemId;
    this.storedName = storedName;
  }
}

/**
 * A short, safe reason for a failed connection: the system error code (`ECONNREFUSED`,
 * `ENOTFOUND`, `UND_ERR_SOCKET`…) from the error or its causes. Codes name no URL or token, so
 * they may go into messages; the errors' own messages may not (Node's can quote the URL).
 */
export function networkReason(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{2,40}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The request never produced an HTTP answer (connection refused, reset, dropped mid-body…). */
export class NetworkError extends UploadError {
  override name = "NetworkError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retryable: true });
  }
}

export type RestrictionReason =
  | "too-large"
  | "empty-name"
  | "invalid-size"
  // 3 MB or more in a shared mailbox, where the compose form cannot take it: Graph's known 403 for sessions
  | "shared-mailbox";

/** The token provider failed (sign-in needed, consent missing, popup blocked…); the provider's error is the cause. */
export class TokenError extends UploadError {
  override name = "TokenError";
  constructor(cause: unknown) {
    const detail =
      cause instanceof Error ? `${cause.name}: ${redactText(cause.message).slice(0, 200)}` : "";
    super(`Could not get a Microsoft Graph access token${detail ? ` (${detail})` : ""}.`, {
      cause,
      retryable: true,
    });
  }
}

/** The file changed, moved or vanished after it was picked (its bytes can no longer be read). */
export class FileReadError extends UploadError {
  override name = "FileReadError";
  constructor(fileName: string, options: { cause?: unknown } = {}) {
    super(
      `The file "${fileName}" can no longer be read: it was modified, moved or deleted after it was picked. ` +
        "Pick it again to attach the current version.",
      { ...options, retryable: false }
    );
  }
}

/** Refused before any network call: the file can never be attached this way. */
export class RestrictionError extends UploadError {
  override name = "RestrictionError";
  readonly reason: RestrictionReason;
  constructor(reason: RestrictionReason, message: string) {
    super(message, { retryable: false });
    this.reason = reason;
  }
}

/** The upload session expired or vanished and no more new sessions were allowed. */
export class SessionExpiredError extends UploadError {
  override name = "SessionExpiredError";
  constructor(
    message = "The upload session expired or was lost.",
    options: { cause?: unknown } = {}
  ) {
    super(message, { ...options, retryable: true });
  }
}

/** Cancelled (or paused) through the AbortSignal. */
export class AbortError extends UploadError {
  override name = "AbortError";
  /** True when the abort was a pause: the session was kept for a later resume. */
  readonly paused: boolean;
  constructor(paused = false, options: { cause?: unknown } = {}) {
    super(paused ? "The upload was paused." : "The upload was cancelled.", {
      ...options,
      retryable: paused,
    });
    this.paused = paused;
  }
}

/** The server answered something that makes no sense for the protocol. */
export class ProtocolError extends UploadError {
  override name = "ProtocolError";
  /** An upload URL refused before any byte went out: its scheme and host (never the URL: it holds a token). */
  readonly uploadHost?: string;
  constructor(message: string, options: { cause?: unknown; uploadHost?: string } = {}) {
    super(message, { cause: options.cause, retryable: false });
    this.uploadHost = options.uploadHost;
  }
}

/**
 * The one rule for "can this be retried" (the pane's row Retry, Retry all, the CLI): true only
 * when trying the same upload again can help — the error's `retryable`, which each error class
 * above sets truthfully (a refused size, a name, a file that changed, a server answer that makes no
 * sense: no; a network fault, throttling, an expired session: yes).
 */
export function canRetry(error: unknown): boolean {
  return (error as UploadError | undefined)?.retryable === true;
}

/** Abort reason the queue uses to pause: abort the request in flight, keep the session. */
export class PauseRequest extends Error {
  override name = "PauseRequest";
  constructor() {
    super("pause");
  }
}

/**
 * A URL made safe for messages and logs: the query string (Outlook's `authtoken`) is dropped, and
 * paths that are not Graph paths (upload URLs are pre-authenticated secrets) are replaced.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "[url]";
  }
  const query = parsed.search ? "?[redacted]" : "";
  const graphPath = /^\/(v1\.0|beta)(\/|$)/i.test(parsed.pathname);
  return graphPath
    ? `${parsed.origin}${parsed.pathname}${query}`
    : `${parsed.origin}/[upload-url]${query}`;
}

/**
 * A URL in free text runs to whitespace, a double quote, a backtick or an angle bracket — not to `'`
 * or `)`, which OData keys use (`Users('…@tenant')/Messages('…')/AttachmentSessions('…')`); the
 * punctuation a sentence puts after a URL is trimmed off and kept as text.
 */
const URL_IN_TEXT = /https?:\/\/[^\s"<>`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

/** Removes anything URL-shaped or token-shaped from text that came from elsewhere (server messages, causes). */
export function redactText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (match) => {
      const trailing = TRAILING_PUNCTUATION.exec(match)?.[0] ?? "";
      return redactUrl(match.slice(0, match.length - trailing.length)) + trailing;
    })
    .replace(/\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]")
    .replace(/\beyJ[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*/g, "[token]")
    .replace(/(authtoken=)[^&\s"']+/gi, "$1[redacted]");
}

/** Graph's request ids are GUIDs (`request-id`, `client-request-id`); anything else is not shown. */
export function guidShaped(value: string | undefined): string | undefined {
  const id = value?.trim();
  return id && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? id
    : undefined;
}

/**
 * Graph's `innerError.date` (ISO 8601, `2026-12-01T21:04:01`) or an HTTP `Date` header
 * (`Tue, 01 Dec 2026 21:04:01 GMT`), at most 40 characters, that parses as a time; else undefined.
 */
export function dateShaped(value: string | undefined): string | undefined {
  const date = value?.trim();
  if (!date || date.length > 40) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/;
  const http = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
  if (!iso.test(date) && !http.test(date)) return undefined;
  return Number.isFinite(Date.parse(date)) ? date : undefined;
}
