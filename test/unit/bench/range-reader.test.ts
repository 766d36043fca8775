// The CLI's read-ahead (src/cli/range-reader.ts, added for the loopback benchmark's gap): ranges of
// a file opened by openUploadFile come back byte-exact in any order and at any size (pieces split
// at range ends), piece buffers are reused so memory does not grow with the range size, and a file
// changed after it was opened — even after its range was read ahead — fails the read.
import { mkdtemp, rm, truncate, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openUploadFile } from "../../../src/cli/node-file";
import {
  AHEAD_PIECES,
  READ_PIECE,
  RangeReader,
  fileRangeOf,
  type FileRange,
} from "../../../src/cli/range-reader";
import type { UploadFile } from "../../../src/upload";

const RANGE = 64 * 1024;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "large-attach-range-reader-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function pattern(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

async function fileOf(size: number, seed: number) {
  const path = join(dir, `f-${seed}-${Math.random().toString(36).slice(2)}.bin`);
  const bytes = pattern(size, seed);
  await writeFile(path, bytes);
  return { path, bytes, file: await openUploadFile(path) };
}

function rangeOf(file: UploadFile, start: number, end: number): FileRange {
  const range = fileRangeOf(file.slice(start, end));
  if (!range) throw new Error("openUploadFile did not register the slice");
  return range;
}

test("ranges read in order, with a retry and a jump, equal the file's bytes", async () => {
  const size = 5 * RANGE + 123; // the last range is short
  const { bytes, file } = await fileOf(size, 1);
  const reader = new RangeReader();
  const order = [0, 1, 2, 2, 4, 1, 5, 3, 4, 5]; // in order, a retry, a jump ahead, a jump back
  for (const i of order) {
    const start = i * RANGE;
    const end = Math.min(start + RANGE, size);
    const read = await reader.readAll(rangeOf(file, start, end));
    expect(Buffer.compare(read, bytes.subarray(start, end))).toBe(0);
  }
});

test("ranges larger than a piece and not aligned to it, in order and after a jump, are byte-exact", async () => {
  const size = 9 * READ_PIECE + 777;
  const { bytes, file } = await fileOf(size, 5);
  const reader = new RangeReader();
  const cuts = [0, 327_680 * 7, 327_680 * 12, 5 * READ_PIECE + 1, 5 * READ_PIECE + 2, size];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const read = await reader.readAll(rangeOf(file, cuts[i], cuts[i + 1]));
    expect(Buffer.compare(read, bytes.subarray(cuts[i], cuts[i + 1]))).toBe(0);
  }
  const again = await reader.readAll(rangeOf(file, 2 * READ_PIECE + 5, 8 * READ_PIECE));
  expect(Buffer.compare(again, bytes.subarray(2 * READ_PIECE + 5, 8 * READ_PIECE))).toBe(0);
});

test("reuses piece buffers: a range of any size takes a few pieces' memory, not its own size", async () => {
  const size = 24 * READ_PIECE; // one 24 MiB range, then 12 MiB ones
  const { file } = await fileOf(size, 2);
  const reader = new RangeReader();
  const seen = new Set<ArrayBufferLike>();
  for (const [start, end] of [
    [0, size],
    [0, size / 2],
    [size / 2, size],
  ]) {
    const body = reader.read(rangeOf(file, start, end));
    let total = 0;
    for (let piece = await body.next(); piece; piece = await body.next()) {
      seen.add(piece.bytes.buffer);
      total += piece.bytes.length;
      piece.release(); // as the socket's write callback does
    }
    expect(total).toBe(end - start);
  }
  expect(seen.size).toBeLessThanOrEqual(2 * AHEAD_PIECES);
});

test("two uploads of the same path, interleaved, each get their own bytes right", async () => {
  const { path, bytes } = await fileOf(4 * RANGE, 3);
  const a = await openUploadFile(path);
  const b = await openUploadFile(path);
  const reader = new RangeReader();
  for (const [file, i] of [
    [a, 0],
    [b, 0],
    [b, 1],
    [a, 1],
    [a, 2],
    [b, 2],
    [b, 3],
    [a, 3],
  ] as const) {
    const read = await reader.readAll(rangeOf(file, i * RANGE, (i + 1) * RANGE));
    expect(Buffer.compare(read, bytes.subarray(i * RANGE, (i + 1) * RANGE))).toBe(0);
  }
});

describe.each([
  ["rewritten", (path: string) => writeFile(path, pattern(3 * RANGE, 9))],
  ["truncated", (path: string) => truncate(path, 1234)],
  ["touched", (path: string) => utimes(path, new Date(), new Date(Date.now() + 5_000))],
  ["deleted", (path: string) => unlink(path)],
])("a file %s after its next range was read ahead", (_label, change) => {
  test("fails that range with NotReadableError instead of sending stale bytes", async () => {
    const { path, file } = await fileOf(4 * RANGE, 4);
    const reader = new RangeReader();
    await reader.readAll(rangeOf(file, 0, RANGE)); // reads range 2 ahead
    await change(path);
    await expect(reader.readAll(rangeOf(file, RANGE, 2 * RANGE))).rejects.toMatchObject({
      name: "NotReadableError",
    });
  });
});
