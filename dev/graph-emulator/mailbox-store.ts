// Mailboxes, their drafts/events and attachment metadata, all in memory. Attachment bytes live
// in files (storage.ts); this module only knows their path and SHA-256.
import { guid, outlookId } from "./ids";
import { errors } from "./errors";

export type ItemKind = "message" | "event";

export interface StoredAttachment {
  id: string;
  name: string;
  contentType: string;
  /** Bytes actually stored (what `$value` returns). */
  size: number;
  isInline: boolean;
  contentId?: string;
  lastModifiedDateTime: string;
  sha256: string;
  filePath: string;
  /** Listings of the item that still leave it out (config `postHiddenFromListings`). */
  hiddenListings?: number;
}

export interface Item {
  id: string;
  kind: ItemKind;
  mailbox: Mailbox;
  createdDateTime: string;
  /** Graph answers 404 ErrorItemNotFound until then (classic Outlook cached mode). */
  visibleAt: number;
  properties: Record<string, unknown>;
  attachments: Map<string, StoredAttachment>;
}

export interface Mailbox {
  id: string;
  tenantId: string;
  address: string;
  displayName: string;
  /** Users other than the owner who may act on this mailbox (shared / delegated access). */
  delegates: Set<string>;
  items: Map<string, Item>;
}

export const TENANT_ID = "72aa88bf-76f0-494f-91ab-2d7cd730db47";

export class MailboxStore {
  private readonly byAddress = new Map<string, Mailbox>();
  private readonly byId = new Map<string, Mailbox>();

  /** The signed-in user's own mailbox, created on first use. */
  own(user: string): Mailbox {
    return this.byAddress.get(user.toLowerCase()) ?? this.create(user, []);
  }

  create(address: string, delegates: string[], displayName?: string): Mailbox {
    const key = address.toLowerCase();
    const existing = this.byAddress.get(key);
    if (existing) {
      for (const d of delegates) existing.delegates.add(d.toLowerCase());
      if (displayName) existing.displayName = displayName;
      return existing;
    }
    const mailbox: Mailbox = {
      id: guid(),
      tenantId: TENANT_ID,
      address: key,
      displayName: displayName ?? key.split("@")[0],
      delegates: new Set(delegates.map((d) => d.toLowerCase())),
      items: new Map(),
    };
    this.byAddress.set(key, mailbox);
    this.byId.set(mailbox.id, mailbox);
    return mailbox;
  }

  /**
   * Resolves `me` or a `users/{id | upn}` segment for the signed-in user. `delegated` is true
   * when the user acts on someone else's mailbox (shared or delegated access).
   */
  resolve(segment: "me" | string, user: string): { mailbox: Mailbox; delegated: boolean } {
    const own = this.own(user);
    if (segment === "me") return { mailbox: own, delegated: false };
    const key = segment.toLowerCase();
    const bare = key.split("@")[0];
    const mailbox =
      this.byAddress.get(key) ??
      this.byId.get(key) ??
      this.byId.get(bare) ??
      (key === own.id ? own : undefined);
    if (!mailbox) throw errors.invalidUser(segment);
    if (mailbox === own) return { mailbox, delegated: false };
    if (!mailbox.delegates.has(user)) throw errors.accessDenied();
    return { mailbox, delegated: true };
  }

  createItem(
    mailbox: Mailbox,
    kind: ItemKind,
    properties: Record<string, unknown>,
    invisibleSeconds: number
  ): Item {
    const now = Date.now();
    const item: Item = {
      id: outlookId(),
      kind,
      mailbox,
      createdDateTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z"),
      visibleAt: now + invisibleSeconds * 1000,
      properties,
      attachments: new Map(),
    };
    mailbox.items.set(item.id, item);
    return item;
  }

  /** An item as Graph sees it: unknown, of the other kind, or not yet synced → 404 ErrorItemNotFound. */
  visibleItem(mailbox: Mailbox, kind: ItemKind, id: string): Item {
    const item = mailbox.items.get(id);
    if (!item || item.kind !== kind || item.visibleAt > Date.now()) throw errors.itemNotFound();
    return item;
  }

  mailboxes(): Mailbox[] {
    return [...this.byAddress.values()];
  }

  allAttachments(): Array<{ mailbox: Mailbox; item: Item; attachment: StoredAttachment }> {
    const out = [];
    for (const mailbox of this.byAddress.values()) {
      for (const item of mailbox.items.values()) {
        for (const attachment of item.attachments.values()) out.push({ mailbox, item, attachment });
      }
    }
    return out;
  }

  clear(): void {
    this.byAddress.clear();
    this.byId.clear();
  }
}

/** Raw bytes already attached to an item (what counts against the tenant's message size). */
export function attachedBytes(item: Item): number {
  let total = 0;
  for (const a of item.attachments.values()) total += a.size;
  return total;
}
