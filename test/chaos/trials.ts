// The trial generator: from one seed, a file size, a range size and one fault with its moment.
// Everything a trial does is drawn here, so `--replay SEED` repeats it exactly (timing aside).
// A share of the trials (DRIVE_SHARE) sends the file through the OneDrive route (shareFile)
// instead of attaching it, with the same faults; that choice is drawn after everything else, so an
// attachment trial draws exactly what it drew before the drive trials existed.
import type { DriveConfig } from "../../dev/graph-emulator/config";
import { createRng, type Rng } from "./prng";

export const MiB = 1024 * 1024;
export const MAX_FILE = 150 * MiB; // 157,286,400: the largest file an upload session accepts
const SMALL_LIMIT = 3 * MiB; // under this the engine takes the single POST
const DEFAULT_CHUNK = 3_932_160;

export type FaultKind =
  | "drop" // connection destroyed after `atByte` bytes of range `atRange`
  | "server-error" // a burst of `count` 500/502/503/504 answers from request `fromRequest`
  | "throttle" // a burst of `count` 429 answers with Retry-After: `retryAfterSec`
  | "latency" // `count` requests from `fromRequest` delayed by `ms`
  | "session-expiry" // the session expires once range `atRange` is acknowledged
  | "size-exceeded" // ErrorMessageSizeExceeded answers range `atRange` (drive: the OneDrive is full, 507)
  | "token-expiry" // the Graph token expires between Graph calls (a restart forces a second one)
  | "restart" // the emulator restarts (sessions lost) while range `atRange` is under way
  | "cancel" // the caller aborts `delayMs` after range `atRange` started
  | "stall-create" // `count` createUploadSession requests are never answered
  | "stall-answer" // `count` range PUTs from range `atRange` are read whole, then never answered
  | "stall-mid-body"; // `count` range PUTs from range `atRange` stop being read after `atByte` bytes

export type Fault =
  | { kind: "drop"; atRange: number; atByte: number }
  | { kind: "server-error"; status: 500 | 502 | 503 | 504; count: number; fromRequest: number }
  | { kind: "throttle"; retryAfterSec: number; count: number; fromRequest: number }
  | { kind: "latency"; ms: number; count: number; fromRequest: number }
  | { kind: "session-expiry"; atRange: number; times: number }
  | { kind: "size-exceeded"; atRange: number }
  | { kind: "token-expiry"; atRange: number; skewMs: number }
  | { kind: "restart"; atRange: number; delayMs: number }
  | { kind: "cancel"; atRange: number; delayMs: number }
  | { kind: "stall-create"; count: number }
  | { kind: "stall-answer"; atRange: number; commit: boolean; count: number }
  | { kind: "stall-mid-body"; atRange: number; atByte: number; count: number };

export const FAULT_KINDS: readonly FaultKind[] = [
  "drop",
  "server-error",
  "throttle",
  "latency",
  "session-expiry",
  "size-exceeded",
  "token-expiry",
  "restart",
  "cancel",
  "stall-create",
  "stall-answer",
  "stall-mid-body",
];

/**
 * Attempts the engine makes of one request under the matrix's options (CHAOS_ENGINE_OPTIONS in
 * run-trial.ts: 6 retry delays): a stall `count` of this many outlasts the retry budget.
 */
export const ATTEMPTS_PER_REQUEST = 7;

/** Documented variations of the service's answers, drawn per trial for extra coverage. */
export interface Quirks {
  rangeCasing: "pascal" | "camel";
  rangeForm: "bare" | "dashed";
  apiVersion: "v2.0" | "beta" | "gv1.0";
  locationHost: "upload-origin" | "outlook.office.com";
  pathCasing: "pascal" | "lower";
  getStatus: boolean;
  /** Drive trials: the documented variations of OneDrive's answers (dev/graph-emulator "OneDrive"). */
  drive?: Pick<DriveConfig, "middleStatus" | "finalStatus" | "getStatus" | "missingFolder">;
}

/**
 * Faults that need an upload session: a single POST has no ranges to drop or stall, no session to
 * expire or create (the emulator's stall switch targets createUploadSession and range PUTs only).
 */
const SESSION_ONLY: readonly FaultKind[] = [
  "drop",
  "session-expiry",
  "stall-create",
  "stall-answer",
  "stall-mid-body",
];

export interface Trial {
  seed: number;
  /** File size in bytes. */
  size: number;
  /** Where the file's bytes start in the shared deterministic pool (see file-pool.ts). */
  poolOffset: number;
  chunkSize: number;
  /** Ranges the engine sends for this file (1 for the single-POST route: the POST is "range 0"). */
  ranges: number;
  /** "drive": shared through OneDrive (shareFile) instead of attached; always an upload session. */
  route: "post" | "session" | "drive";
  itemKind: "message" | "event";
  fault: Fault;
  quirks: Quirks;
}

