// The engine's resume records, kept in localStorage per Outlook item so that a reloaded pane (Outlook
// reloads it when the user switches items) can offer to continue. The records hold pre-authenticated
// upload URLs: they stay in this origin's storage and are never shown or logged.
import type { ResumeRecord } from "../../upload/types";

export type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const PREFIX = "large-attach:resume:v1:";

export interface ItemRef {
  mailbox: string;
  itemKind: "message" | "event";
  itemId: string;
}

export function storageKey(item: ItemRef) {
  return `${PREFIX}${item.mailbox.toLowerCase()}|${item.itemKind}|${item.itemId}`;
}

export function fingerprintOf(file: { name: string; size: number; lastModified?: number }) {
  return `${file.name}|${file.size}|${file.lastModified ?? ""}`;
}

export class ResumeStore {
  constructor(
    private readonly storage: KeyValueStorage | undefined,
    private readonly item: ItemRef
  ) {}

  list(): ResumeRecord[] {
    try {
      const raw = this.storage?.getItem(storageKey(this.item));
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
    } catch {
      return [];
    }
  }

  put(record: ResumeRecord) {
    const key = fingerprintOf(record.file);
    this.write([...this.list().filter((r) => fingerprintOf(r.file) !== key), record]);
  }

  remove(fingerprint: string) {
    this.write(this.list().filter((r) => fingerprintOf(r.file) !== fingerprint));
  }

  private write(records: ResumeRecord[]) {
    try {
      if (records.length === 0) this.storage?.removeItem(storageKey(this.item));
      else this.storage?.setItem(storageKey(this.item), JSON.stringify(records));
    } catch {
      // Storage full or blocked (private mode): resume after reload is a convenience, not a must.
    }
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
    typeof r.file?.size === "number"
  );
}
