// What this add-in attached to the open item through Graph, kept where the Send guard (the event-based runtime,
// src/commands) can read it: the item's SessionData (Mailbox 1.11). SessionData is per item and per add-in,
// shared by the add-in's task pane and its event handlers for that item, and is not written to the item — so
// the compose form overwriting the server copy cannot erase the record of what it overwrote. Every client
// with Smart Alerts (Mailbox 1.12) has it. Limit: 50,000 characters per item and add-in (2,621,440 from 1.16).
// Sources: https://learn.microsoft.com/javascript/api/outlook/office.sessiondata,
// https://learn.microsoft.com/office/dev/add-ins/outlook/limits-for-activation-and-javascript-api-for-outlook-add-ins
import { asyncResultToPromise } from "./async-result";
import type { ComposeTarget } from "./compose-target";
import { currentItem, type OfficeLike } from "./office-types";

export const ATTACHED_RECORD_KEY = "largeAttach.graphAttachments";

export interface AttachedFile {
  /** Graph id from the upload (may be absent when Location was unreadable; then name + size identify it). */
  attachmentId?: string;
  name: string;
  size: number;
}

export interface AttachedRecord {
  version: 1;
  target: Pick<ComposeTarget, "kind" | "restId" | "mailbox" | "isShared">;
  files: AttachedFile[];
}

interface SessionDataLike {
  getAsync(name: string, cb: (r: Office.AsyncResult<string>) => void): void;
  setAsync(name: string, value: string, cb: (r: Office.AsyncResult<void>) => void): void;
}

function sessionDataOf(office: OfficeLike): SessionDataLike | undefined {
  const data = (currentItem(office) as { sessionData?: Partial<SessionDataLike> } | undefined)
    ?.sessionData;
  return typeof data?.getAsync === "function" && typeof data.setAsync === "function"
    ? (data as SessionDataLike)
    : undefined;
}

/** Whether this client can hand the record to the Send guard at all. */
export function canRecordAttachments(office: OfficeLike): boolean {
  return sessionDataOf(office) !== undefined;
}

export async function readAttachedRecord(office: OfficeLike): Promise<AttachedRecord | null> {
  const data = sessionDataOf(office);
  if (!data) return null;
  let text: string | undefined;
  try {
    text = await asyncResultToPromise<string>("sessionData.getAsync", (cb) =>
      data.getAsync(ATTACHED_RECORD_KEY, cb)
    );
  } catch {
    return null; // no such key yet
  }
  return parseRecord(text);
}

export function parseRecord(text: string | undefined): AttachedRecord | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as AttachedRecord;
    return value?.version === 1 && Array.isArray(value.files) && value.target ? value : null;
  } catch {
    return null;
  }
}

/** Adds one file to the record (the same name replaces an older entry: the user attached it again). */
export async function recordAttached(
  office: OfficeLike,
  target: AttachedRecord["target"],
  file: AttachedFile
): Promise<boolean> {
  const data = sessionDataOf(office);
  if (!data) return false;
  const existing = await readAttachedRecord(office);
  const files = (existing?.files ?? []).filter((f) => f.name !== file.name);
  const record: AttachedRecord = {
    version: 1,
    target: {
      kind: target.kind,
      restId: target.restId,
      mailbox: target.mailbox,
      isShared: target.isShared,
    },
    files: [...files, file],
  };
  await asyncResultToPromise<void>("sessionData.setAsync", (cb) =>
    data.setAsync(ATTACHED_RECORD_KEY, JSON.stringify(record), cb)
  );
  return true;
}
