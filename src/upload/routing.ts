// Which route a file takes, decided before any network call.
import { RestrictionError } from "./errors";
import type { UploadFile, UploadRoute } from "./types";

/** Graph: files under 3 MiB go in one POST; upload sessions refuse anything smaller. */
export const SMALL_FILE_LIMIT = 3 * 1024 * 1024; // 3,145,728
/** Graph's maximum request body: the whole small-file JSON (base64 included) must fit. */
export const REQUEST_BODY_LIMIT = 4 * 1024 * 1024; // 4,194,304
/** Largest attachment an upload session accepts: 150 MiB. */
export const MAX_ATTACHMENT_SIZE = 150 * 1024 * 1024; // 157,286,400

export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/**
 * The small-file POST body. Built with empty contentBytes it is the envelope whose length
 * chooseRoute adds the base64 length to: one definition, so the size check matches what is sent.
 */
export function smallFileBody(file: Pick<UploadFile, "name" | "type">, contentBytes = ""): string {
  return JSON.stringify({
    "@odata.type": "#microsoft.graph.fileAttachment",
    name: file.name,
    contentType: file.type || DEFAULT_CONTENT_TYPE,
    contentBytes,
  });
}

/** UTF-8 length of the small-file POST body, computed without encoding the file. */
export function smallFileBodyLength(file: Pick<UploadFile, "name" | "type" | "size">): number {
  return new TextEncoder().encode(smallFileBody(file)).length + base64Length(file.size);
}

/**
 * "post" under 3 MiB when the encoded body fits 4 MiB — zero-byte files included (Graph's POST
 * takes empty contentBytes, while a session refuses anything under 3 MiB); "session" up to
 * 150 MiB; a RestrictionError otherwise.
 */
/** The engine's own routes ("form" is the pane's, injected into the queue). */
export type EngineRoute = Exclude<UploadRoute, "form" | "drive">;

/** OneDrive's largest file: 250 GB (268,435,456,000 bytes). */
export const MAX_DRIVE_FILE_SIZE = 250 * 1024 * 1024 * 1024;

/**
 * The drive route's refusals before any network call: no name, an unreadable size, 0 bytes (a
 * session needs a range, and an empty file always fits the item), over 250 GB.
 */
export function checkDriveFile(file: Pick<UploadFile, "name" | "size">): void {
  checkNameAndSize(file);
  if (file.size === 0) {
    throw new RestrictionError(
      "invalid-size",
      `"${file.name}" is empty; an empty file is attached, not shared as a OneDrive link.`
    );
  }
  if (file.size > MAX_DRIVE_FILE_SIZE) {
    throw new RestrictionError(
      "too-large",
      `"${file.name}" is ${file.size} bytes; OneDrive takes files up to 250 GB (268,435,456,000 bytes).`
    );
  }
}

function checkNameAndSize(file: Pick<UploadFile, "name" | "size">) {
  if (!file.name || file.name.trim() === "") {
    throw new RestrictionError("empty-name", "The file has no name; Outlook attachments need one.");
  }
  if (!Number.isSafeInteger(file.size) || file.size < 0) {
    throw new RestrictionError("invalid-size", "The file's size cannot be read.");
  }
}

export function chooseRoute(file: Pick<UploadFile, "name" | "type" | "size">): EngineRoute {
  checkNameAndSize(file);
  if (file.size > MAX_ATTACHMENT_SIZE) {
    throw new RestrictionError(
      "too-large",
      `"${file.name}" is ${file.size} bytes; Outlook attachments are limited to 150 MB (157,286,400 bytes). ` +
        "Share it as a OneDrive link instead."
    );
  }
  if (file.size < SMALL_FILE_LIMIT && smallFileBodyLength(file) <= REQUEST_BODY_LIMIT)
    return "post";
  // Files just under 3 MiB whose base64 body no longer fits 4 MiB (from ~3,145,6xx bytes, the
  // exact point depends on the name) cannot take the POST; they take a session. Graph documents
  // sessions "from 3 MB", and the emulator accepts them; should a tenant refuse, the HttpError
  // carries ErrorAttachmentSizeShouldNotBeLessThanMinimumSize.
  return "session";
}
