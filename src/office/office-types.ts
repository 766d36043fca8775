// The slice of Office.js the adapters use, typed loosely on purpose: every member we call is checked
// at run time because clients differ (Mailbox requirement sets, mobile vs desktop), and tests hand in
// office-addin-mock objects rather than the real `Office` namespace.

export type OfficeLike = typeof Office;

/** Compose-mode item as the adapters see it; any member may be missing on a given client. */
export interface ComposeItemLike {
  itemType?: string;
  saveAsync?: (callback: (result: Office.AsyncResult<string>) => void) => void;
  getItemIdAsync?: (callback: (result: Office.AsyncResult<string>) => void) => void;
  getSharedPropertiesAsync?: (
    callback: (result: Office.AsyncResult<Office.SharedProperties>) => void
  ) => void;
  getAttachmentsAsync?: (
    callback: (result: Office.AsyncResult<Office.AttachmentDetailsCompose[]>) => void
  ) => void;
  subject?:
    string | { getAsync?: (callback: (result: Office.AsyncResult<string>) => void) => void };
  requiredAttendees?: unknown;
  optionalAttendees?: unknown;
}

export function mailboxOf(office: OfficeLike): Office.Mailbox | undefined {
  return office?.context?.mailbox;
}

export function currentItem(office: OfficeLike): ComposeItemLike | undefined {
  return mailboxOf(office)?.item as unknown as ComposeItemLike | undefined;
}

export function isSetSupported(office: OfficeLike, name: string, version: string): boolean {
  const requirements = office?.context?.requirements;
  if (!requirements || typeof requirements.isSetSupported !== "function") return false;
  try {
    return Boolean(requirements.isSetSupported(name, version));
  } catch {
    return false;
  }
}

/** `Office.context.diagnostics.platform` compared by name, so it works with the real enum and with mocks. */
export function platformName(office: OfficeLike): string {
  const platform = office?.context?.diagnostics?.platform as unknown;
  return typeof platform === "string" ? platform : "";
}
