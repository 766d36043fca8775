// Reads the ranges the engine sends straight from disk, one range ahead, into reused buffers.
// Graph takes ranges strictly in order, so each range waits for the previous answer; reading range
// n+1 while range n is on the wire takes the disk read off that critical path (the loopback
// benchmark's remaining gap, bench/RESULTS.md). Reusing two range-sized buffers instead of
// allocating per range keeps peak memory flat: freed range buffers are external memory that V8
// collects late. A file changed, truncated or deleted since it was opened fails the read, as an
// fs.openAsBlob Blob does (the engine then reports a FileReadError).
import { open, stat } from "node:fs/promises";

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

export interface RangeBytes {
  bytes: Buffer;
  /** Give the buffer back for reuse; only once nothing (no socket write) refers to it any more. */
  release(): void;
}

interface Ahead {
  start: number;
  end: number;
  read: Promise<RangeBytes>;
}

/** Buffers kept for reuse: two per upload in flight (the range on the wire, the one read ahead). */
const MAX_FREE_BUFFERS = 4;

export class RangeReader {
  private readonly free: Buffer[] = [];
  private readonly ahead = new WeakMap<object, Ahead>();

  /** The bytes of a range; starts reading the next range of the same file in the background. */
  async read(range: FileRange): Promise<RangeBytes> {
    const ahead = this.ahead.get(range.source);
    this.ahead.delete(range.source);
    let read: Promise<RangeBytes>;
    if (ahead && ahead.start === range.start && ahead.end === range.end) {
      read = ahead.read;
    } else {
      // A retry or a jump (the server named another offset): what was read ahead is not needed.
      if (ahead) ahead.read.then((r) => r.release(), ignore);
      read = this.readFromDisk(range, range.start, range.end);
    }
    const length = range.end - range.start;
    if (length > 0 && range.end < range.size) {
      const next = { start: range.end, end: Math.min(range.end + length, range.size) };
      const nextRead = this.readFromDisk(range, next.start, next.end);
      nextRead.catch(ignore); // surfaces when (if) that range is asked for
      this.ahead.set(range.source, { ...next, read: nextRead });
    }
    const result = await read;
    // The file must still be the one that was opened when its range is sent (read ahead or not).
    await assertUnchanged(range);
    return result;
  }

  // No stat here: read() checks the file after every read, ahead or not, before bytes go out.
  private async readFromDisk(range: FileRange, start: number, end: number): Promise<RangeBytes> {
    const handle = await open(range.path, "r").catch((error: unknown) => {
      throw fileChanged(range.path, error);
    });
    // Taken after the open: a buffer dropped by a retry or a jump is back in the free list by now.
    const length = end - start;
    const buffer = this.take(length);
    try {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, start + done);
        if (bytesRead === 0) throw fileChanged(range.path);
        done += bytesRead;
      }
    } finally {
      await handle.close();
    }
    let released = false;
    return {
      bytes: buffer.subarray(0, length),
      release: () => {
        if (released) return;
        released = true;
        if (this.free.length < MAX_FREE_BUFFERS) this.free.push(buffer);
      },
    };
  }

  private take(length: number): Buffer {
    const i = this.free.findIndex((b) => b.length >= length);
    if (i >= 0) return this.free.splice(i, 1)[0];
    // Not from Node's shared pool: a range-sized buffer of its own, reused as a whole.
    return Buffer.allocUnsafeSlow(length);
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
