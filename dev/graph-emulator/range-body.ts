// One range body, streamed from the socket to a session file at its offset: the path every
// upload URL (Outlook attachment sessions and OneDrive upload sessions) takes, so the seeded
// faults on it — the bandwidth pacing, the dropped connection and the stalls — apply to both
// alike. The caller's hash is updated as bytes arrive; the caller commits the offset only when
// this resolves, so a dropped, stalled or short range leaves its session where it was.
import type { Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { paced } from "./bandwidth";
import { untilClosed, type RangeStall } from "./chaos";
import type { ContentRange } from "./content-range";
import { errors } from "./errors";
import type { EmulatorState } from "./state";

const WRITE_BATCH = 1024 * 1024;

/** The client's connection is gone (dropped by a fault or by the client): nothing to answer. */
export class SocketDropped extends Error {
  constructor() {
    super("The connection closed before the range was complete.");
  }
}

/** What a session exposes while one of its range PUTs is stalled mid-body. */
export interface StallableSession {
  /**
   * Set while a range PUT of this session is stalled mid-body. The emulator no longer reads that
   * socket, so it cannot see the client abort (the FIN waits behind unread bytes); the next request
   * for the session is how it notices, as a real server would: it ends the stalled one first.
   */
  endStall?: () => Promise<void>;
}

/**
 * Reads `range.length` body bytes into `file` at `range.start`, updating `hash`. Resolves with
 * the answer stall to act out (faults.stall on "answer"), if any; rejects with a GraphError
 * (wrong length), or SocketDropped (the socket is gone, dropped or stalled: nothing to answer).
 */
export async function writeRangeBody(
  state: EmulatorState,
  req: IncomingMessage,
  file: FileHandle,
  range: ContentRange,
  hash: Hash,
  session: StallableSession = {}
): Promise<RangeStall> {
  const put = state.chaos.nextRangePut();
  const dropAfter = state.chaos.dropPoint(range.length, put);
  const stall = dropAfter === null ? state.chaos.rangeStall(put, range.length) : null;
  const stallAfter = stall?.on === "mid-body" ? stall.afterBytes : null;
  let count = 0;
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
        await new Promise((resolve) => setImmediate(resolve)); // let the receive unwind (busy = false)
      };
      await closed;
      session.endStall = undefined;
      throw new SocketDropped();
    }
    if (count + chunk.length > range.length) break;
    hash.update(chunk);
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
  return stall?.on === "answer" ? stall : null;
}

/**
 * After a whole body: an answer stall that does not commit goes silent here (rejects with
 * SocketDropped once the client gives up); otherwise resolves with whether the answer, once the
 * range is committed, must be withheld.
 */
export async function answerStall(stall: RangeStall, req: IncomingMessage): Promise<boolean> {
  if (stall?.on !== "answer") return false;
  if (!stall.commit) {
    // The body arrived in full but is not stored; the answer never comes.
    await untilClosed(req.socket);
    throw new SocketDropped();
  }
  return true;
}

/** A session whose range PUTs go through receiveRangeBody. */
export interface ReceivingSession extends StallableSession {
  /** A range PUT of this session is being read (a second one meanwhile is refused as busy). */
  busy: boolean;
  /** The hash of the bytes committed so far. */
  hash: Hash;
  file: Promise<FileHandle>;
}

/**
 * One range PUT of a session, read whole: the session is busy meanwhile, the bytes go through
 * writeRangeBody into a copy of the session's hash, and an answer stall is acted out. The caller
 * commits `rangeHash` and the offset (the session may have been deleted while reading).
 */
export async function receiveRangeBody(
  state: EmulatorState,
  session: ReceivingSession,
  range: ContentRange,
  req: IncomingMessage
): Promise<{ rangeHash: Hash; silent: boolean }> {
  session.busy = true;
  const rangeHash = session.hash.copy();
  let stall: RangeStall;
  try {
    stall = await writeRangeBody(state, req, await session.file, range, rangeHash, session);
  } finally {
    session.busy = false;
  }
  return { rangeHash, silent: await answerStall(stall, req) };
}
