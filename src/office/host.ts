import {
  verifyAttachmentVisible,
  type AttachmentRef,
  type AttachmentVisibility,
} from "./attachments";
import { canRecordAttachments, recordAttached, type AttachedFile } from "./attached-record";
import { getComposeTarget, type ComposeTarget, type ComposeTargetRequest } from "./compose-target";
import { createComposeFormRoute, type ComposeFormRoute } from "./form-route";
import { DEFAULT_OUTLOOK_HOST_OPTIONS, type OutlookHostOptions } from "./options";
import { isSetSupported, mailboxOf, type OfficeLike } from "./office-types";

export interface OutlookHost {
  getComposeTarget(opts?: ComposeTargetRequest): Promise<ComposeTarget>;
  verifyAttachmentVisible(ref: AttachmentRef): Promise<AttachmentVisibility>;
  theme(): "light" | "dark";
  /** Office display language, e.g. "en-US", "zh-CN". */
  locale(): string;
  /** The signed-in user's SMTP address (userProfile.emailAddress); resume records are kept per user. */
  signedInUser(): string | undefined;
  /** Pinned task panes stay open while the user switches items; the listener runs on each switch. */
  onItemChanged(listener: () => void): () => void;
  /** The compose form's own attach API for the files it can take (form-route.ts). */
  composeFormRoute?(target: ComposeTarget): ComposeFormRoute;
  /** Remembers a file attached through Graph for the Send guard (SessionData); false where unsupported. */
  recordAttached?(target: ComposeTarget, file: AttachedFile): Promise<boolean>;
  /** Whether Outlook runs the Send guard here (Smart Alerts, Mailbox 1.12, and SessionData for its record). */
  canGuardSend?(): boolean;
}

export function createOutlookHost(
  office: OfficeLike,
  options: Partial<OutlookHostOptions> = {}
): OutlookHost {
  const settings: OutlookHostOptions = { ...DEFAULT_OUTLOOK_HOST_OPTIONS, ...options };
  return {
    getComposeTarget: (opts = {}) => getComposeTarget(office, opts, settings),
    verifyAttachmentVisible: (ref) => verifyAttachmentVisible(office, ref),
    theme: () => themeOf(office),
    locale: () => office?.context?.displayLanguage || "en-US",
    signedInUser: () => mailboxOf(office)?.userProfile?.emailAddress || undefined,
    onItemChanged: (listener) => subscribeItemChanged(office, listener),
    composeFormRoute: (target) => createComposeFormRoute(office, target),
    recordAttached: (target, file) => recordAttached(office, target, file),
    canGuardSend: () => isSetSupported(office, "Mailbox", "1.12") && canRecordAttachments(office),
  };
}

function themeOf(office: OfficeLike): "light" | "dark" {
  const theme = office?.context?.officeTheme;
  if (!theme) return "light";
  if (typeof theme.isDarkTheme === "boolean") return theme.isDarkTheme ? "dark" : "light";
  const luminance = relativeLuminance(theme.bodyBackgroundColor);
  return luminance !== null && luminance < 0.5 ? "dark" : "light";
}

/** 0 (black) … 1 (white) for "#rgb" / "#rrggbb"; null when the value is not a hex colour. */
export function relativeLuminance(color: string | undefined): number | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((color ?? "").trim());
  if (!match) return null;
  const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join("") : match[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// Office keeps one handler per event type (removeHandlerAsync drops them all), so the host registers a single
// handler and fans out to its own listeners.
function subscribeItemChanged(office: OfficeLike, listener: () => void): () => void {
  const mailbox = mailboxOf(office);
  // ItemChanged (Mailbox 1.5) exists only where the pane can be pinned; elsewhere there is nothing to listen to.
  if (!mailbox || typeof mailbox.addHandlerAsync !== "function") return () => {};
  const eventType =
    office?.EventType?.ItemChanged ?? ("olkItemSelectedChanged" as unknown as Office.EventType);
  let listeners = itemChangedListeners.get(mailbox);
  if (!listeners) {
    const set = new Set<() => void>();
    listeners = set;
    itemChangedListeners.set(mailbox, set);
    mailbox.addHandlerAsync(
      eventType,
      () => [...set].forEach((l) => l()),
      () => {}
    );
  }
  const registered = listeners;
  registered.add(listener);
  return () => {
    registered.delete(listener);
    if (registered.size === 0 && itemChangedListeners.get(mailbox) === registered) {
      itemChangedListeners.delete(mailbox);
      if (typeof mailbox.removeHandlerAsync === "function")
        mailbox.removeHandlerAsync(eventType, () => {});
    }
  };
}

const itemChangedListeners = new WeakMap<object, Set<() => void>>();
