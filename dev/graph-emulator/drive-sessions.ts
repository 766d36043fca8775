// OneDrive upload sessions (driveitem-createuploadsession.md): created on the Graph origin, fed
// by range PUTs on the upload origin. Each range is checked before a byte is read (order, total,
// the 320 KiB / 60 MiB rules, and for the last range the quota and the name), streamed to the
// session's file by range-body.ts (the same path, and the same faults, as attachment sessions),
// and committed only when it has arrived whole. The last range (or, with deferCommit, the commit
// POST) turns the file into a driveItem. Each accepted range extends the expiry (docs).
import { createHash, randomUUID, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import type { ContentRange } from "./content-range";
import { driveErrors } from "./drive-errors";
import {
  child,
  storeFile,
  usedBytes,
  type ConflictBehavior,
  type Drive,
  type DriveItem,
} from "./drive-store";
import { secret } from "./ids";
import { DEFAULT_LIMITS } from "./limits";
import { receiveRangeBody, type StallableSession } from "./range-body";
import { uploadOrigin, type EmulatorState } from "./state";
import { sameSecret } from "./upload-sessions";

export interface DriveUploadSession extends StallableSession {
  id: string;
  tempauth: string;
  drive: Drive;
  parent: DriveItem;
  name: string;
  behavior: ConflictBehavior;
  deferCommit: boolean;
  /** The file's size: from `fileSize`, else fixed by the first range's Content-Range total. */
  size: number | null;
  uploadUrl: string;
  createdAt: number;
  expiresAt: number;
  /** Bytes committed, in order: the next expected offset. */
  received: number;
  hash: Hash;
  file: Promise<FileHandle>;
  busy: boolean;
}

export interface NewDriveSession {
  drive: Drive;
  parent: DriveItem;
  name: string;
  behavior: ConflictBehavior;
  deferCommit: boolean;
  fileSize: number | null;
}

/** `silent`: a stalled answer (faults.stall on "answer", commit true): stored, never answered. */
export type DriveRangeOutcome =
  | { kind: "partial"; session: DriveUploadSession; silent: boolean }
  | { kind: "complete"; item: DriveItem; silent: boolean };

export class DriveUploadSessions {
  private readonly sessions = new Map<string, DriveUploadSession>();

  constructor(private readonly state: () => EmulatorState) {}

  /** Checks what can be known before any byte (size, quota, name) and opens the session. */
  create(input: NewDriveSession): DriveUploadSession {
    const state = this.state();
    const { drive, parent, name, behavior, fileSize } = input;
    if (fileSize !== null) this.checkSize(drive, parent, name, behavior, fileSize);
    if (behavior === "fail" && child(parent, name)) throw driveErrors.nameAlreadyExists(name);
    const id = randomUUID();
    const tempauth = secret();
    const now = Date.now();
    const query = `guid='${id}'&overwrite=${behavior === "replace"}&rename=${behavior === "rename"}&dc=0&tempauth=${tempauth}`;
    const session: DriveUploadSession = {
      ...input,
      id,
      tempauth,
      size: fileSize,
      uploadUrl: `${uploadOrigin(state)}/_api/v2.0/drives/${drive.id}/items/${parent.id}/uploadSession?${query}`,
      createdAt: now,
      expiresAt: now + state.config.drive.sessionTtlSeconds * 1000,
      received: 0,
      hash: createHash("sha256"),
      file: state.storage.openSessionFile(`drive-${id}`),
      busy: false,
    };
    session.file.catch(() => undefined); // a failure to open surfaces at the first PUT
    this.sessions.set(id, session);
    return session;
  }

  /** The session an upload URL names, checking its tempauth and expiry (404 after, docs). */
  authorize(id: string, tempauth: string | null): DriveUploadSession {
    const session = this.sessions.get(id);
    if (!session) throw driveErrors.sessionNotFound();
    if (!tempauth || !sameSecret(tempauth, session.tempauth)) throw driveErrors.badTempAuth();
    if (session.expiresAt <= Date.now()) {
      void this.discard(session);
      throw driveErrors.sessionNotFound();
    }
    return session;
  }

  /** Refuses a range before a byte of it is read, so a refused range costs nothing. */
  checkRange(session: DriveUploadSession, range: ContentRange, contentLength: string | undefined) {
    const rules = this.state().config.drive;
    if (contentLength === undefined) {
      throw driveErrors.invalidRequest("A Content-Length header is required.");
    }
    if (Number(contentLength) !== range.length) {
      throw driveErrors.invalidRequest(
        `Content-Length ${contentLength} differs from the range length ${range.length}.`
      );
    }
    const size = session.size ?? range.total;
    if (range.total !== size) throw driveErrors.totalMismatch(range.total, size);
    if (size > rules.maxFileBytes) throw driveErrors.fileTooLarge(rules.maxFileBytes);
    if (range.start < session.received) throw driveErrors.fragmentOverlap(expected(session));
    if (range.start > session.received) throw driveErrors.fragmentOutOfOrder(expected(session));
    const last = range.end + 1 === size;
    if (rules.enforceRangeRules) {
      if (range.length >= DEFAULT_LIMITS.driveRangeMaxBytes) throw driveErrors.fragmentTooLarge();
      if (!last && range.length % DEFAULT_LIMITS.driveRangeMultiple !== 0)
        throw driveErrors.fragmentNotAligned(range.length);
    }
    if (session.busy) throw driveErrors.busy();
    if (last && !session.deferCommit) this.checkCommit(session, size);
  }

  /**
   * Streams one range to the session's file; commits it (and, for the last range, the file)
   * only when it has arrived whole. Rejects with a GraphError or SocketDropped.
   */
  async receive(
    session: DriveUploadSession,
    range: ContentRange,
    req: IncomingMessage
  ): Promise<DriveRangeOutcome> {
    const { rangeHash, silent } = await receiveRangeBody(this.state(), session, range, req);
    if (!this.sessions.has(session.id)) throw driveErrors.sessionNotFound(); // deleted meanwhile
    const size = range.total;
    if (range.end + 1 === size && !session.deferCommit) {
      return { kind: "complete", item: await this.commit(session, size, rangeHash), silent };
    }
    session.size = size;
    session.hash = rangeHash;
    session.received = range.end + 1;
    session.expiresAt = Date.now() + this.state().config.drive.sessionTtlSeconds * 1000;
    return { kind: "partial", session, silent };
  }

  /** deferCommit: the empty POST to the upload URL after the last range (docs). */
  async commitDeferred(session: DriveUploadSession): Promise<DriveItem> {
    if (session.size === null || session.received !== session.size) throw driveErrors.incomplete();
    if (session.busy) throw driveErrors.busy();
    return this.commit(session, session.size, session.hash);
  }

  /** `{expirationDateTime, nextExpectedRanges}` of a session (202 answers and GET status). */
  status(session: DriveUploadSession): Record<string, unknown> {
    const size = session.size;
    const done = size !== null && session.received >= size;
    return {
      expirationDateTime: new Date(session.expiresAt).toISOString(),
      nextExpectedRanges: done ? [] : [`${session.received}-`],
    };
  }

  /** Forgets a session and deletes its bytes (cancel, expiry, restart). */
  async discard(session: DriveUploadSession): Promise<void> {
    if (!this.sessions.delete(session.id)) return;
    const file = await session.file.catch(() => null);
    await file?.close().catch(() => undefined);
    const { storage } = this.state();
    await storage.remove(storage.sessionPath(`drive-${session.id}`));
  }

  async discardAll(): Promise<void> {
    await Promise.all(this.list().map((s) => this.discard(s)));
  }

  list(): DriveUploadSession[] {
    return [...this.sessions.values()];
  }

  /** 507 when the file would not fit the user's quota; 400 over the largest file. */
  private checkSize(
    drive: Drive,
    parent: DriveItem,
    name: string,
    behavior: ConflictBehavior,
    size: number
  ): void {
    const { drive: rules } = this.state().config;
    if (size > rules.maxFileBytes) throw driveErrors.fileTooLarge(rules.maxFileBytes);
    const existing = child(parent, name);
    const freed = behavior === "replace" && existing?.kind === "file" ? existing.size : 0;
    if (usedBytes(drive) - freed + size > rules.quotaBytes) throw driveErrors.quotaLimitReached();
  }

  /** What the service checks when the last byte arrives: the quota and the name (docs). */
  private checkCommit(session: DriveUploadSession, size: number): void {
    if (!session.drive.items.has(session.parent.id)) {
      throw driveErrors.itemNotFound("The folder of this upload session no longer exists.");
    }
    this.checkSize(session.drive, session.parent, session.name, session.behavior, size);
    if (session.behavior === "fail" && child(session.parent, session.name)) {
      throw driveErrors.nameAlreadyExists(session.name);
    }
  }

  private async commit(session: DriveUploadSession, size: number, hash: Hash): Promise<DriveItem> {
    this.checkCommit(session, size); // again: the folder may have changed while the body arrived
    const { storage } = this.state();
    this.sessions.delete(session.id);
    await (await session.file).close();
    const filePath = await storage.promote(`drive-${session.id}`, `drive-${randomUUID()}`);
    const { item, displaced } = storeFile(
      session.drive,
      session.parent,
      session.name,
      session.behavior,
      { size, sha256: hash.digest("hex"), filePath }
    );
    if (displaced) await storage.remove(displaced);
    return item;
  }
}

/** `["{received}-"]`, as the 416's message gives it (GET status gives it as JSON). */
function expected(session: DriveUploadSession): string {
  return `["${session.received}-"]`;
}
