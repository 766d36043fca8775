// The Send guard (Smart Alerts, OnMessageSend / OnAppointmentSend, Mailbox 1.12): before the item leaves, check
// through Graph that every file this add-in attached through Graph is still on the server item, with its size.
// The compose form keeps its own copy of the draft and can save it over ours (classic Outlook force-saves;
// Outlook on the web saves with a change key and conflicts), so a file can vanish without anyone being told.
// Docs: https://learn.microsoft.com/office/dev/add-ins/outlook/onmessagesend-onappointmentsend-events
import {
  readAttachedRecord,
  type AttachedFile,
  type AttachedRecord,
} from "../office/attached-record";
import { isSetSupported, type OfficeLike } from "../office/office-types";
import type { TokenProvider } from "../upload/types";

export interface SendGuardOptions {
  office: OfficeLike;
  graphBaseUrl: string;
  tokenFor(shared: boolean): TokenProvider;
  fetch: typeof fetch;
  /**
   * The whole check, token and Graph call included. Outlook shows "taking longer than expected" after 5 s and
   * times the add-in out after 5 minutes; a Graph call that hangs must end long before that.
   */
  timeoutMs: number;
  /** Task-pane button id (in both manifests) that "Attach again" opens: Smart Alerts commandId, Mailbox 1.14. */
  paneCommandId?: string;
}

export type SendDecision = Office.SmartAlertsEventCompletedOptions;

/** The Smart Alerts button that opens the pane (the "Take Action" button, or "Don't Send" on older clients). */
const ATTACH_AGAIN = "Attach again";

export async function decideSend(options: SendGuardOptions): Promise<SendDecision> {
  const record = await readAttachedRecord(options.office).catch(() => null);
  if (!record || record.files.length === 0) return { allowEvent: true };
  let missing: AttachedFile[];
  try {
    const signal = AbortSignal.timeout(options.timeoutMs);
    missing = await withDeadline(findMissing(record, options, signal), options.timeoutMs);
  } catch {
    return cannotCheck(options, record);
  }
  if (missing.length === 0) return { allowEvent: true };
  return blockForMissing(options, missing);
}

/** The recorded files the server item no longer holds (matched by id, else by name with at least the size). */
export async function findMissing(
  record: AttachedRecord,
  options: Pick<SendGuardOptions, "graphBaseUrl" | "tokenFor" | "fetch">,
  signal?: AbortSignal
): Promise<AttachedFile[]> {
  const { target } = record;
  const owner = target.mailbox === "me" ? "me" : `users/${encodeURIComponent(target.mailbox)}`;
  const collection = target.kind === "event" ? "events" : "messages";
  const url = `${options.graphBaseUrl}/${owner}/${collection}/${encodeURIComponent(target.restId)}/attachments?$select=id,name,size`;
  const token = await options.tokenFor(target.isShared)();
  const response = await options.fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw new Error(`Graph answered ${response.status}`);
  const body = (await response.json()) as { value?: { id: string; name: string; size: number }[] };
  const onServer = body.value ?? [];
  return record.files.filter(
    (file) =>
      !onServer.some(
        (a) =>
          (file.attachmentId !== undefined && a.id === file.attachmentId) ||
          (a.name === file.name && a.size >= file.size)
      )
  );
}

function blockForMissing(options: SendGuardOptions, missing: AttachedFile[]): SendDecision {
  const one = missing.length === 1;
  const names = missing.map((f) => `“${f.name}”`).join(", ");
  // Smart Alerts' commandId (a task-pane button both manifests declare) and cancelLabel are Mailbox 1.14;
  // elsewhere the dialog has no button of ours, so the message itself says what to do.
  const offerPane =
    Boolean(options.paneCommandId) && isSetSupported(options.office, "Mailbox", "1.14");
  const next = offerPane
    ? `Select ${ATTACH_AGAIN} to open Large Attach and attach ${one ? "it" : "them"} again.`
    : `Don't send yet — attach ${one ? "it" : "them"} again with Large Attach.`;
  const errorMessage =
    `${names} ${one ? "is" : "are"} no longer attached: Outlook saved its own copy of the ` +
    `draft over ${one ? "it" : "them"}. ${next}`;
  const decision: SendDecision = { allowEvent: false, errorMessage: errorMessage.slice(0, 500) };
  if (offerPane) {
    decision.cancelLabel = ATTACH_AGAIN;
    decision.commandId = options.paneCommandId;
  }
  return decision;
}

/**
 * The check could not finish (offline, Graph slow or down, no silent token). Decision: let the user choose
 * (send mode override to "prompt user", Mailbox 1.14) with the files named, instead of holding the mail
 * hostage; on older clients allow the send — a guard that can block every send while Graph is unreachable
 * would be worse than the loss it guards against, and the pane has already said where the files are.
 */
function cannotCheck(options: SendGuardOptions, record: AttachedRecord): SendDecision {
  if (!isSetSupported(options.office, "Mailbox", "1.14")) return { allowEvent: true };
  const names = record.files.map((f) => `“${f.name}”`).join(", ");
  return {
    allowEvent: false,
    errorMessage:
      `Large Attach could not check that ${names} ${record.files.length === 1 ? "is" : "are"} still attached (no answer from Microsoft 365 in time). Send anyway only if the message shows ${record.files.length === 1 ? "it" : "them"}.`.slice(
        0,
        500
      ),
    sendModeOverride: "promptUser" as Office.MailboxEnums.SendModeOverride,
  };
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("deadline")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}
