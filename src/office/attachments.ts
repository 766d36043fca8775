import { asyncResultToPromise } from "./async-result";
import { currentItem, isSetSupported, mailboxOf, type OfficeLike } from "./office-types";

export type AttachmentVisibility = "visible" | "not-yet-visible" | "unsupported";

export interface AttachmentRef {
  /** Graph (REST) id of the attachment, from the upload's Location header or the POST answer. */
  attachmentId?: string;
  name: string;
  /** Bytes uploaded; narrows the name match when ids cannot be compared. */
  size?: number;
}

/**
 * Whether the compose form lists an attachment that was added through Graph. The form refreshes from the
 * server on its own schedule, so "not-yet-visible" is a normal answer right after an upload.
 */
export async function verifyAttachmentVisible(
  office: OfficeLike,
  ref: AttachmentRef
): Promise<AttachmentVisibility> {
  const item = currentItem(office);
  // getAttachmentsAsync on compose items is Mailbox 1.8.
  if (
    !item ||
    typeof item.getAttachmentsAsync !== "function" ||
    !isSetSupported(office, "Mailbox", "1.8")
  )
    return "unsupported";
  let attachments: Office.AttachmentDetailsCompose[];
  try {
    attachments =
      (await asyncResultToPromise("getAttachmentsAsync", (cb) => item.getAttachmentsAsync!(cb))) ??
      [];
  } catch {
    return "unsupported";
  }
  if (ref.attachmentId) {
    const wanted = idForms(office, ref.attachmentId);
    if (attachments.some((a) => idForms(office, a.id).some((form) => wanted.includes(form))))
      return "visible";
  }
  // Compose-mode attachment ids are EWS-style or client-local and may not convert to the REST id Graph gave us,
  // so a file attachment with the same name (and size, when both are known) counts as the one we uploaded.
  const byName = attachments.some(
    (a) =>
      a.name === ref.name &&
      (a.attachmentType === undefined || String(a.attachmentType) === "file") &&
      (ref.size === undefined || typeof a.size !== "number" || a.size >= ref.size)
  );
  return byName ? "visible" : "not-yet-visible";
}

/** An id in every form we can compare: as given, converted to REST, converted to EWS. */
function idForms(office: OfficeLike, id: string): string[] {
  const forms = new Set([id]);
  const mailbox = mailboxOf(office);
  const v2 = office?.MailboxEnums?.RestVersion?.v2_0 ?? ("v2.0" as Office.MailboxEnums.RestVersion);
  for (const convert of [mailbox?.convertToRestId, mailbox?.convertToEwsId]) {
    if (typeof convert !== "function") continue;
    try {
      const converted = convert.call(mailbox, id, v2);
      if (converted) forms.add(converted);
    } catch {
      // Not an id this client can convert (e.g. a client-local compose id); the other forms still count.
    }
  }
  return [...forms];
}
