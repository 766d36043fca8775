// The emulator's switches: one type, one defaults object, one validating merge. The same fields
// are reachable as CLI flags (cli.ts), `PUT /_emulator/config` and `configure()`.
import { DEFAULT_LIMITS } from "./limits";

/** Fault injection, shaped like the Graph SDK's ChaosHandler (see chaos.ts). */
export interface FaultConfig {
  /** Seed of the PRNG behind every random decision, so a run replays exactly. */
  seed: number;
  /** Added delay before each Graph / upload request is handled: a fixed ms or [min, max]. */
  latencyMs: number | [number, number];
  /** Socket-level pace for upload request bodies and response bodies, bytes/s; 0 = unlimited. */
  bandwidthBytesPerSec: number;
  /** "shared": one budget (per direction) for all connections, as one uplink; "connection": one each. */
  bandwidthScope: "shared" | "connection";
  /** Destroy the socket part-way through a range body. */
  dropConnection: DropConnectionFault | null;
  /** Go silent without closing the connection (a Wi-Fi hand-over, a hung proxy): see StallFault. */
  stall: StallFault | null;
  /** Act on a request, then destroy the socket before its answer: see LostAnswerFault. */
  lostAnswer: LostAnswerFault | null;
  /** Answer a share of requests with an error status before handling them. */
  statusRate: StatusRateFault | null;
  /** Answer the next requests matching a rule with an error status ("next 3 PUTs answer 503"). */
  script: ScriptedFault[];
}

export type FaultTarget = "upload" | "graph" | "any";

export interface DropConnectionFault {
  /** Which range PUT to cut: the nth (1-based) seen after this was configured, or a seeded random share. */
  putNumber?: number;
  probability?: number;
  /** Bytes of the body read before the socket is destroyed; "random" picks one inside the range. */
  afterBytes: number | "random";
  /** How many drops before the fault disarms (default 1 with putNumber, unlimited with probability). */
  count?: number;
}

/**
 * A request the emulator never answers; its socket is released when the client aborts (or the
 * emulator restarts / closes). `create`: a createUploadSession (before any session exists).
 * `answer`: a range PUT whose body was read in full (stored or not, per `commit`), then silence.
 * `mid-body`: a range PUT the emulator stops reading after `afterBytes` (nothing committed).
 */
export interface StallFault {
  on: "create" | "answer" | "mid-body";
  /** How many stalls before the fault disarms (default 1). */
  count?: number;
  /** Which range PUT (1-based, counted since `faults` was set) for answer / mid-body; default: the first seen. */
  putNumber?: number;
  /** Instead of putNumber: a seeded random share of the matching requests. */
  probability?: number;
  /** mid-body: bytes of the body read before the emulator stops reading (default 0). */
  afterBytes?: number | "random";
  /** answer: whether the range was stored before the silence (default false). */
  commit?: boolean;
}

/**
 * The server did what was asked, then the connection dropped before a byte of its answer: the
 * client cannot tell whether it happened. `createLink`: the sharing link is made (or the existing one
 * found), then the socket is destroyed; the link stays, so a retry gets it back with 200 (docs:
 * "If a sharing link of the specified type already exists for the app, the existing sharing link is
 * returned").
 */
export interface LostAnswerFault {
  on: "createLink";
  /** How many answers to lose before the fault disarms (default 1). */
  count?: number;
}

export interface StatusRateFault {
  rate: number;
  statuses: number[];
  retryAfterSeconds?: number;
  target?: FaultTarget;
  methods?: string[];
}

export interface ScriptedFault {
  status: number;
  count: number;
  retryAfterSeconds?: number;
  target?: FaultTarget;
  methods?: string[];
}

