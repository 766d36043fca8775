// The one defaults object (after tus-js-client's lib/options.ts).
import { abortableSleep } from "./retry";
import type { LinkChoice, UploadOptions } from "./types";

/**
 * 12 × 320 KiB. Graph caps a range at 4 MiB and OneDrive-style hosts want multiples of 320 KiB;
 * the largest such multiple under 4 MiB means the fewest requests (per-request overhead is the
 * cost to beat on a fast link) while leaving headroom under the cap.
 */
export const DEFAULT_CHUNK_SIZE = 3_932_160;

/** OneDrive's range unit: every range but the last must be a multiple of it (320 KiB). */
export const DRIVE_RANGE_UNIT = 327_680;
/** OneDrive's range limit: a range must be under 60 MiB. */
export const DRIVE_RANGE_LIMIT = 60 * 1024 * 1024;

/** OneDrive's largest range: the largest 320 KiB multiple under 60 MiB, 191 × 327,680 = 62,586,880. */
export const DRIVE_RANGE_MAX =
  (Math.ceil(DRIVE_RANGE_LIMIT / DRIVE_RANGE_UNIT) - 1) * DRIVE_RANGE_UNIT;

/**
 * 32 × 320 KiB = 10 MiB: the drive route's first range, and its smallest, when `driveChunkSize`
 * is not set (then each next range is sized by `adaptiveDriveRangeSize`, drive-rules.ts, to take
 * about DRIVE_RANGE_TARGET_MS, up to DRIVE_RANGE_MAX). src/upload/README.md, "Drive range size",
 * has the rule and the measurements.
 */
export const DEFAULT_DRIVE_CHUNK_SIZE = 32 * DRIVE_RANGE_UNIT;

/**
 * How long an adaptive drive range should take at the throughput measured on the ranges before:
 * long enough that a request's latency is a small share of it (40 ms is 1 % of 4 s), short enough
 * that a dropped or stalled range re-sends only a few seconds of transfer.
 */
export const DRIVE_RANGE_TARGET_MS = 4_000;

/** The drive route's own defaults: the add-in's folder and the link asked for. */
export const DEFAULT_SHARE_OPTIONS: {
  readonly folder: string;
  readonly link: Readonly<LinkChoice>;
} = Object.freeze({
  folder: "Attachments",
  link: Object.freeze({ type: "view", scope: "organization" } as const),
});

/**
 * Where Graph's upload sessions live: Outlook's upload host in the worldwide cloud and the
 * documented national clouds (US Government GCC High / DoD, China operated by 21Vianet), and the
 * OneDrive / SharePoint hosts a later link route uploads to. Anything else handed over as an
 * uploadUrl is refused before a byte is sent: the URL is a bearer secret, and the file's bytes go
 * wherever it points. Extend it by configuration (the pane's `uploadOrigins`, the CLI's
 * `--upload-origin`), e.g. for the local emulator.
 */
export const DEFAULT_UPLOAD_ORIGINS: readonly string[] = [
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook.office365.us",
  "https://outlook-dod.office365.us",
  "https://partner.outlook.cn",
  "https://*.sharepoint.com",
  "https://*.sharepoint.us",
  "https://*.sharepoint.cn",
  "https://api.onedrive.com",
];

/** The defaults plus `extra` origins (the emulator's, a tenant's own host). */
export function withUploadOrigins(...extra: string[]): string[] {
  return [...DEFAULT_UPLOAD_ORIGINS, ...extra];
}

export const DEFAULT_UPLOAD_OPTIONS: UploadOptions = {
  chunkSize: DEFAULT_CHUNK_SIZE,
  // driveChunkSize: unset, i.e. adaptive (DEFAULT_DRIVE_CHUNK_SIZE first, then sized to the link).
  // Six retries per request, doubling from 1 s; with full jitter the expected total wait is ~30 s,
  // enough to ride out a throttling burst or a Wi-Fi hand-over without hanging for minutes.
  retryDelays: [1_000, 2_000, 4_000, 8_000, 16_000, 30_000],
  maxRetryDelayMs: 60_000,
  maxSessionRestarts: 2,
  itemWaitMs: 0,
  maxStalledRanges: 3,
  resumeSafetyMarginMs: 60_000,
  deleteTimeoutMs: 5_000,
  // Uppy's uploaders abort a request that shows no upload progress for 30 s and retry it: long
  // enough for a congested uplink to move a byte, short enough that a Wi-Fi hand-over or a hung
  // proxy is noticed while the user still waits. It also bounds the wait for answer bytes.
  stallTimeoutMs: 30_000,
  // Graph may take a moment to commit the last range of a large file before its 201: a minute,
  // at most, before a silent answer counts as a dropped connection.
  answerTimeoutMs: 60_000,
  allowedUploadOrigins: [...DEFAULT_UPLOAD_ORIGINS],
  fetch: (...args) => globalThis.fetch(...args),
  sleep: abortableSleep,
  random: Math.random,
  now: Date.now,
};

export function resolveOptions(partial: Partial<UploadOptions> = {}): UploadOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const options = { ...DEFAULT_UPLOAD_OPTIONS, ...defined } as UploadOptions;
  if (
    !Number.isSafeInteger(options.chunkSize) ||
    options.chunkSize < 1 ||
    options.chunkSize > 4 * 1024 * 1024
  ) {
    throw new RangeError("chunkSize must be an integer between 1 and 4,194,304 bytes.");
  }
  const drive = options.driveChunkSize;
  if (
    drive !== undefined &&
    (!Number.isSafeInteger(drive) ||
      drive < DRIVE_RANGE_UNIT ||
      drive % DRIVE_RANGE_UNIT !== 0 ||
      drive >= DRIVE_RANGE_LIMIT)
  ) {
    throw new RangeError(
      "driveChunkSize must be a multiple of 327,680 bytes (320 KiB) under 62,914,560 (60 MiB)."
    );
  }
  for (const origin of options.allowedUploadOrigins) checkOriginPattern(origin);
  return options;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** An allowed-origin entry: `https://host[:port]`, `https://*.domain`, or http on a loopback host. */
function checkOriginPattern(pattern: string) {
  const match = /^(https?):\/\/(\*\.)?([^/:]+)(:\d+)?$/i.exec(pattern);
  const ok =
    match && (match[1].toLowerCase() === "https" || (!match[2] && LOOPBACK.test(match[3])));
  if (!ok) {
    throw new RangeError(
      `allowedUploadOrigins: "${pattern}" must be https://host, https://*.domain or http on a loopback host.`
    );
  }
}

/** Is `url` an https URL (or http on an explicitly allowed loopback origin) on an allowed upload origin? */
export function uploadOriginAllowed(url: URL, allowed: readonly string[]): boolean {
  const origin = url.origin.toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase().replace(/\/+$/, "");
    if (!p.includes("*")) return p === origin;
    const suffix = p.slice(p.indexOf("*") + 1); // ".sharepoint.com"
    return (
      url.protocol === "https:" &&
      url.port === "" &&
      url.hostname.endsWith(suffix) &&
      url.hostname.length > suffix.length
    );
  });
}
