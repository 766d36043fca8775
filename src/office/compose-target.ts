import { asyncResultToPromise } from "./async-result";
import {
  ItemIdUnavailableError,
  MeetingSaveDeclinedError,
  OfficeCallError,
  ReadModeError,
} from "./errors";
import type { OutlookHostOptions } from "./options";
import {
  currentItem,
  isSetSupported,
  mailboxOf,
  platformName,
  type ComposeItemLike,
  type OfficeLike,
} from "./office-types";

/** The open item as Graph addresses it. */
export interface ComposeTarget {
  kind: "message" | "event";
  /** REST (Graph) id of the item. */
  restId: string;
  /** "me", or the owner's SMTP address for a shared/delegate mailbox (→ /users/{mailbox}/...). */
  mailbox: "me" | string;
  subject?: string;
  isShared: boolean;
  /** True when the adapter had to save the item to get its id: Graph may answer 404 until Outlook syncs it. */
  justSaved: boolean;
}

export interface ComposeTargetRequest {
  /**
   * Asked before the adapter saves a meeting that has attendees: saving an existing meeting sends an update
   * to added or removed attendees, and a new one lands on the calendar. Resolve false to stop.
   * Without it, such a save is treated as declined (the adapter never saves a meeting silently).
   */
  confirmMeetingSave?: () => Promise<boolean>;
}

// Mobile clients (Outlook on iOS/Android) already hand out REST-formatted ids; converting them again breaks them.
const PLATFORMS_WITH_REST_IDS = new Set(["iOS", "Android"]);

export async function getComposeTarget(
  office: OfficeLike,
  request: ComposeTargetRequest,
  options: OutlookHostOptions
): Promise<ComposeTarget> {
  const item = currentItem(office);
  // Compose items can be saved; read-mode items cannot (MessageRead/AppointmentRead have no saveAsync).
  if (!item || typeof item.saveAsync !== "function") throw new ReadModeError();

  const kind = item.itemType === "appointment" ? "event" : "message";
  const { id, justSaved } = await resolveItemId(office, item, kind, request, options);
  const restId = toRestId(office, id);
  const { mailbox, isShared } = await resolveMailbox(office, item, options);
  const subject = await readSubject(item);
  return { kind, restId, mailbox, ...(subject ? { subject } : {}), isShared, justSaved };
}

async function resolveItemId(
  office: OfficeLike,
  item: ComposeItemLike,
  kind: "message" | "event",
  request: ComposeTargetRequest,
  options: OutlookHostOptions
): Promise<{ id: string; justSaved: boolean }> {
  // getItemIdAsync (Mailbox 1.8) answers ItemNotSaved for a new draft; a missing API means an older client.
  let id = await tryGetItemId(item);
  let justSaved = false;
  let attempts = 1;
  if (!id) {
    if (kind === "event" && (await meetingHasAttendees(item))) {
      const confirmed = request.confirmMeetingSave ? await request.confirmMeetingSave() : false;
      if (!confirmed) throw new MeetingSaveDeclinedError();
    }
    id = await save(item);
    justSaved = true;
  }
  // Outlook on Mac has answered "succeeded" with an empty id; ask again a bounded number of times.
  for (const delay of options.emptyIdRetryDelaysMs) {
    if (id) break;
    await options.sleep(delay);
    attempts += 1;
    id =
      (await tryGetItemId(item)) ??
      (typeof item.getItemIdAsync === "function" ? "" : await save(item));
  }
  if (!id) throw new ItemIdUnavailableError(attempts);
  return { id, justSaved };
}

/** The item's EWS id if Outlook will tell us without saving; null when unsaved, empty, or unsupported. */
async function tryGetItemId(item: ComposeItemLike): Promise<string | null> {
  if (typeof item.getItemIdAsync !== "function") return null;
  try {
    const id = await asyncResultToPromise<string>("getItemIdAsync", (cb) =>
      item.getItemIdAsync!(cb)
    );
    return id || null;
  } catch (error) {
    if (error instanceof OfficeCallError) return null; // ItemNotSaved (or a client quirk): saving resolves both
    throw error;
  }
}

async function save(item: ComposeItemLike): Promise<string> {
  const id = await asyncResultToPromise<string>("saveAsync", (cb) => item.saveAsync!(cb));
  return id ?? "";
}

async function meetingHasAttendees(item: ComposeItemLike): Promise<boolean> {
  const lists = [item.requiredAttendees, item.optionalAttendees];
  for (const list of lists) {
    const attendees = await readRecipients(list);
    // When a client cannot tell us, assume there are attendees: asking once is cheaper than a surprise update.
    if (attendees === null || attendees.length > 0) return true;
  }
  return false;
}

