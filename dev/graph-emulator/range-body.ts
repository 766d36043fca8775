// One range body, streamed from the socket to a session file at its offset: the path every
// upload URL (Outlook attachment sessions and OneDrive upload sessions) takes, so the seeded
// faults on it — the bandwidth pacing and the dropped connection — apply to both alike.
// The caller's hash is updated as bytes arrive; the caller commits the offset only when this
// resolves, so a dropped or short range leaves its session where it was.
import type { Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { paced } from "./bandwidth";
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

/**
 * Reads `range.length` body bytes into `file` at `range.start`, updating `hash`. Rejects with a
 * GraphError (wrong length), or SocketDropped (the socket is gone: nothing to answer).
 */
export async function writeRangeBody(
  state: EmulatorState,
  req: IncomingMessage,
  file: FileHandle,
  range: ContentRange,
  hash: Hash
): Promise<void> {
  const dropAfter = state.chaos.dropPoint(range.length);
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
}
