// Checks a FILE argument before it is opened, so a typo or a directory gets a plain sentence
// instead of Node's "ENOENT: no such file or directory, stat '…'".
import { constants, type Stats } from "node:fs";
import { access, stat } from "node:fs/promises";
import { UploadError } from "../upload";

/** A FILE argument that cannot be attached as given (missing, a directory, unreadable). */
export class FileError extends UploadError {
  override name = "FileError";
}

const OPEN_FAILURES: Record<string, string> = {
  ENOENT: "No such file.",
  ENOTDIR: "No such file (a part of the path is not a directory).",
  EACCES: "Permission denied: the file cannot be read.",
  EPERM: "Permission denied: the file cannot be read.",
  ELOOP: "Too many symbolic links in the path.",
  ENAMETOOLONG: "The path is too long.",
};

/** The stat of `path` when it is a regular file this process may read; a FileError otherwise. */
export async function checkReadableFile(path: string): Promise<Stats> {
  let info;
  try {
    info = await stat(path);
    // stat succeeds on a file the user may not read: fail here rather than at the first range.
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    throw new FileError(OPEN_FAILURES[code] ?? `The file cannot be opened (${code || "error"}).`, {
      cause: error,
    });
  }
  if (info.isDirectory()) throw new FileError("This is a directory, not a file.");
  if (!info.isFile()) throw new FileError("This is not a regular file (a device, pipe or socket).");
  return info;
}
