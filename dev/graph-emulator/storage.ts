// Attachment bytes on disk: one file per upload session, renamed to the attachment's file when
// the last range lands. Only async fs calls, so the request path never blocks the event loop.
// A temporary directory the emulator made is removed on close and, as a last resort, when the
// process exits without closing it (process.exit from an error path, an uncaught exception). What
// even that cannot cover (SIGKILL, a crash) the next emulator sweeps away: the directory's name
// carries the pid of its owner, and a directory whose owner is gone is removed on start.
import { rmSync } from "node:fs";
import {
  mkdtemp,
  open,
  readdir,
  rename,
  rm,
  unlink,
  writeFile,
  type FileHandle,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class AttachmentStorage {
  private constructor(
    readonly dir: string,
    private readonly ownsDir: boolean
  ) {}

  static async create(dir?: string): Promise<AttachmentStorage> {
    if (dir) return new AttachmentStorage(dir, false);
    await removeOrphans(tmpdir());
    const own = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
    removeOnExit(own);
    return new AttachmentStorage(own, true);
  }

  sessionPath(sessionId: string): string {
    return join(this.dir, `session-${safe(sessionId)}.part`);
  }

  attachmentPath(attachmentId: string): string {
    return join(this.dir, `attachment-${safe(attachmentId)}.bin`);
  }

  /** Opens (creating) a session's file for positional writes. */
  openSessionFile(sessionId: string): Promise<FileHandle> {
    return open(this.sessionPath(sessionId), "w+");
  }

  async promote(sessionId: string, attachmentId: string): Promise<string> {
    const target = this.attachmentPath(attachmentId);
    await rename(this.sessionPath(sessionId), target);
    return target;
  }

  async writeAttachment(attachmentId: string, bytes: Buffer): Promise<string> {
    const target = this.attachmentPath(attachmentId);
    await writeFile(target, bytes);
    return target;
  }

  async remove(path: string): Promise<void> {
    await unlink(path).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    if (!this.ownsDir) return;
    await rm(this.dir, { recursive: true, force: true });
    leftOnExit.delete(this.dir);
  }
}

const PREFIX = "graph-emulator-";

/** Removes `graph-emulator-PID-…` directories whose process is gone. Best effort: never fails a start. */
export async function removeOrphans(parent: string): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const orphans = names.filter((name) => {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    return pid !== undefined && !processAlive(Number(pid));
  });
  await Promise.all(
    orphans.map((name) => rm(join(parent, name), { recursive: true, force: true }).catch(() => {}))
  );
  return orphans;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

/** Temporary directories still to remove; one `exit` listener for all (tests start many emulators). */
const leftOnExit = new Set<string>();
let exitHooked = false;

function removeOnExit(dir: string): void {
  if (!exitHooked) process.once("exit", removeLeftDirs);
  exitHooked = true;
  leftOnExit.add(dir);
}

/** `exit` listeners must be synchronous. */
function removeLeftDirs(): void {
  for (const dir of leftOnExit) rmSync(dir, { recursive: true, force: true });
  leftOnExit.clear();
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_");
}
