// Every number the emulator enforces, in one place. Where Microsoft documents a figure, the
// comment names the source; where it does not, the figure is our choice and the README says so.

export const KiB = 1024;
export const MiB = 1024 * 1024;

export const DEFAULT_LIMITS = {
  /**
   * Smallest size createUploadSession accepts. The docs say "3 MB", but the service has been
   * measured accepting sessions from 2 MiB (2,097,152 bytes) upwards, so that is the default:
   * a client that routes 2–3 MB files through a session must keep working here as it does there.
   */
  sessionMinBytes: 2 * MiB,
  /** Largest attachment a session accepts: "up to 150 MB" (attachment-createuploadsession.md). */
  sessionMaxBytes: 157_286_400,
  /** Largest range one PUT may carry: "up to 4 MB each time" (attachment-createuploadsession.md). */
  chunkCapBytes: 4 * MiB,
  /** Largest request body for the small-file POST: Graph's 4 MB request limit (message-post-attachments.md). */
  smallPostBodyBytes: 4 * MiB,
  /** Tenant maximum message size; 150 MB is the most an admin can set, 35 MB the out-of-the-box value. */
  maxMessageSizeBytes: 157_286_400,
  /** Lifetime of an upload session. Not documented for Outlook; the expiry never moves (docs). */
  sessionTtlSeconds: 900,
  /** Bytes per OneDrive range but the last must be a multiple of this: 320 KiB (driveitem-createuploadsession.md). */
  driveRangeMultiple: 327_680,
  /** A OneDrive range must be under this: "less than 60 MiB" (driveitem-createuploadsession.md). */
  driveRangeMaxBytes: 60 * MiB,
  /** Largest OneDrive file: 250 GB (OneDrive/SharePoint file size limit), as 250 × 1024³ bytes. */
  driveMaxFileBytes: 250 * 1024 * MiB,
  /** OneDrive quota: 1 TB, the OneDrive for Business default per user, as 1024⁴ bytes. */
  driveQuotaBytes: 1024 * 1024 * MiB,
  /** Largest JSON body for the other Graph endpoints (drafts, events, createUploadSession). */
  jsonBodyBytes: 1 * MiB,
} as const;

// Exchange's "MB" in MaxSendSize / MaxReceiveSize is 1024 × 1024 bytes (150 MB = 153,600 KB =
// 157,286,400 bytes), so "MB" means MiB here too; give a plain number for decimal sizes.
const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: KiB,
  kb: KiB,
  kib: KiB,
  m: MiB,
  mb: MiB,
  mib: MiB,
  g: 1024 * MiB,
  gb: 1024 * MiB,
  gib: 1024 * MiB,
};

/** Parses "35MB", "150 MB", "4MiB", "2097152" (see UNITS). */
export function parseByteSize(text: string | number): number {
  if (typeof text === "number") return text;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) throw new Error(`Not a byte size: ${JSON.stringify(text)}`);
  const factor = UNITS[match[2].toLowerCase()];
  if (factor === undefined) throw new Error(`Unknown size unit in ${JSON.stringify(text)}`);
  return Math.round(Number(match[1]) * factor);
}
