// Reads the ranges the engine sends straight from disk, as a sequence of pieces read ahead of the
// socket, into reused piece buffers. Graph and OneDrive take ranges strictly in order, so each
// range waits for the previous answer; reading ahead — within a range and across into the next
// one while the answer is awaited — takes the disk read off that critical path (the loopback
// benchmark's gap, bench/RESULTS.md). Memory is bounded per file by AHEAD_PIECES × READ_PIECE,
// whatever the range size (OneDrive's ranges go up to 60 MiB): a range is never held whole.
// A file changed, truncated or deleted since it was opened fails the range (checked before its
// first piece and before its last piece go out), as an fs.openAsBlob Blob does (the engine then
// reports a FileReadError).
import { open, stat, type FileHandle } from "node:fs/promises";

/** A slice of a file opened by openUploadFile (src/cli/node-file.ts). */
export interface FileRange {
  /** One object per opened file: read-ahead is kept per file. */
  source: object;
  path: string;
  /** The file's size and mtime when it was opened. */
  size: number;
  mtimeMs: number;
  start: number;
  end: number;
}

const fileRanges = new WeakMap<Blob, FileRange>();

/** Called by openUploadFile for every slice it hands out. */
export function registerFileRange(blob: Blob, range: FileRange): void {
  fileRanges.set(blob, range);
}

export function fileRangeOf(blob: Blob): FileRange | undefined {
  return fileRanges.get(blob);
}

/** Bytes of one piece read from disk (and one socket write). */
export const READ_PIECE = 1024 * 1024;
/**
 * Pieces per file read but not yet taken by the socket: the read-ahead window, and the CLI's
 * per-file buffer memory (4 MiB), independent of the range size.
 */
export const AHEAD_PIECES = 4;
/** Piece buffers kept for reuse across files (a few uploads' windows). */
const MAX_FREE_PIECES = 4 * AHEAD_PIECES;
/** A read-ahead that waits this long for room closes its file handle (an upload given up). */
const IDLE_CLOSE_MS = 250;

export interface RangeBytes {
  bytes: Buffer;
  /** Give the buffer back for reuse; only once nothing (no socket write) refers to it any more. */
  release(): void;
}

/** A range as pieces in order: `next()` until it gives undefined. */
export interface RangeBody {
  readonly length: number;
  /** The next piece (rejects with NotReadableError when the file changed); undefined after the last. */
  next(): Promise<RangeBytes | undefined>;
  /**
   * The request failed: pieces handed out may never be released (a destroyed socket keeps
   * them), so this file's read-ahead starts afresh at the next range.
   */
  abandon(): void;
}

/** A piece buffer shared by the parts a range boundary splits it into. */
class Shared {
  private refs = 1;
  constructor(
    readonly buffer: Buffer,
    private readonly onFree: (buffer: Buffer) => void
  ) {}
  retain() {
    this.refs++;
  }
  release() {
    if (--this.refs === 0) this.onFree(this.buffer);
  }
}

interface Piece {
  start: number;
  bytes: Buffer;
  shared: Shared;
}

export class RangeReader {
  private readonly free: Buffer[] = [];
  private readonly streams = new WeakMap<object, FileStream>();

  /** The range as pieces; continues a read-ahead of the same file when it starts where that is. */
  read(range: FileRange): RangeBody {
    let stream = this.streams.get(range.source);
    if (!stream || !stream.continues(range)) {
      // A retry or a jump (the server named another offset): what was read ahead is not needed.
      stream?.discard();
      stream = new FileStream(range, this);
      this.streams.set(range.source, stream);
    }
    return stream.body(range, () => {
      stream.discard();
      if (this.streams.get(range.source) === stream) this.streams.delete(range.source);
    });
  }

  /** Reads a whole range into one buffer (tests; small bodies). */
  async readAll(range: FileRange): Promise<Buffer> {
    const body = this.read(range);
    const parts: Buffer[] = [];
    for (let piece = await body.next(); piece; piece = await body.next()) {
      parts.push(Buffer.from(piece.bytes));
      piece.release();
    }
    return Buffer.concat(parts);
  }

  take(): Buffer {
    // Not from Node's shared pool: a piece buffer of its own, reused as a whole.
    return this.free.pop() ?? Buffer.allocUnsafeSlow(READ_PIECE);
  }

  giveBack(buffer: Buffer) {
    if (this.free.length < MAX_FREE_PIECES) this.free.push(buffer);
  }
}

/** One file read forward from an offset: pieces ahead of the socket, at most AHEAD_PIECES. */
class FileStream {
  private readonly ready: Piece[] = [];
  /** Next file offset the read-ahead reads; next offset handed out. */
  private readAt: number;
  private handedAt: number;
  /** Piece buffers read or handed out and not yet released: the window. */
  private inUse = 0;
  private pumping = false;
  private discarded = false;
  private failure: unknown;
  private wakeReader: (() => void) | undefined;
  private wakeConsumer: (() => void) | undefined;
  private owner: object | undefined;

  constructor(
    private readonly file: FileRange,
    private readonly reader: RangeReader
  ) {
    this.readAt = file.start;
    this.handedAt = file.start;
  }