export interface TrialLimits {
  /** Upper bound for the file size (the in-`npm test` slice keeps files small). */
  maxSize: number;
}

/** Mostly 3–40 MiB; some single-POST files (0 bytes included) and some up to 150 MiB. */
export function drawSize(rng: Rng, maxSize = MAX_FILE): number {
  const band = rng.weighted({ small: 8, typical: 82, large: 10 });
  let size: number;
  if (band === "small") size = rng.next() < 0.1 ? 0 : rng.int(1, SMALL_LIMIT - 1);
  else if (band === "typical") size = rng.int(SMALL_LIMIT, 40 * MiB);
  else size = rng.int(40 * MiB, MAX_FILE);
  return Math.min(size, maxSize);
}

/** Most trials use the engine's default range size; some use 4 MiB (the cap) or 1.25 MiB. */
function drawChunkSize(rng: Rng, size: number): number {
  const choice = rng.weighted({ default: 8, cap: 1, small: size <= 40 * MiB ? 1 : 0 });
  return choice === "cap" ? 4 * MiB : choice === "small" ? 4 * 327_680 : DEFAULT_CHUNK;
}

/**
 * Routing as the engine does it: the POST under 3 MiB when the base64 JSON fits 4 MiB. The exact
 * boundary depends on the name; our names are short ASCII, so 3 MiB − 600 bytes is safely "post".
 */
function routeOf(size: number): "post" | "session" {
  return size < SMALL_LIMIT - 600 ? "post" : "session";
}

export function drawFault(
  rng: Rng,
  kind: FaultKind,
  ranges: number,
  chunk: number,
  size: number
): Fault {
  const atRange = rng.int(0, Math.max(0, ranges - 1));
  const rangeLen = Math.max(1, Math.min(chunk, size - atRange * chunk));
  switch (kind) {
    case "drop":
      return { kind, atRange, atByte: rng.int(0, rangeLen - 1) };
    case "server-error":
      // The chaos retry budget is 6 retries per request: bursts of 7+ must end in a clear error.
      return {
        kind,
        status: rng.pick([500, 502, 503, 504] as const),
        count: rng.int(1, 9),
        fromRequest: rng.int(0, ranges),
      };
    case "throttle":
      return {
        kind,
        retryAfterSec: rng.pick([0, 1, 1, 2]),
        count: rng.int(1, 3),
        fromRequest: rng.int(0, ranges),
      };
    case "latency":
      return {
        kind,
        ms: rng.int(50, 800),
        count: rng.int(1, 4),
        fromRequest: rng.int(0, ranges),
      };
    case "session-expiry":
      // 1–2 expiries are survived (new sessions); 3 exceed maxSessionRestarts = 2.
      return { kind, atRange, times: Number(rng.weighted({ 1: 6, 2: 2, 3: 2 })) };
    case "size-exceeded":
      return { kind, atRange };
    case "token-expiry":
      return { kind, atRange, skewMs: rng.pick([0, 0, 2_000]) };
    case "restart":
      return { kind, atRange, delayMs: rng.int(0, 30) };
    case "cancel":
      return { kind, atRange, delayMs: rng.int(0, 40) };
    case "stall-create":
      return { kind, count: drawStallCount(rng) };
    case "stall-answer": {
      const commit = rng.next() < 0.5;
      // A committed range whose every answer is lost is left out: on the last range the file is
      // attached while each retry stalls, and the engine gives up without learning that (see
      // docs/RELIABILITY.md "What is not covered").
      const count = drawStallCount(rng);
      return { kind, atRange, commit, count: commit ? Math.min(count, 2) : count };
    }
    case "stall-mid-body":
      return { kind, atRange, atByte: rng.int(0, rangeLen - 1), count: drawStallCount(rng) };
  }
}

/** Mostly one stall (a hand-over), sometimes two in a row, sometimes one on every attempt. */
function drawStallCount(rng: Rng): number {
  return Number(rng.weighted({ 1: 6, 2: 2, [ATTEMPTS_PER_REQUEST]: 2 }));
}

/** Requests the fault silences (0 for a fault that is not a stall). */
export function stallCount(fault: Fault): number {
  return fault.kind === "stall-create" ||
    fault.kind === "stall-answer" ||
    fault.kind === "stall-mid-body"
    ? fault.count
    : 0;
}

/** Is the fault gone before the engine's retry budget is (a restart, a stall shorter than it)? */
export function isTransient(fault: Fault): boolean {
  if (fault.kind === "restart") return true;
  const stalls = stallCount(fault);
  return stalls > 0 && stalls < ATTEMPTS_PER_REQUEST;
}

