// Public types of the upload engine. The task pane, the CLI, the benchmarks and the tests
// program against these; the engine's modules implement them. No React, Office.js or MSAL here.

/** Where attachments go: one Outlook item in one mailbox, reached through one Graph base URL. */
export interface UploadTarget {
  /** e.g. "https://graph.microsoft.com/v1.0" or the emulator's "http://127.0.0.1:PORT/v1.0" (no trailing slash). */
  graphBaseUrl: string;
  /** "me", or a user id / UPN for shared and delegate mailboxes (→ /users/{mailbox}/...). */
  mailbox: "me" | string;
  itemKind: "message" | "event";
  /** REST id of the item (already converted with convertToRestId where needed). */
  itemId: string;
}

/** Returns a Graph access token. Called for Graph requests only — never for the upload URL. */
export type TokenProvider = (request?: { claims?: string }) => Promise<string>;

/** The file to attach: a browser `File`, or a Node `fs.openAsBlob` result with a name. */
export interface UploadFile {
  readonly name: string;
  readonly size: number;
  readonly type?: string;
  /** ms since epoch; part of the resume fingerprint. */
  readonly lastModified?: number;
  slice(start?: number, end?: number, contentType?: string): Blob;
}

/**
 * "form": the compose form's own attach API (Office.js, injected by the pane; never used by the engine itself).
 * "drive": the file goes to the user's OneDrive and a sharing link is made (shareFile, src/upload/drive.ts).
 */
export type UploadRoute = "post" | "session" | "form" | "drive";

export type UploadPhase =
  | "queued"
  | "waiting-for-item" // Graph answered 404 for an item Outlook just saved; waiting for the sync
  | "creating-session"
  | "uploading"
  | "retrying" // see UploadStatus.retryAt
  | "paused"
  | "verifying"
  | "linking" // drive route: the file is in OneDrive, the sharing link is being made
  | "attached"
  | "shared" // drive route: done, the link is in ShareResult
  | "failed"
  | "cancelled";

export interface UploadProgress {
  /** Bytes handed to the transport and reported sent (moves within a range where the transport can tell). Never rewinds. */
  bytesSent: number;
  /** Bytes the server has acknowledged (NextExpectedRanges / 201). */
  bytesAcknowledged: number;
  bytesTotal: number;
}

export interface AttachResult {
  attachmentId: string;
  route: Exclude<UploadRoute, "drive">;
  bytes: number;
  /** Wall-clock milliseconds from start to the final response. */
  ms: number;
}

// ---- the OneDrive link route (DESIGN.md §2b) ------------------------------------------------

/** Where shared files go: a folder of the add-in's own in one user's OneDrive. */
export interface DriveTarget {
  /** Same as UploadTarget's (no trailing slash). */
  graphBaseUrl: string;
  /** "me" → /me/drive; a user id or UPN (the mailbox owner) → /users/{id}/drive. */
  drive: "me" | string;
  /** Path under the drive's root, "/"-separated, nested allowed; default DEFAULT_SHARE_OPTIONS.folder. */
  folder: string;
  /**
   * The Outlook item the link is meant for, if any: copied into resume records so they are kept
   * (keyed, swept) per item like the attachment route's. Not used to upload.
   */
  item?: ResumeRecord["target"];
}

export type LinkType = "view" | "edit";
export type LinkScope = "organization" | "users" | "anonymous";
/** Default { type: "view", scope: "organization" } (DEFAULT_SHARE_OPTIONS.link). */
export interface LinkChoice {
  type: LinkType;
  scope: LinkScope;
}

export interface SharedLink {
  webUrl: string;
  type: LinkType;
  /** The scope the link has. */
  scope: LinkScope;
  /** Set when the tenant refused the scope asked for and the link fell back to `scope`. */
  requestedScope?: LinkScope;
}

export interface ShareResult {
  route: "drive";
  driveItemId: string;
  /** The stored name (conflictBehavior rename may have changed it). */
  name: string;
  /** The driveItem's own webUrl (not the sharing link). */
  itemWebUrl: string;
  link: SharedLink;
  bytes: number;
  /** Wall-clock milliseconds from start to the link. */
  ms: number;
}

/** Serialisable record of an in-progress session, enough for a later process or task pane to continue. */
export interface ResumeRecord {
  version: 1;
  /** Whose session: absent in records written before the drive route, which are all "session". */
  route?: "session" | "drive";
  /**
   * The Outlook item (attachment route); for the drive route the item the link is meant for
   * (DriveTarget.item), or `{ mailbox: drive, itemKind: "message", itemId: "" }` when there is none.
   */
  target: { mailbox: string; itemKind: "message" | "event"; itemId: string };
  /** Drive route only: where the file goes (the resume rule compares it). */
  drive?: { graphBaseUrl: string; drive: string; folder: string };
  file: { name: string; size: number; lastModified?: number };
  /** Secret: pre-authenticated. Never log it. */
  uploadUrl: string;
  /** ISO 8601, as the server gave it at creation (Outlook does not extend it). */
  expirationDateTime: string;
  /** Next byte the server expects, as last acknowledged. */
  offset: number;
  chunkSize: number;
  createdAt: string;
}

