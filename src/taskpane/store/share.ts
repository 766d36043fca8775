// The OneDrive route as the pane sees it (DESIGN.md §2b, issue #12): why a file cannot be attached
// and may be shared as a link instead, what the per-user setting decides, and putting the link into
// the message once — and only once — the file is in OneDrive and its link exists. The upload itself
// is the engine's queue's (route "drive"); the body insertion and the setting are src/office's.
import { MessageSizeExceededError, RestrictionError } from "../../upload/errors";
import type { LinkToInsert, SharePreferences, ShareSetting } from "../../office";
import { canShareFile, type QueueFileState } from "../../upload/queue";
import type { LinkType, ShareResult, TokenProvider } from "../../upload/types";
import type { NoticeInput } from "./restrictions";

export type { ShareSetting };

/** Why a file goes (or may go) to OneDrive rather than onto the item. */
export type ShareReason =
  | "too-large" // over Outlook's 150 MB
  | "over-limit" // the item's projected size over the tenant limit (configured or learned)
  | "size-exceeded" // Graph answered ErrorMessageSizeExceeded part-way
  | "shared-mailbox"; // 3 MB or more in a shared mailbox, which Graph refuses

/** What the pane needs to share: the drive token (Files.ReadWrite, asked on first share), the body, the setting. */
export interface ShareDeps {
  getToken: TokenProvider;
  /** Folder under the user's OneDrive root (the engine's default "Attachments" when absent). */
  folder?: string;
  insertLink(link: LinkToInsert): Promise<{ coercion: "html" | "text" }>;
  /** The user's choices (roaming settings, with a fallback): ask or always, view or edit. */
  loadPreferences(): SharePreferences;
  savePreferences(change: Partial<SharePreferences>): Promise<void>;
  /**
   * A "Share as a link" is on screen: fetch and start what sharing needs (MSAL and its NAA client,
   * the drive route's code) while the user decides. Asks for no token and no consent.
   */
  preload?(): void;
}

/** The link's way into the message: being inserted, in the body (as HTML or text), or refused. */
export type LinkPlacement =
  { state: "inserting" } | { state: "inserted"; coercion: "html" | "text" } | { state: "failed" };

export interface ShareView {
  /** False when the host gives the pane no way to share (then refusals are plain notices, as before). */
  available: boolean;
  setting: ShareSetting;
  linkType: LinkType;
}

/** The pick-time refusals the OneDrive route answers (a duplicate or a nameless file it does not). */
export function pickShareReason(notice: NoticeInput): ShareReason | undefined {
  return notice.kind === "too-large" || notice.kind === "over-limit" ? notice.kind : undefined;
}

/** Why a row the item refused for good (the engine's canShareFile) may be shared instead. */
export function failureShareReason(
  file: Pick<QueueFileState, "phase" | "error" | "route" | "size">
): ShareReason | undefined {
  if (!canShareFile(file)) return undefined;
  const error = file.error;
  if (error instanceof MessageSizeExceededError) return "size-exceeded";
  if (error instanceof RestrictionError && error.reason === "too-large") return "too-large";
  return "shared-mailbox"; // SharedMailboxForbiddenError, or the shared-mailbox RestrictionError
}

/** The link as it goes into the body: the stored name (OneDrive may have renamed it), the bytes, the link. */
export function linkToInsert(result: ShareResult): LinkToInsert {
  return { name: result.name, size: result.bytes, url: result.link.webUrl };
}