/** What a trial that went through is labelled: "attached" to the item, or "shared" through OneDrive. */
export function successLabel(trial: Pick<Trial, "route">): "attached" | "shared" {
  return trial.route === "drive" ? "shared" : "attached";
}

/**
 * The outcomes a trial may end in, or undefined when any clean one will do (attached / shared or
 * a typed error). A transient fault leaves the engine nothing to give up on: only success. A stall
 * on every attempt: createUploadSession ends in NetworkError (no session, so nothing to resume); a
 * range keeps its session and resume record, and the resume (fault off) must succeed. A full
 * OneDrive (a drive trial's size-exceeded) can only end in DriveFullError.
 */
export function acceptableOutcomes(trial: Trial): readonly string[] | undefined {
  const { fault } = trial;
  const success = successLabel(trial);
  if (isTransient(fault)) return [success];
  if (fault.kind === "stall-create") return ["NetworkError"];
  if (fault.kind === "stall-answer" || fault.kind === "stall-mid-body")
    return [`${success} after resume`];
  if (fault.kind === "size-exceeded" && trial.route === "drive") return ["DriveFullError"];
  return undefined;
}

export function generateTrial(seed: number, limits: Partial<TrialLimits> = {}): Trial {
  const rng = createRng(seed);
  const size = drawSize(rng, limits.maxSize);
  const chunkSize = drawChunkSize(rng, size);
  const route = routeOf(size);
  const ranges = route === "post" ? 1 : Math.ceil(size / chunkSize);
  const kinds =
    route === "post" ? FAULT_KINDS.filter((k) => !SESSION_ONLY.includes(k)) : FAULT_KINDS;
  const kind = rng.pick(kinds);
  const fault = drawFault(rng, kind, ranges, route === "post" ? size : chunkSize, size);
  const poolOffset = rng.int(0, POOL_SLACK - 1);
  const quirks: Quirks = {
    rangeCasing: rng.pick(["pascal", "camel"] as const),
    rangeForm: rng.pick(["bare", "dashed"] as const),
    apiVersion: rng.pick(["v2.0", "beta", "gv1.0"] as const),
    locationHost: rng.pick(["upload-origin", "outlook.office.com"] as const),
    pathCasing: rng.pick(["pascal", "lower"] as const),
    getStatus: rng.next() < 0.5,
  };
  const itemKind = rng.next() < 0.8 ? "message" : "event";
  const trial: Trial = {
    seed,
    size,
    poolOffset,
    chunkSize,
    ranges,
    route,
    itemKind,
    fault,
    quirks,
  };
  const driveRng = createRng(rng.seed());
  return driveRng.next() < DRIVE_SHARE ? driveTrial(trial, driveRng) : trial;
}

/** Share of the trials that go through the OneDrive route. */
export const DRIVE_SHARE = 0.2;

/**
 * OneDrive range sizes, each a multiple of 320 KiB as its rules require: 1.25 MiB, 3.75 MiB
 * (the attachment default) and 10 MiB. Set explicitly so "at range k" is known to the generator.
 */
export const DRIVE_CHUNKS = [4 * 327_680, 12 * 327_680, 32 * 327_680] as const;

/**
 * The same file (at least 1 byte: an upload session cannot carry an empty file) through shareFile,
 * with its own range size, a fault of any kind (all need only a session; size-exceeded becomes a
 * full OneDrive) and OneDrive's own answer variations.
 */
function driveTrial(base: Trial, rng: Rng): Trial {
  const size = Math.max(1, base.size);
  const chunkSize = rng.pick(DRIVE_CHUNKS);
  const ranges = Math.ceil(size / chunkSize);
  const fault = drawFault(rng, rng.pick(FAULT_KINDS), ranges, chunkSize, size);
  const drive: Quirks["drive"] = {
    middleStatus: rng.pick([202, 202, 200] as const),
    finalStatus: rng.pick([201, 200] as const),
    getStatus: rng.next() < 0.8,
    missingFolder: rng.pick(["notFound", "create"] as const),
  };
  return {
    ...base,
    size,
    chunkSize,
    ranges,
    route: "drive",
    fault,
    quirks: { ...base.quirks, drive },
  };
}

/** Extra bytes in the pool beyond the largest file, so trials start at different offsets. */
export const POOL_SLACK = 1 * MiB;

export function describeTrial(trial: Trial): string {
  const { fault } = trial;
  const params = Object.entries(fault)
    .filter(([k]) => k !== "kind")
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `seed=${trial.seed} size=${trial.size} route=${trial.route} chunk=${trial.chunkSize} fault=${fault.kind} ${params}`;
}
