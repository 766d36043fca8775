// Attachment bytes on disk: one file per upload session, renamed to the attachment's file when
// the last range lands. Only async fs calls, so the request path never blocks the event loop.
import { mkdtemp, open, rename, rm, unlink, writeFile, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class AttachmentStorage {
  private constructor(
    readonly dir: string,
    private readonly ownsDir: boolean
  ) {}

  static async create(dir?: string): Promise<AttachmentStorage> {
    if (dir) return new AttachmentStorage(dir, false);
    return new AttachmentStorage(await mkdtemp(join(tmpdir(), "graph-emulator-")), true);
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
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_");
}