async function readRecipients(list: unknown): Promise<unknown[] | null> {
  if (Array.isArray(list)) return list;
  const getAsync = (
    list as { getAsync?: (cb: (r: Office.AsyncResult<unknown[]>) => void) => void } | undefined
  )?.getAsync;
  if (typeof getAsync !== "function") return list === undefined ? [] : null;
  try {
    const value = await asyncResultToPromise<unknown[]>("attendees.getAsync", (cb) =>
      getAsync.call(list, cb)
    );
    return Array.isArray(value) ? value : [];
  } catch {
    return null;
  }
}

function toRestId(office: OfficeLike, id: string): string {
  if (PLATFORMS_WITH_REST_IDS.has(platformName(office))) return id;
  const mailbox = mailboxOf(office);
  const v2 = office?.MailboxEnums?.RestVersion?.v2_0 ?? ("v2.0" as Office.MailboxEnums.RestVersion);
  let converted: string | null | undefined;
  try {
    if (mailbox && typeof mailbox.convertToRestId === "function")
      converted = mailbox.convertToRestId(id, v2);
  } catch {
    converted = undefined; // a client that throws instead of answering: convert by hand below
  }
  // New Outlook for Mac has answered null (office-js #5875); the raw EWS id would make Graph answer 400/404.
  return converted || ewsToRestId(id);
}

/**
 * The REST form of an EWS item id: the same base64 text made URL-safe ("/" → "-", "+" → "_"), which is what
 * convertToRestId returns on the clients where it works. Used only when the client gives no answer.
 */
export function ewsToRestId(ewsId: string): string {
  return ewsId.replace(/\//g, "-").replace(/\+/g, "_");
}

async function resolveMailbox(
  office: OfficeLike,
  item: ComposeItemLike,
  options: OutlookHostOptions
): Promise<{ mailbox: string; isShared: boolean }> {
  // Shared folders and shared mailboxes (Mailbox 1.8): Graph must address the owner's mailbox, /users/{owner}.
  if (
    !isSetSupported(office, "Mailbox", "1.8") ||
    typeof item.getSharedPropertiesAsync !== "function"
  ) {
    return { mailbox: "me", isShared: false };
  }
  let owner: string | undefined;
  try {
    const props = await asyncResultToPromise<Office.SharedProperties>(
      "getSharedPropertiesAsync",
      (cb) => item.getSharedPropertiesAsync!(cb)
    );
    // `owner` is the mailbox's SMTP address; `targetMailbox` is a REST location that "may differ based on the
    // Outlook client", so it is only a fallback for a client that leaves `owner` out.
    owner = props?.owner || props?.targetMailbox;
  } catch {
    return { mailbox: "me", isShared: false }; // not a shared item
  }
  if (!owner) return { mailbox: "me", isShared: false };
  // Compared with the account that signs in to Graph, not userProfile.emailAddress: in Outlook on the web's
  // "open another mailbox", userProfile *is* the other mailbox, and /me would then be the wrong one.
  const self = await signedInAccount(office, options);
  if (self && owner.toLowerCase() === self.toLowerCase()) return { mailbox: "me", isShared: false };
  return { mailbox: owner, isShared: true };
}

/**
 * The account Graph tokens are issued for: the injected reader, else Office's NAA auth context
 * (`Office.auth.getAuthContext`, NestedAppAuth 1.1), else — only when neither answers — userProfile.
 * Bounded: a host that never answers must not hold the pane on "Getting the open item…".
 */
async function signedInAccount(
  office: OfficeLike,
  options: OutlookHostOptions
): Promise<string | undefined> {
  const fromHost = async (): Promise<string | undefined> => {
    if (options.signedInAccount) return options.signedInAccount();
    const auth = (office as { auth?: { getAuthContext?: () => Promise<Office.AuthContext> } })
      ?.auth;
    if (
      !isSetSupported(office, "NestedAppAuth", "1.1") ||
      typeof auth?.getAuthContext !== "function"
    )
      return undefined;
    const context = await auth.getAuthContext();
    return context?.userPrincipalName || context?.loginHint || undefined;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), options.accountLookupTimeoutMs);
  });
  const account = await Promise.race([fromHost().catch(() => undefined), timeout]);
  clearTimeout(timer);
  return account || mailboxOf(office)?.userProfile?.emailAddress || undefined;
}

async function readSubject(item: ComposeItemLike): Promise<string | undefined> {
  const subject = item.subject;
  if (typeof subject === "string") return subject || undefined;
  if (!subject || typeof subject.getAsync !== "function") return undefined;
  try {
    const value = await asyncResultToPromise<string>("subject.getAsync", (cb) =>
      subject.getAsync!(cb)
    );
    return value || undefined;
  } catch {
    return undefined; // the subject is decoration; never fail the target over it
  }
}