// ---------------------------------------------------------------------------------------------
// Engine options and the range transport (added with the engine; see docs/CONTRACTS.md).

/**
 * One request the engine sends, through the one HTTP seam (after tus-js-client's HttpStack):
 * Graph calls (with the Bearer header the Graph layer adds) and upload-URL requests (never with it).
 */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  url: string;
  headers: Record<string, string>;
  /** A range (a lazy Blob slice) or a JSON text body. */
  body?: Blob | string;
  signal?: AbortSignal;
  /** Bytes of `body` handed to the network so far, where the stack can tell (XHR upload events). */
  onUploadProgress?(loaded: number): void;
  /**
   * Abort when no body bytes move for this long while sending (0 or absent: no bound). The stack
   * rejects with a StallError (src/upload/stall.ts), which the engine treats as a dropped connection.
   */
  stallTimeoutMs?: number;
  /** Abort when no answer has begun this long after the last body byte (0 or absent: no bound). */
  answerTimeoutMs?: number;
  /** Refuse redirects (the upload host must answer itself): a redirect fails with a ProtocolError. */
  refuseRedirects?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Case-insensitive header lookup; null when absent or withheld (CORS). */
  header(name: string): string | null;
  /** The whole response body as text (Graph and upload-URL answers are small JSON documents). */
  body: string;
}

/** The one HTTP seam: fetch by default, XHR in the browser (in-range progress), node:http in the CLI. */
export interface HttpStack {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** Former names of the seam's types (the seam used to carry upload-URL requests only). */
export type TransportRequest = HttpRequest;
export type TransportResponse = HttpResponse;
export type RangeTransport = HttpStack;

export interface UploadPhaseDetail {
  retryAt?: number;
  error?: unknown;
}

export interface UploadOptions {
  /** Bytes per range PUT. Default 3,932,160 (12 × 320 KiB, under Graph's 4 MiB cap). */
  chunkSize: number;
  /**
   * Bytes per range PUT on the drive route, fixed: a multiple of 327,680 (320 KiB) under 60 MiB.
   * Unset (the default): adaptive — DEFAULT_DRIVE_CHUNK_SIZE first, then each range sized to take
   * about DRIVE_RANGE_TARGET_MS at the throughput measured so far, up to DRIVE_RANGE_MAX (see
   * src/upload/README.md, "Drive range size").
   */
  driveChunkSize?: number;
  /** Base delays (ms) before each retry of one request; full jitter is applied; length = retry budget. */
  retryDelays: number[];
  /** Upper bound for any single wait, Retry-After included. */
  maxRetryDelayMs: number;
  /** New sessions allowed after expiry / loss of the current one. */
  maxSessionRestarts: number;
  /** How long a 404 ErrorItemNotFound on the item is waited out ("waiting-for-item"); 0 = fail at once. */
  itemWaitMs: number;
  /** 200 answers in a row that do not advance the offset before giving up with a ProtocolError. */
  maxStalledRanges: number;
  /** A resume record is only trusted while its session has at least this long left. */
  resumeSafetyMarginMs: number;
  /** Upper bound for the best-effort DELETE of a session on cancel / failure. */
  deleteTimeoutMs: number;
  /** A request whose body moves no byte for this long is aborted and retried like a dropped connection. */
  stallTimeoutMs: number;
  /** A request with no answer begun this long after its last byte is aborted and retried likewise. */
  answerTimeoutMs: number;
  /**
   * Origins an uploadUrl may point to (`https://host`, or `https://*.domain` for any subdomain;
   * plain http only for a loopback host, as the emulator's). Any other uploadUrl is refused.
   */
  allowedUploadOrigins: string[];
  /** The fetch the default HTTP stack uses. */
  fetch: typeof fetch;
  /** The HTTP seam every request goes through (Graph's and the upload host's); fetchStack(fetch) by default. */
  transport?: HttpStack;
  signal?: AbortSignal;
  resume?: ResumeRecord;
  /** Injected for tests: waiting and randomness and time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  now(): number;
  onProgress?(progress: UploadProgress): void;
  onChunkComplete?(chunkBytes: number, bytesAcknowledged: number, bytesTotal: number): void;
  onPhase?(phase: UploadPhase, detail?: UploadPhaseDetail): void;
  /** null when the record must be deleted (done, cancelled, expired). */
  onResumeRecord?(record: ResumeRecord | null): void;
}
