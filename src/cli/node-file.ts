// A file on disk as an UploadFile: fs.openAsBlob gives a Blob whose slices are read lazily from
// disk, so a 150 MB file never sits in memory (the fetch body streams each slice). Each slice is
// also registered with where it comes from, so the CLI transport can read it from disk itself
// (in 1 MiB pieces read a few ahead of the socket, into reused buffers: src/cli/range-reader.ts).
import { openAsBlob } from "node:fs";
import { basename, resolve } from "node:path";
import { lookup } from "mime-types";
import type { UploadFile } from "../upload";
import { checkReadableFile } from "./file-check";
import { registerFileRange } from "./range-reader";

/**
 * The file's MIME type from its name, so Outlook gets a real contentType for previews: mime-types
 * (jshttp's, over mime-db) knows the Office formats (.docx, .msg, …) that smaller tables lack.
 */
export function contentTypeOf(path: string): string {
  return lookup(path) || "application/octet-stream";
}

/** Rejects with a FileError (a plain sentence) when `path` is not a regular file it may read. */
export async function openUploadFile(path: string): Promise<UploadFile> {
  const info = await checkReadableFile(path);
  const blob = await openAsBlob(path);
  const type = contentTypeOf(path);
  const source = {};
  const absolute = resolve(path);
  const { mtimeMs } = info;
  return {
    name: basename(path),
    size: blob.size,
    type,
    lastModified: Math.floor(info.mtimeMs),
    slice: (start, end, contentType) => {
      const part = blob.slice(start, end, contentType);
      const from = start ?? 0;
      const to = end ?? blob.size;
      // Only plain in-file ranges (what the engine asks for); anything else stays a plain Blob.
      if (from >= 0 && from <= to && to <= blob.size) {
        registerFileRange(part, {
          source,
          path: absolute,
          size: blob.size,
          mtimeMs,
          start: from,
          end: to,
        });
      }
      return part;
    },
  };
}