/** The OneDrive subset (drive-*.ts): its documented rules, each behind a switch. */
export interface DriveConfig {
  /** Refuse a range of 60 MiB or more, and a range but the last that is not a multiple of 320 KiB (docs). */
  enforceRangeRules: boolean;
  /** Answer to a middle range: 202 Accepted (docs) or 200. */
  middleStatus: 202 | 200;
  /** Answer to the range (or commit POST) that completes the file: 201 or 200 (docs: either). */
  finalStatus: 201 | 200;
  /** A folder missing in a createUploadSession path: created, or 404 itemNotFound (undocumented). */
  missingFolder: "create" | "notFound";
  /** The user's OneDrive quota in bytes (507 quotaLimitReached beyond it). */
  quotaBytes: number;
  /** Largest file a session accepts (docs: 250 GB). */
  maxFileBytes: number;
  /** Link scopes the tenant's sharing policy allows; createLink for another answers 403 accessDenied. */
  linkScopes: Array<"organization" | "users" | "anonymous">;
  /** Session lifetime, extended by each accepted range (docs); 404 after. */
  sessionTtlSeconds: number;
  /** Whether `GET {uploadUrl}` answers the session status (documented for OneDrive). */
  getStatus: boolean;
  /** `…/content`: the bytes at once, or 302 to a pre-authenticated download URL (as the docs say). */
  contentRedirect: boolean;
}

export interface EmulatorConfig {
  /** `NextExpectedRanges` / `ExpirationDateTime` (pascal, as in the docs' example) or camelCase. */
  rangeCasing: "pascal" | "camel";
  /**
   * `"2097152"` (bare, as in the docs' example), `"2097152-"` (dashed), or `"2097152-3483321"`
   * (explicit: start-end of what is missing), the forms a client must parse (uploadsession.md).
   */
  rangeForm: "bare" | "dashed" | "explicit";
  /** API version segment of uploadUrl and Location: v2.0 (docs), beta, gv1.0 (seen in practice). */
  apiVersion: "v2.0" | "beta" | "gv1.0";
  /** Host of uploadUrl: the loopback address or the name "localhost" (both reach the upload origin). */
  uploadHost: "127.0.0.1" | "localhost";
  /**
   * A hostile Graph (issue #15): when set, createUploadSession hands out uploadUrls on this origin
   * (e.g. `http://outlook.office.com`, or a loopback port nothing of the emulator's listens on) instead of
   * the upload origin. A client must refuse such a URL before a byte leaves. "" (default): the upload origin.
   */
  uploadUrlOrigin: string;
  /** Origin written into Location: the upload origin, or https://outlook.office.com as in the docs. */
  locationHost: "upload-origin" | "outlook.office.com";
  /** `Users('…')/Messages('…')/Attachments('…')` (docs) or all lower case. */
  pathCasing: "pascal" | "lower";
  /** Whether `GET {uploadUrl}` answers the session status (documented for OneDrive only). */
  getStatus: boolean;
  /** 403 on createUploadSession for shared / delegated mailboxes (Graph known issue). */
  sharedMailbox403: boolean;
  /**
   * Whether the upload origin lists `Location` in Access-Control-Expose-Headers. Undocumented for Outlook's
   * upload host: off, browser JavaScript cannot read the 201's Location (the attachment must be found by listing).
   */
  exposeLocation: boolean;
  /** An expired session's URL answers 401 InvalidAuthenticationToken (its token expired with it) instead of 410. */
  expiredUploadUrl401: boolean;
  /** Items created from now on answer 404 ErrorItemNotFound for this long (cached-mode drafts). */
  itemInvisibleSeconds: number;
  /**
   * A small-file POST's attachment is stored and answered, but left out of this many listings of
   * its item: a server still storing a POST when a client asks (GET by id and `$value` see it).
   */
  postHiddenFromListings: number;
  /** Reported `size` of a stored attachment: the raw byte count, or inflated like the docs' example. */
  reportedSize: "raw" | "inflated";
  /** Multiplier applied to bytes when checking the tenant's message size (4/3 models base64 MIME). */
  messageSizeFactor: number;
  sessionTtlSeconds: number;
  chunkCapBytes: number;
  maxMessageSizeBytes: number;
  sessionMinBytes: number;
  sessionMaxBytes: number;
  smallPostBodyBytes: number;
  faults: FaultConfig;
  drive: DriveConfig;
}

export const DEFAULT_FAULTS: FaultConfig = {
  seed: 1,
  latencyMs: 0,
  bandwidthBytesPerSec: 0,
  bandwidthScope: "shared",
  dropConnection: null,
  stall: null,
  lostAnswer: null,
  statusRate: null,
  script: [],
};

