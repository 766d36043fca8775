// What the runner asks a client child process to do, and what the child answers (one JSON line).

/** How a client child says its upload promise never settled (a stall, not a crash). */
export const STALLED = "STALLED";

export type ClientKind =
  | "limit"
  | "limit-fetch"
  | "engine"
  | "engine-fetch"
  | "sdk-stream"
  | "sdk-buffer"
  | "engine-queue"
  // The OneDrive route (drive.ts, limit.ts): shareFile, and one PUT of the whole file to a drive upload URL.
  | "drive-engine"
  | "drive-limit";

export interface ClientJob {
  client: ClientKind;
  /** Files to attach (one, except for engine-queue). */
  files: { path: string; name: string; size: number }[];
  graphUrl: string;
  /** The emulator's loopback upload origin, which our engine must be told to allow. */
  uploadOrigin?: string;
  /** Graph bearer token for the emulator (dev token; never logged). */
  token: string;
  mailbox: string;
  itemKind: "message" | "event";
  /** One item per file (fresh drafts, so the tenant size limit is per file). */
  itemIds: string[];
  /** Range size for the engine and the SDK. */
  chunkSize: number;
  /** engine-queue only. */
  concurrency?: number;
  /** drive-* only: the folder under the OneDrive root the file goes to. */
  driveFolder?: string;
}

export interface ClientResult {
  /** Wall-clock ms of the measured part (see each client). */
  ms: number;
  /** Peak resident set of the child process, bytes (process.resourceUsage().maxRSS). */
  maxRssBytes: number;
  bytes: number;
  /** Requests to Graph + the upload URL during the measured part. */
  requests: number;
  /** What the upload created: attachment ids, or for the drive clients the driveItem id. */
  attachmentIds: string[];
}
