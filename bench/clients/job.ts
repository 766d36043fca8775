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
  | "engine-queue";

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
}

export interface ClientResult {
  /** Wall-clock ms of the measured part (see each client). */
  ms: number;
  /** Peak resident set of the child process, bytes (process.resourceUsage().maxRSS). */
  maxRssBytes: number;
  bytes: number;
  /** Requests to Graph + the upload URL during the measured part. */
  requests: number;
  attachmentIds: string[];
}
