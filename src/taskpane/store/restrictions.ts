// Refusals on pick (after Uppy's restrictions: user-facing, separate from transport errors). What a
// file is — its name and size against Outlook's 150 MB — is the engine's route check alone
// (chooseRoute's RestrictionError, mapped to a notice here); what the pane adds is what only it
// knows: the files already in the list, and the item's size against the tenant's limit.
import { RestrictionError } from "../../upload/errors";
import { chooseRoute } from "../../upload/routing";
import type { UploadFile } from "../../upload/types";

export type NoticeInput =
  | { kind: "too-large"; name: string; size: number }
  | { kind: "invalid-size"; name: string }
  | { kind: "over-limit"; name: string; projected: number; limit: number; learned: boolean }
  | { kind: "duplicate"; name: string }
  | { kind: "resume-mismatch"; name: string; expected: string }
  | { kind: "empty-name" };

/** `shareable`: the pane holds the refused file and the notice offers to share it as a link. */
export type Notice = NoticeInput & { id: number; shareable?: boolean };

export interface TenantLimit {
  /** Largest item size (bytes) believed to pass: configured, or learned from a refusal. */
  messageSizeLimit: number;
  /** True once Graph refused with ErrorMessageSizeExceeded and the limit was lowered from it. */
  limitLearned: boolean;
}

export interface PickContext {
  limit: TenantLimit;
  /** Bytes of the files already counted against the item. */
  projected: number;
  /** Fingerprints of files already in the list and not failed or cancelled. */
  present: Set<string>;
  fingerprintOf(file: UploadFile): string;
}

/** The engine's own verdict on a file, as a notice; undefined when it may be uploaded. */
export function restrictionNotice(file: UploadFile): NoticeInput | undefined {
  try {
    chooseRoute(file);
    return undefined;
  } catch (error) {
    if (!(error instanceof RestrictionError)) throw error;
    switch (error.reason) {
      case "empty-name":
        return { kind: "empty-name" };
      case "too-large":
        return { kind: "too-large", name: file.name, size: file.size };
      case "invalid-size":
        return { kind: "invalid-size", name: file.name };
    }
  }
}

/**
 * Splits a pick into the files that may go and a notice for each that may not; `refused` pairs each
 * refused file with its notice, so the pane can offer the OneDrive route for the ones it answers.
 */
export function checkPick(files: UploadFile[], context: PickContext) {
  const accepted: UploadFile[] = [];
  const notices: NoticeInput[] = [];
  const refused: { file: UploadFile; notice: NoticeInput }[] = [];
  const refuse = (file: UploadFile, notice: NoticeInput) => {
    notices.push(notice);
    refused.push({ file, notice });
  };
  let projected = context.projected;
  const present = new Set(context.present);
  const { messageSizeLimit: limit, limitLearned: learned } = context.limit;
  for (const file of files) {
    const fingerprint = context.fingerprintOf(file);
    const restriction = restrictionNotice(file);
    if (restriction) refuse(file, restriction);
    else if (present.has(fingerprint)) refuse(file, { kind: "duplicate", name: file.name });
    else if (projected + file.size > limit) {
      refuse(file, {
        kind: "over-limit",
        name: file.name,
        projected: projected + file.size,
        limit,
        learned,
      });
    } else {
      projected += file.size;
      present.add(fingerprint);
      accepted.push(file);
    }
  }
  return { accepted, notices, refused };
}

export interface Refusal {
  /** What the item held (or was going to hold) besides this file when Graph refused. */
  itemBytes: number;
  /** The refused file's size. */
  size: number;
  /** Bytes of the file the server had accepted when it refused. */
  accepted: number;
  /** True when the refusal answered a range PUT (the session existed), not the session's creation. */
  duringRanges: boolean;
  chunkSize: number;
}

/**
 * The tightest limit the refusal proves. Refused at creation, the server judged the whole file;
 * refused on a range, it judged the item with the bytes it had accepted plus that range. Either
 * way the total it refused is over the limit, so the limit is at most one byte less.
 */
export function learnLimit(current: TenantLimit, refusal: Refusal): TenantLimit {
  const judged = refusal.duringRanges
    ? Math.min(refusal.size, refusal.accepted + refusal.chunkSize)
    : refusal.size;
  const refusedTotal = refusal.itemBytes + judged;
  return {
    messageSizeLimit: Math.min(current.messageSizeLimit, refusedTotal - 1),
    limitLearned: true,
  };
}
