// Unfinished uploads a reloaded pane can continue: the engine's resume records for this item, kept
// by resume-storage.ts, turned into offers; the record a re-picked file may continue; and the
// session an offer the user discards leaves behind on the server.
import { DEFAULT_UPLOAD_OPTIONS } from "../../upload/options";
import { canResume, canResumeDrive } from "../../upload/resume";
import { discardSession } from "../../upload/transport";
import type { DriveTarget, RangeTransport, ResumeRecord, UploadFile } from "../../upload/types";
import type { ComposeTarget } from "./host";
import { ResumeStore, fingerprintOf, type KeyValueStorage } from "./resume-storage";

export interface ResumeOffer {
  fingerprint: string;
  name: string;
  size: number;
  offset: number;
  expired: boolean;
  /** "drive": the file was being shared to OneDrive (it could not be attached); "session" otherwise. */
  route: "session" | "drive";
}

export interface ResumeOffersDeps {
  storage?: KeyValueStorage;
  /** The signed-in user: records are kept under their key, and none without one. */
  user?: string;
  transport?: RangeTransport;
  now: () => number;
  resumeSafetyMarginMs?: number;
  deleteTimeoutMs?: number;
  /** Where this pane shares files: a drive record continues only into the same drive and folder. */
  drive?: Pick<DriveTarget, "graphBaseUrl" | "drive" | "folder">;
}

export function createResumeOffers(deps: ResumeOffersDeps, target: ComposeTarget) {
  const item = { mailbox: target.mailbox, itemKind: target.kind, itemId: target.restId };
  const records = new ResumeStore(deps.storage, { user: deps.user ?? "", ...item });
  const margin = deps.resumeSafetyMarginMs ?? DEFAULT_UPLOAD_OPTIONS.resumeSafetyMarginMs;
  const recordFor = (fingerprint: string) =>
    records.list().find((r) => fingerprintOf(r.file) === fingerprint);

  return {
    /** Persists what the engine hands the queue (null: the session is done or gone). */
    onRecord(file: UploadFile, record: ResumeRecord | null) {
      if (record) records.put(record);
      else records.remove(fingerprintOf(file));
    },

    /** The offers to show once the item is known. */
    load(): ResumeOffer[] {
      const at = deps.now();
      return records.list().map((record) => ({
        fingerprint: fingerprintOf(record.file),
        name: record.file.name,
        size: record.file.size,
        offset: record.offset,
        expired: !(Date.parse(record.expirationDateTime) - at > margin),
        route: record.route ?? "session",
      }));
    },

    recordFor,

    /** The record `file` continues, if its session is still good; an expired one is forgotten (start over). */
    take(file: UploadFile): ResumeRecord | undefined {
      const fingerprint = fingerprintOf(file);
      const record = recordFor(fingerprint);
      const usable =
        record?.route === "drive"
          ? !!deps.drive && canResumeDrive(record, file, deps.drive, deps.now(), margin)
          : canResume(record, file, item, deps.now(), margin);
      if (record && usable) return record;
      records.remove(fingerprint);
      return undefined;
    },

    discard(fingerprint: string) {
      const record = recordFor(fingerprint);
      records.remove(fingerprint);
      // Best effort: an abandoned session would otherwise hold its bytes until it expires.
      // A record the start-up sweep found expired has no upload URL left: nothing to delete.
      if (record?.uploadUrl && deps.transport) {
        const { transport, deleteTimeoutMs } = deps;
        void discardSession(record.uploadUrl, { transport, deleteTimeoutMs });
      }
    },
  };
}

export type ResumeOffers = ReturnType<typeof createResumeOffers>;
