// Upload sessions: created by createUploadSession, fed by range PUTs on the upload origin.
// Each range is streamed straight to the session's file at its offset while a copy of the
// running SHA-256 is updated; only when the whole range has arrived are the offset and the hash
// committed, so a dropped or refused range leaves the session exactly where it was.
import { createHash, timingSafeEqual, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import type { ContentRange } from "./content-range";
import { errors, GraphError } from "./errors";
import { outlookId, secret } from "./ids";
import { attachedBytes, type Item, type StoredAttachment } from "./mailbox-store";
import { receiveRangeBody, type StallableSession } from "./range-body";
import type { EmulatorState } from "./state";
import { uploadOrigin } from "./state";
import { buildLocation, buildUploadUrl } from "./upload-url";

// The range body itself is streamed by range-body.ts (shared with the OneDrive upload URL).
export { SocketDropped } from "./range-body";

export interface AttachmentRequest {
  name: string;
  size: number;
  contentType: string;
  isInline: boolean;
  contentId?: string;
}

export interface UploadSession extends StallableSession {
  id: string;
  authtoken: string;
  item: Item;
  request: AttachmentRequest;
  uploadUrl: string;
  createdAt: number;
  expiresAt: number;
  /** Bytes committed, in order: the next expected offset. */
  received: number;
  hash: Hash;
  file: Promise<FileHandle>;
  /** A range is being read right now (a second concurrent PUT is refused). */
  busy: boolean;
}

/** `silent`: a stalled answer (faults.stall on "answer", commit true): stored, but never answered. */
export type RangeOutcome =
  | { kind: "partial"; session: UploadSession; silent?: boolean }
  | { kind: "complete"; attachment: StoredAttachment; location: string; silent?: boolean };

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly state: () => EmulatorState) {}

  create(item: Item, request: AttachmentRequest): UploadSession {
    const state = this.state();
    const id = outlookId();
    const authtoken = secret();
    const now = Date.now();
    const session: UploadSession = {
      id,
      authtoken,
      item,
      request,
      uploadUrl: buildUploadUrl(
        state.config,
        state.config.uploadUrlOrigin || uploadOrigin(state),
        item,
        id,
        authtoken
      ),
      createdAt: now,
      expiresAt: now + state.config.sessionTtlSeconds * 1000,
      received: 0,
      hash: createHash("sha256"),
      file: state.storage.openSessionFile(id),
      busy: false,
    };
    // Opening is started now so the first PUT does not wait for it; a failure surfaces there.
    session.file.catch(() => undefined);
    this.sessions.set(id, session);
    return session;
  }

  /** The session a request addresses, checking its authtoken and expiry. */
  authorize(id: string, authtoken: string | null): UploadSession {
    const session = this.sessions.get(id);
    if (!session) throw errors.sessionNotFound();
    if (!authtoken || !sameSecret(authtoken, session.authtoken)) throw errors.badUploadToken();
    if (session.expiresAt <= Date.now()) {
      void this.discard(session);
      // The URL's token expires with the session: Outlook's host is likely to say 401, not 410.
      throw this.state().config.expiredUploadUrl401
        ? errors.badUploadToken()
        : errors.sessionExpired();
    }
    return session;
  }

  /**
   * Checks a range against the session before a byte is read, so a refused range costs nothing.
   */
  checkRange(session: UploadSession, range: ContentRange, contentLength: string | undefined): void {
    const { config } = this.state();
    if (range.total !== session.request.size) {
      throw errors.invalidContentRange(
        `The Content-Range total ${range.total} differs from the session's size ${session.request.size}.`
      );
    }
    if (contentLength === undefined) throw errors.lengthRequired();
    if (Number(contentLength) !== range.length) {
      throw errors.lengthMismatch(
        `Content-Length ${contentLength} differs from the range length ${range.length}.`
      );
    }
    if (range.length > config.chunkCapBytes) throw errors.rangeOverChunkCap(config.chunkCapBytes);
    if (range.start !== session.received) throw errors.rangeOutOfOrder(session.received);
    if (session.busy)
      throw new GraphError(
        409,
        "ErrorUploadSessionBusy",
        "Another range of this session is being uploaded."
      );
    const projected = (attachedBytes(session.item) + range.end + 1) * config.messageSizeFactor;
    if (projected > config.maxMessageSizeBytes) {
      // The service measures the whole message; crossing the limit ends the session.
      void this.discard(session);
      throw errors.messageSizeExceeded();
    }
  }

  /**
   * Streams one range body to the session's file. Resolves with the outcome, or rejects with a
   * GraphError (the range is not committed) or with the socket gone (nothing to answer).
   */
  async receive(
    session: UploadSession,
    range: ContentRange,
    req: IncomingMessage
  ): Promise<RangeOutcome> {
    const { rangeHash, silent } = await receiveRangeBody(this.state(), session, range, req);
    if (!this.sessions.has(session.id)) throw errors.sessionNotFound(); // deleted while reading
    session.hash = rangeHash;
    session.received = range.end + 1;
    if (session.received < session.request.size) return { kind: "partial", session, silent };
    return { ...(await this.complete(session)), silent };
  }

  private async complete(session: UploadSession): Promise<RangeOutcome> {
    const state = this.state();
    this.sessions.delete(session.id);
    await (await session.file).close();
    const attachmentId = outlookId(session.item.id.slice(0, 12));
    const filePath = await state.storage.promote(session.id, attachmentId);
    const { request } = session;
    const attachment: StoredAttachment = {
      id: attachmentId,
      name: request.name,
      contentType: request.contentType,
      size: request.size,
      isInline: request.isInline,
      contentId: request.contentId,
      lastModifiedDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      sha256: session.hash.digest("hex"),
      filePath,
    };
    session.item.attachments.set(attachmentId, attachment);
    const origin =
      state.config.locationHost === "outlook.office.com"
        ? "https://outlook.office.com"
        : uploadOrigin(state);
    return {
      kind: "complete",
      attachment,
      location: buildLocation(state.config, origin, session.item, attachmentId),
    };
  }

  /** Forgets a session and deletes its bytes (cancel, expiry, message size exceeded, restart). */
  async discard(session: UploadSession): Promise<void> {
    if (!this.sessions.delete(session.id)) return;
    const file = await session.file.catch(() => null);
    await file?.close().catch(() => undefined);
    await this.state().storage.remove(this.state().storage.sessionPath(session.id));
  }

  /** The item was deleted: its sessions go with it (later PUTs answer 404). */
  async discardForItem(item: Item): Promise<void> {
    await Promise.all(
      this.list()
        .filter((s) => s.item === item)
        .map((s) => this.discard(s))
    );
  }

  async discardAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.discard(s)));
  }

  list(): UploadSession[] {
    return [...this.sessions.values()];
  }
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
