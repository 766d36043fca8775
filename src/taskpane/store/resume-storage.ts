// The engine's resume records, kept in localStorage per signed-in user and Outlook item so that a
// reloaded pane (Outlook reloads it when the user switches items) can offer to continue. The records hold
// pre-authenticated upload URLs, so they are kept no longer than they can be used: every start-up sweeps
// every record key, dropping the upload URL of records past their session's expiry, and whole records
// older than 24 h, malformed ones and those of any other user of this browser profile
// (docs/RELIABILITY.md, "What the pane keeps").
import type { ResumeRecord } from "../../upload/types";

/** `key`/`length` enumerate the keys for the start-up sweep; without them only this item's key is read. */
export type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem"> &
  Partial<Pick<Storage, "key" | "length">>;

/** Every key this module ever wrote starts so; v1 keys (before records named their user) have no owner. */
const FAMILY = "large-attach:resume:";
const PREFIX = `${FAMILY}v2:`;

/** A record is never kept longer than this after its session was created, whatever its expiry says. */
export const MAX_RECORD_AGE_MS = 24 * 60 * 60_000;
/** An expiry further than this after creation is no real session's (the year-275760 default of old). */
const MAX_CLAIMED_LIFETIME_MS = 30 * 24 * 60 * 60_000;
/** Clocks differ a little between this machine and the server that dated the session. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface ItemRef {
  /** The signed-in user (Office's userProfile.emailAddress): records are theirs only. */
  user: string;
  mailbox: string;
  itemKind: "message" | "event";
  itemId: string;
}

export function storageKey(item: ItemRef) {
  return `${PREFIX}${encodeURIComponent(item.user.toLowerCase())}|${item.mailbox.toLowerCase()}|${item.itemKind}|${item.itemId}`;
}

/** The user part of a v2 key, or undefined for a key that names none. */
function userOfKey(key: string): string | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const user = key.slice(PREFIX.length).split("|")[0];
  try {
    return decodeURIComponent(user) || undefined;
  } catch {
    return undefined;
  }
}

export function fingerprintOf(file: { name: string; size: number; lastModified?: number }) {
  return `${file.name}|${file.size}|${file.lastModified ?? ""}`;
}

/** Worth keeping at `now`: well-dated, created (not in the future) under 24 h ago, a believable expiry. */
function isRecent(record: ResumeRecord, now: number): boolean {
  const created = Date.parse(record.createdAt);
  const expires = Date.parse(record.expirationDateTime);
  if (!Number.isFinite(created) || !Number.isFinite(expires)) return false;
  if (created > now + CLOCK_SKEW_MS || now - created >= MAX_RECORD_AGE_MS) return false;
  return expires - created <= MAX_CLAIMED_LIFETIME_MS;
}

/**
 * What the sweep keeps of a recent record: all of it while its session lives; once the session has
 * expired, only what the "expired — pick the file again to start over" offer needs, without the upload
 * URL (the secret is dropped; an offer without one can only start over).
 */
function swept(record: ResumeRecord, now: number): ResumeRecord {
  return Date.parse(record.expirationDateTime) > now ? record : { ...record, uploadUrl: "" };
}

/**
 * The start-up sweep over every resume key: other users' and ownerless keys are removed whole; in the
 * signed-in user's, records that are malformed, 24 h old or claim a far-future expiry are dropped, and
 * those whose session has expired lose their upload URL. Without a known user nothing can be told apart
 * by owner, so only the per-record rules apply.
 */
export function sweepResumeRecords(
  storage: KeyValueStorage | undefined,
  user: string | undefined,
  now: number
): void {
  try {
    if (!storage || typeof storage.key !== "function") return;
    const keys: string[] = [];
    for (let i = 0; i < (storage.length ?? 0); i++) {
      const key = storage.key(i);
      if (key?.startsWith(FAMILY)) keys.push(key);
    }
    for (const key of keys) {
      const owner = userOfKey(key);
      if (!owner || (user && owner !== user.toLowerCase())) storage.removeItem(key);
      else {
        const kept = readRecords(storage, key).filter((r) => isRecent(r, now));
        writeRecords(
          storage,
          key,
          kept.map((r) => swept(r, now))
        );
      }
    }
  } catch {
    // Storage blocked mid-way: what was not swept now is swept at the next start-up.
  }
}

function readRecords(storage: KeyValueStorage | undefined, key: string): ResumeRecord[] {
  try {
    const raw = storage?.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
  } catch {
    return [];
  }
}

function writeRecords(storage: KeyValueStorage | undefined, key: string, records: ResumeRecord[]) {
  try {
    if (records.length === 0) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(records));
  } catch {
    // Storage full or blocked (private mode): resume after reload is a convenience, not a must.
  }
}

export class ResumeStore {
  /** No signed-in user known: nothing is kept (a record nobody owns could be read by anybody). */
  private readonly key: string | undefined;
  constructor(
    private readonly storage: KeyValueStorage | undefined,
    item: ItemRef
  ) {
    this.key = item.user ? storageKey(item) : undefined;
  }

  list(): ResumeRecord[] {
    return this.key ? readRecords(this.storage, this.key) : [];
  }

  put(record: ResumeRecord) {
    const key = fingerprintOf(record.file);
    this.write([...this.list().filter((r) => fingerprintOf(r.file) !== key), record]);
  }

  remove(fingerprint: string) {
    this.write(this.list().filter((r) => fingerprintOf(r.file) !== fingerprint));
  }

  private write(records: ResumeRecord[]) {
    if (this.key) writeRecords(this.storage, this.key, records);
  }
}

function isRecord(value: unknown): value is ResumeRecord {
  const r = value as ResumeRecord;
  return (
    typeof r === "object" &&
    r !== null &&
    r.version === 1 &&
    typeof r.uploadUrl === "string" &&
    typeof r.file?.name === "string" &&
    typeof r.file?.size === "number" &&
    typeof r.expirationDateTime === "string" &&
    typeof r.createdAt === "string" &&
    typeof r.offset === "number"
  );
}
