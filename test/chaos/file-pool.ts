// Trial files without writing one file per trial: one pool of deterministic bytes on disk
// (150 MiB + slack, generated once from a fixed seed), and each trial's file is a lazy Blob slice
// of it at the trial's offset. Node's fs.openAsBlob reads slices from disk on demand, so no file
// sits in memory, and a file's bytes are a pure function of (pool seed, offset, size).
import { createHash } from "node:crypto";
import { createReadStream, openAsBlob } from "node:fs";
import { mkdir, open, rename, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { UploadFile } from "../../src/upload";
import { fillBytes } from "./prng";
import { MAX_FILE, POOL_SLACK, type Trial } from "./trials";

const POOL_SEED = 0x1a77ac4;
const POOL_SIZE = MAX_FILE + POOL_SLACK;
/** Versioned by seed and size: a change to either makes a new pool instead of reusing a stale one. */
const POOL_NAME = `large-attach-chaos-pool-${POOL_SEED.toString(16)}-${POOL_SIZE}.bin`;

function defaultPoolDir(): string {
  return join(tmpdir(), "large-attach-chaos");
}

/** Creates the pool file if it is missing (atomically: written aside, then renamed). */
export async function ensurePool(dir = defaultPoolDir(), size = POOL_SIZE): Promise<string> {
  const path = join(
    dir,
    size === POOL_SIZE ? POOL_NAME : `pool-${POOL_SEED.toString(16)}-${size}.bin`
  );
  const existing = await stat(path).catch(() => undefined);
  if (existing?.size === size) return path;
  await mkdir(dir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, "w");
  try {
    const piece = new Uint8Array(4 * 1024 * 1024);
    for (let offset = 0; offset < size; offset += piece.length) {
      fillBytes(POOL_SEED, piece, offset / 4);
      await handle.write(piece, 0, Math.min(piece.length, size - offset));
    }
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  return path;
}

export interface TrialFile {
  file: UploadFile;
  /** Hex SHA-256 of exactly the bytes the file holds. */
  sha256(): Promise<string>;
}

/** The trial's file: `trial.size` bytes of the pool from `trial.poolOffset`, named `name`. */
export async function openTrialFile(
  poolPath: string,
  trial: Trial,
  name: string
): Promise<TrialFile> {
  const pool = await openAsBlob(poolPath);
  const blob = pool.slice(trial.poolOffset, trial.poolOffset + trial.size);
  if (blob.size !== trial.size)
    throw new Error(`The pool is too small for a ${trial.size}-byte file.`);
  const file: UploadFile = {
    name,
    size: blob.size,
    type: "application/octet-stream",
    lastModified: 1_700_000_000_000 + trial.seed,
    slice: (start, end, contentType) => blob.slice(start, end, contentType),
  };
  return { file, sha256: () => sha256OfFileRange(poolPath, trial.poolOffset, trial.size) };
}

function sha256OfFileRange(path: string, start: number, length: number): Promise<string> {
  const hash = createHash("sha256");
  if (length === 0) return Promise.resolve(hash.digest("hex"));
  return new Promise((resolve, reject) => {
    createReadStream(path, { start, end: start + length - 1, highWaterMark: 1024 * 1024 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