export const DEFAULT_DRIVE: DriveConfig = {
  enforceRangeRules: true,
  middleStatus: 202,
  finalStatus: 201,
  missingFolder: "notFound",
  quotaBytes: DEFAULT_LIMITS.driveQuotaBytes,
  maxFileBytes: DEFAULT_LIMITS.driveMaxFileBytes,
  linkScopes: ["organization", "users", "anonymous"],
  sessionTtlSeconds: DEFAULT_LIMITS.sessionTtlSeconds,
  getStatus: true,
  contentRedirect: false,
};

export const DEFAULT_CONFIG: EmulatorConfig = {
  rangeCasing: "pascal",
  rangeForm: "bare",
  apiVersion: "v2.0",
  uploadHost: "127.0.0.1",
  uploadUrlOrigin: "",
  locationHost: "upload-origin",
  pathCasing: "pascal",
  getStatus: false,
  sharedMailbox403: true,
  exposeLocation: true,
  expiredUploadUrl401: false,
  itemInvisibleSeconds: 0,
  postHiddenFromListings: 0,
  reportedSize: "inflated",
  messageSizeFactor: 1,
  sessionTtlSeconds: DEFAULT_LIMITS.sessionTtlSeconds,
  chunkCapBytes: DEFAULT_LIMITS.chunkCapBytes,
  maxMessageSizeBytes: DEFAULT_LIMITS.maxMessageSizeBytes,
  sessionMinBytes: DEFAULT_LIMITS.sessionMinBytes,
  sessionMaxBytes: DEFAULT_LIMITS.sessionMaxBytes,
  smallPostBodyBytes: DEFAULT_LIMITS.smallPostBodyBytes,
  faults: DEFAULT_FAULTS,
  drive: DEFAULT_DRIVE,
};

export type ConfigPatch = Partial<Omit<EmulatorConfig, "faults" | "drive">> & {
  faults?: Partial<FaultConfig>;
  drive?: Partial<DriveConfig>;
};

const ENUMS: Partial<Record<keyof EmulatorConfig, readonly string[]>> = {
  rangeCasing: ["pascal", "camel"],
  rangeForm: ["bare", "dashed", "explicit"],
  apiVersion: ["v2.0", "beta", "gv1.0"],
  uploadHost: ["127.0.0.1", "localhost"],
  locationHost: ["upload-origin", "outlook.office.com"],
  pathCasing: ["pascal", "lower"],
  reportedSize: ["raw", "inflated"],
};

/** Returns a new config with the patch applied, or throws an Error naming the bad field. */
export function applyConfigPatch(current: EmulatorConfig, patch: ConfigPatch): EmulatorConfig {
  if (typeof patch !== "object" || patch === null)
    throw new Error("The config patch must be an object.");
  const next: EmulatorConfig = {
    ...current,
    faults: { ...current.faults },
    drive: { ...current.drive },
  };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "faults") {
      next.faults = { ...next.faults, ...(value as Partial<FaultConfig>) };
      validateFaults(next.faults);
      continue;
    }
    if (key === "drive") {
      next.drive = applyDrivePatch(next.drive, value as Partial<DriveConfig>);
      continue;
    }
    if (!(key in DEFAULT_CONFIG)) throw new Error(`Unknown config field "${key}".`);
    const field = key as keyof EmulatorConfig;
    const allowed = ENUMS[field];
    const expectedType = typeof DEFAULT_CONFIG[field];
    if (allowed ? !allowed.includes(value as string) : typeof value !== expectedType) {
      throw new Error(
        `Bad value for "${key}": ${JSON.stringify(value)}${allowed ? ` (one of ${allowed.join(", ")})` : ""}.`
      );
    }
    if (typeof value === "number" && (!Number.isFinite(value) || value < 0)) {
      throw new Error(`Bad value for "${key}": ${value}.`);
    }
    if (field === "uploadUrlOrigin" && value !== "" && !isHttpOrigin(value as string)) {
      throw new Error(
        `Bad value for "${key}": ${JSON.stringify(value)} (an http(s) origin or "").`
      );
    }
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

