// Deterministic test files in a temp dir: the same bytes every run (a seeded xorshift stream, so
// nothing compresses or dedupes), written in 1 MiB blocks so a 150 MiB file never sits in memory.
import { createHash } from "node:crypto";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MiB = 1024 * 1024;

export interface BenchFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

export class FileSet {
  private constructor(readonly dir: string) {}

  static async create(prefix = "large-attach-bench-"): Promise<FileSet> {
    return new FileSet(await mkdtemp(join(tmpdir(), prefix)));
  }

  async make(name: string, size: number, seed: number): Promise<BenchFile> {
    const path = join(this.dir, name);
    const handle = await open(path, "w");
    const hash = createHash("sha256");
    let state = seed >>> 0 || 0x9e3779b9;
    try {
      const block = Buffer.alloc(MiB);
      for (let written = 0; written < size;) {
        const n = Math.min(MiB, size - written);
        for (let i = 0; i < n; i += 4) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          block.writeUInt32LE(state >>> 0, i);
        }
        const view = block.subarray(0, n);
        hash.update(view);
        await handle.write(view, 0, n, written);
        written += n;
      }
    } finally {
      await handle.close();
    }
    return { path, name, size, sha256: hash.digest("hex") };
  }

  /** Deletes one file as soon as its scenario is done with it (a 1 GiB file should not wait for the end). */
  async remove(file: BenchFile): Promise<void> {
    await rm(file.path, { force: true });
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
