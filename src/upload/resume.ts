// Resume across restarts: a serialisable record of a session and the rule for trusting it.
import type { ResumeRecord, UploadFile, UploadTarget } from "./types";

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
 * A record may be continued when it is version 1, describes this very file (name, size,
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
  if (!record || record.version !== 1) return false;
  if (!fingerprintMatches(record, file) || !targetMatches(record, target)) return false;
  if (!Number.isSafeInteger(record.offset) || record.offset < 0 || record.offset >= file.size)
    return false;
  const expires = Date.parse(record.expirationDateTime);
  if (Number.isNaN(expires)) return false;
  return expires - now > safetyMarginMs;
}

export function createResumeRecord(
  file: UploadFile,
  target: UploadTarget,
  session: { uploadUrl: string; expirationDateTime: string; offset: number; createdAt: string },
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