function validateFaults(faults: FaultConfig): void {
  if (!Number.isInteger(faults.seed)) throw new Error("faults.seed must be an integer.");
  const latency = faults.latencyMs;
  if (!(typeof latency === "number" || (Array.isArray(latency) && latency.length === 2))) {
    throw new Error("faults.latencyMs must be a number or [min, max].");
  }
  if (typeof faults.bandwidthBytesPerSec !== "number" || faults.bandwidthBytesPerSec < 0) {
    throw new Error("faults.bandwidthBytesPerSec must be a number ≥ 0.");
  }
  if (faults.bandwidthScope !== "shared" && faults.bandwidthScope !== "connection") {
    throw new Error('faults.bandwidthScope must be "shared" or "connection".');
  }
  const drop = faults.dropConnection;
  if (drop && drop.putNumber === undefined && drop.probability === undefined) {
    throw new Error("faults.dropConnection needs putNumber or probability.");
  }
  validateStall(faults.stall);
  validateLostAnswer(faults.lostAnswer);
  if (
    faults.statusRate &&
    (!Array.isArray(faults.statusRate.statuses) || faults.statusRate.statuses.length === 0)
  ) {
    throw new Error("faults.statusRate.statuses must list at least one status.");
  }
  if (!Array.isArray(faults.script)) throw new Error("faults.script must be an array.");
}

const DRIVE_CHOICES: Partial<Record<keyof DriveConfig, readonly unknown[]>> = {
  middleStatus: [202, 200],
  finalStatus: [201, 200],
  missingFolder: ["create", "notFound"],
};
const LINK_SCOPES = ["organization", "users", "anonymous"];

function applyDrivePatch(current: DriveConfig, patch: Partial<DriveConfig>): DriveConfig {
  if (typeof patch !== "object" || patch === null) throw new Error("drive must be an object.");
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in DEFAULT_DRIVE)) throw new Error(`Unknown config field "drive.${key}".`);
    const field = key as keyof DriveConfig;
    const choices = DRIVE_CHOICES[field];
    const ok = choices
      ? choices.includes(value)
      : field === "linkScopes"
        ? Array.isArray(value) && value.every((s) => LINK_SCOPES.includes(s as string))
        : typeof value === typeof DEFAULT_DRIVE[field] &&
          (typeof value !== "number" || (Number.isFinite(value) && value >= 0));
    if (!ok) {
      throw new Error(
        `Bad value for "drive.${key}": ${JSON.stringify(value)}${choices ? ` (one of ${choices.join(", ")})` : ""}.`
      );
    }
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

function validateStall(stall: StallFault | null | undefined): void {
  if (stall === null || stall === undefined) return;
  if (typeof stall !== "object" || !["create", "answer", "mid-body"].includes(stall.on)) {
    throw new Error('faults.stall.on must be "create", "answer" or "mid-body".');
  }
  const positive = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 1);
  if (!positive(stall.count)) throw new Error("faults.stall.count must be an integer ≥ 1.");
  if (!positive(stall.putNumber)) throw new Error("faults.stall.putNumber must be an integer ≥ 1.");
  const p = stall.probability;
  if (p !== undefined && !(typeof p === "number" && p >= 0 && p <= 1)) {
    throw new Error("faults.stall.probability must be a number from 0 to 1.");
  }
  const after = stall.afterBytes;
  if (after !== undefined && after !== "random" && !(Number.isInteger(after) && after >= 0)) {
    throw new Error('faults.stall.afterBytes must be an integer ≥ 0 or "random".');
  }
  if (stall.commit !== undefined && typeof stall.commit !== "boolean") {
    throw new Error("faults.stall.commit must be a boolean.");
  }
}

function validateLostAnswer(lost: LostAnswerFault | null | undefined): void {
  if (lost === null || lost === undefined) return;
  if (typeof lost !== "object" || lost.on !== "createLink") {
    throw new Error('faults.lostAnswer.on must be "createLink".');
  }
  if (lost.count !== undefined && !(Number.isInteger(lost.count) && lost.count >= 1)) {
    throw new Error("faults.lostAnswer.count must be an integer ≥ 1.");
  }
}