  continues(range: FileRange): boolean {
    return !this.discarded && this.failure === undefined && range.start === this.handedAt;
  }

  discard() {
    if (this.discarded) return;
    this.discarded = true;
    for (const piece of this.ready.splice(0)) piece.shared.release();
    this.wakeReader?.();
  }

  body(range: FileRange, abandon: () => void): RangeBody {
    const owner = {};
    this.owner = owner;
    const length = range.end - range.start;
    let checkedFirst = false;
    const next = async (): Promise<RangeBytes | undefined> => {
      if (this.owner !== owner || this.discarded)
        throw new Error("A newer range of this file took over.");
      if (this.handedAt >= range.end) return undefined;
      this.pump();
      // Before the first bytes and before the last bytes go out: still the file that was opened.
      if (!checkedFirst) {
        checkedFirst = true;
        await assertUnchanged(range);
      }
      const piece = await this.nextPiece();
      let handed = piece;
      if (piece.start + piece.bytes.length > range.end) {
        // The piece runs past this range: hand out its head, keep its tail for the next range.
        const cut = range.end - piece.start;
        piece.shared.retain();
        this.ready[0] = {
          start: range.end,
          bytes: piece.bytes.subarray(cut),
          shared: piece.shared,
        };
        handed = { ...piece, bytes: piece.bytes.subarray(0, cut) };
      } else {
        this.ready.shift();
      }
      this.handedAt = handed.start + handed.bytes.length;
      if (this.handedAt >= range.end) await assertUnchanged(range);
      this.pump();
      let released = false;
      return {
        bytes: handed.bytes,
        release: () => {
          if (released) return;
          released = true;
          handed.shared.release();
        },
      };
    };
    return { length, next, abandon };
  }

  private async nextPiece(): Promise<Piece> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.discarded) throw new Error("A newer range of this file took over.");
      const head = this.ready[0];
      if (head) return head;
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  private freed = (buffer: Buffer) => {
    this.inUse--;
    this.reader.giveBack(buffer);
    this.wakeReader?.();
  };

  /** Reads ahead while the window has room; one pump per stream; the handle closes when idle. */
  private pump() {
    if (this.pumping || this.discarded || this.failure !== undefined) return;
    if (this.readAt >= this.file.size) return;
    this.pumping = true;
    void this.readAhead().finally(() => {
      this.pumping = false;
    });
  }

  private async readAhead() {
    let handle: FileHandle | undefined;
    try {
      while (!this.discarded && this.readAt < this.file.size) {
        if (this.inUse >= AHEAD_PIECES) {
          // No room: wait, and when that goes on (an upload paused or given up) close the handle.
          if (!(await this.waitForRoom(IDLE_CLOSE_MS))) {
            await handle?.close().catch(ignore);
            handle = undefined;
            // Room may have come while the handle closed: look again before waiting on.
            if (this.inUse >= AHEAD_PIECES && !this.discarded) await this.waitForRoom(Infinity);
          }
          continue;
        }
        handle ??= await open(this.file.path, "r").catch((error: unknown) => {
          throw fileChanged(this.file.path, error);
        });
        const start = this.readAt;
        const length = Math.min(READ_PIECE, this.file.size - start);
        const buffer = this.reader.take();
        this.inUse++;
        const shared = new Shared(buffer, this.freed);
        try {
          let done = 0;
          while (done < length) {
            const { bytesRead } = await handle.read(buffer, done, length - done, start + done);
            if (bytesRead === 0) throw fileChanged(this.file.path);
            done += bytesRead;
          }
        } catch (error) {
          shared.release();
          throw error;
        }
        this.readAt = start + length;
        if (this.discarded) {
          shared.release();
          break;
        }
        this.ready.push({ start, bytes: buffer.subarray(0, length), shared });
        this.wakeConsumer?.();
      }
    } catch (error) {
      this.failure = error;
      this.wakeConsumer?.();
    } finally {
      await handle?.close().catch(ignore);
    }
  }

  /** True when room came (or the stream was discarded) within `ms`, false when the wait timed out. */
  private waitForRoom(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = Number.isFinite(ms)
        ? setTimeout(() => {
            this.wakeReader = undefined;
            resolve(false);
          }, ms)
        : undefined;
      timer?.unref?.();
      this.wakeReader = () => {
        clearTimeout(timer);
        this.wakeReader = undefined;
        resolve(true);
      };
    });
  }
}

async function assertUnchanged(range: FileRange): Promise<void> {
  const info = await stat(range.path).catch((error: unknown) => {
    throw fileChanged(range.path, error);
  });
  if (info.size !== range.size || info.mtimeMs !== range.mtimeMs) throw fileChanged(range.path);
}

function fileChanged(path: string, cause?: unknown): Error {
  // The same name an fs.openAsBlob Blob fails with when its file changed or vanished.
  const error = new DOMException(
    `The file ${path} could not be read: it changed or vanished after it was opened.`,
    "NotReadableError"
  );
  if (cause !== undefined) Object.defineProperty(error, "cause", { value: cause });
  return error;
}

function ignore() {}
