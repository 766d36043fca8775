// Upload sessions: created by createUploadSession, fed by range PUTs on the upload origin.
// Each range is streamed straight to the session's file at its offset while a copy of the
// running SHA-256 is updated; only when the whole range has arrived are the offset and the hash
// committed, so a dropped or refused range leaves the session exactly where it was.
import { createHash, timingSafeEqual, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { paced } from "./bandwidth";
import { untilClosed } from "./chaos";
import type { ContentRange } from "./content-range";
import { errors, GraphError } from "./errors";
import { outlookId, secret } from "./ids";
import { attachedBytes, type Item, type StoredAttachment } from "./mailbox-store";
import type { EmulatorState } from "./state";
import { uploadOrigin } from "./state";
import { buildLocation, buildUploadUrl } from "./upload-url";

const WRITE_BATCH = 1024 * 1024;

export interface AttachmentRequest {
  name: string;
  size: number;
  contentType: string;
  isInline: boolean;
  contentId?: string;
}

export interface UploadSession {
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
  /**
   * Set while a range PUT of this session is stalled mid-body. The emulator no longer reads that
   * socket, so it cannot see the client abort (the FIN waits behind unread bytes); the next request
   * for the session is how it notices, as a real server would: it ends the stalled one first.
   */
  endStall?: () => Promise<void>;
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
      uploadUrl: buildUploadUrl(state.config, uploadOrigin(state), item, id, authtoken),
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
    const state = this.state();
    const put = state.chaos.nextRangePut();
    const dropAfter = state.chaos.dropPoint(range.length, put);
    const stall = dropAfter === null ? state.chaos.rangeStall(put, range.length) : null;
    const stallAfter = stall?.on === "mid-body" ? stall.afterBytes : null;
    session.busy = true;
    const rangeHash = session.hash.copy();
    let count = 0;
    try {
      const file = await session.file;
      // Chunks are gathered and written with one writev per WRITE_BATCH bytes: far fewer trips
      // to the thread pool than one write per socket read, and still a bounded amount in memory.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let written = 0;
      const flush = async () => {
        if (!pendingBytes) return;
        await file.writev(pending, range.start + written);
        written += pendingBytes;
        pending = [];
        pendingBytes = 0;
      };
      for await (const chunk of paced(req as AsyncIterable<Buffer>, state.bandwidth, req.socket)) {
        if (dropAfter !== null && count + chunk.length > dropAfter) {
          pending.push(chunk.subarray(0, dropAfter - count));
          pendingBytes += dropAfter - count;
          await flush();
          req.socket.destroy();
          throw new SocketDropped();
        }
        if (stallAfter !== null && count + chunk.length > stallAfter) {
          // Stop reading: this chunk and everything after it stay unread until the client gives up.
          const closed = untilClosed(req.socket);
          session.endStall = async () => {
            req.socket.destroy();
            await closed;
            await new Promise((resolve) => setImmediate(resolve)); // let this receive unwind (busy = false)
          };
          await closed;
          session.endStall = undefined;
          throw new SocketDropped();
        }
        if (count + chunk.length > range.length) break;
        rangeHash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        count += chunk.length;
        if (pendingBytes >= WRITE_BATCH) await flush();
      }
      await flush();
      if (!req.complete) throw new SocketDropped();
      if (count !== range.length) {
        throw errors.lengthMismatch(`Received ${count} bytes for a range of ${range.length}.`);
      }
    } finally {
      session.busy = false;
    }
    if (stall?.on === "answer" && !stall.commit) {
      // The body arrived in full but is not stored; the answer never comes.
      await untilClosed(req.socket);
      throw new SocketDropped();
    }
    if (!this.sessions.has(session.id)) throw errors.sessionNotFound(); // deleted while reading
    session.hash = rangeHash;
    session.received = range.end + 1;
    const silent = stall?.on === "answer";
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

/** The client's connection is gone (dropped by a fault or by the client): nothing to answer. */
export class SocketDropped extends Error {
  constructor() {
    super("The connection closed before the range was complete.");
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
