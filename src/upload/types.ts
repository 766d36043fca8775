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

export type UploadRoute = "post" | "session";

export type UploadPhase =
  | "queued"
  | "waiting-for-item" // Graph answered 404 for an item Outlook just saved; waiting for the sync
  | "creating-session"
  | "uploading"
  | "retrying" // see UploadStatus.retryAt
  | "paused"
  | "offline"
  | "verifying"
  | "attached"
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
  route: UploadRoute;
  bytes: number;
  /** Wall-clock milliseconds from start to the final response. */
  ms: number;
}

/** Serialisable record of an in-progress session, enough for a later process or task pane to continue. */
export interface ResumeRecord {
  version: 1;
  target: { mailbox: string; itemKind: "message" | "event"; itemId: string };
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
