// Resume across restarts: a serialisable record of a session and the rule for trusting it.
import type { DriveTarget, ResumeRecord, UploadFile, UploadTarget } from "./types";

export function fingerprintMatches(record: ResumeRecord, file: UploadFile): boolean {
  return (
    record.file.name === file.name &&
    record.file.size === file.size &&
    // A record without lastModified only matches a file without one (and vice versa).
    (record.file.lastModified ?? null) === (file.lastModified ?? null)
  );
}

export function targetMatches(
  record: ResumeRecord,
  target: Pick<UploadTarget, "mailbox" | "itemKind" | "itemId">
) {
  return (
    record.target.mailbox.toLowerCase() === target.mailbox.toLowerCase() &&
    record.target.itemKind === target.itemKind &&
    record.target.itemId === target.itemId
  );
}

/**
 * An attachment record (no route, or "session") may be continued when it is version 1, describes this very file (name, size,
 * last-modified) on this very item, its offset lies inside the file, and its session has at
 * least `safetyMarginMs` left — Outlook does not extend a session as ranges arrive, so a session
 * about to expire would fail part-way and waste the bytes sent into it.
 */
export function canResume(
  record: ResumeRecord | null | undefined,
  file: UploadFile,
  target: Pick<UploadTarget, "mailbox" | "itemKind" | "itemId">,
  now: number,
  safetyMarginMs = 60_000
): boolean {
  if (!record || record.route === "drive" || !targetMatches(record, target)) return false;
  return sessionUsable(record, file, now, safetyMarginMs);
}

/**
 * The drive route's rule: a record of route "drive" for this very file into this very folder of
 * this very drive (names compared as OneDrive does, ignoring case), with the same offset and
 * expiry checks. The item the link was meant for does not matter to the upload.
 */
export function canResumeDrive(
  record: ResumeRecord | null | undefined,
  file: UploadFile,
  target: Pick<DriveTarget, "graphBaseUrl" | "drive" | "folder">,
  now: number,
  safetyMarginMs = 60_000
): boolean {
  const drive = record?.drive;
  if (!record || record.route !== "drive" || !drive) return false;
  const same =
    drive.graphBaseUrl === target.graphBaseUrl &&
    drive.drive.toLowerCase() === target.drive.toLowerCase() &&
    normalFolder(drive.folder).toLowerCase() === normalFolder(target.folder).toLowerCase();
  return same && sessionUsable(record, file, now, safetyMarginMs);
}

/** A folder path as segments joined by "/", without empty ones ("/a//b/" → "a/b"). */
export function normalFolder(folder: string): string {
  return folder
    .split("/")
    .filter((segment) => segment.trim() !== "")
    .join("/");
}

/** Version 1, this very file, an offset inside it, and at least `safetyMarginMs` of session left. */
function sessionUsable(
  record: ResumeRecord,
  file: UploadFile,
  now: number,
  safetyMarginMs: number
): boolean {
  if (record.version !== 1 || !fingerprintMatches(record, file)) return false;
  if (!Number.isSafeInteger(record.offset) || record.offset < 0 || record.offset >= file.size)
    return false;
  const expires = Date.parse(record.expirationDateTime);
  if (Number.isNaN(expires)) return false;
  return expires - now > safetyMarginMs;
}

export interface RecordedSession {
  uploadUrl: string;
  expirationDateTime: string;
  offset: number;
  createdAt: string;
}

export function createResumeRecord(
  file: UploadFile,
  target: Pick<UploadTarget, "mailbox" | "itemKind" | "itemId">,
  session: RecordedSession,
  chunkSize: number
): ResumeRecord {
  return {
    version: 1,
    target: { mailbox: target.mailbox, itemKind: target.itemKind, itemId: target.itemId },
    file: {
      name: file.name,
      size: file.size,
      ...(file.lastModified !== undefined ? { lastModified: file.lastModified } : {}),
    },
    uploadUrl: session.uploadUrl,
    expirationDateTime: session.expirationDateTime,
    offset: session.offset,
    chunkSize,
    createdAt: session.createdAt,
  };
}

/**
 * A drive session's record: route "drive", the drive target, and as `target` the item the link is
 * meant for (kept per item like the attachment route's records), else the drive's owner.
 */
export function createDriveResumeRecord(
  file: UploadFile,
  target: DriveTarget,
  session: RecordedSession,
  chunkSize: number
): ResumeRecord {
  const item = target.item ?? { mailbox: target.drive, itemKind: "message", itemId: "" };
  return {
    ...createResumeRecord(file, item, session, chunkSize),
    route: "drive",
    drive: {
      graphBaseUrl: target.graphBaseUrl,
      drive: target.drive,
      folder: normalFolder(target.folder),
    },
  };
}
