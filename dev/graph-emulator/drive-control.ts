// What the control API (`driveItems()`, `driveSessions()`, GET /_emulator/drive[/sessions])
// shows of the OneDrives, so tests can verify what was stored without going through Graph.
import type { DriveUploadSessions } from "./drive-sessions";
import { pathOf, webUrlOf, type DriveStore } from "./drive-store";

export interface DriveItemInfo {
  /** The drive owner's address. */
  owner: string;
  driveId: string;
  id: string;
  name: string;
  /** "/Attachments/report.pdf"; "" for the root. */
  path: string;
  kind: "folder" | "file";
  parentId: string | null;
  /** Bytes stored (files); 0 for folders. */
  size: number;
  /** SHA-256 of the stored bytes (files); "" for folders. */
  sha256: string;
  webUrl: string;
  /** `app`: the application whose createLink made the link. */
  links: Array<{ id: string; type: string; scope: string; webUrl: string; app: string }>;
}

export interface DriveSessionInfo {
  id: string;
  owner: string;
  /** Where the file will go and the name asked for ("/Attachments/report.pdf"). */
  path: string;
  conflictBehavior: string;
  deferCommit: boolean;
  /** null until fileSize or the first range fixes it. */
  size: number | null;
  received: number;
  expiresAt: string;
  busy: boolean;
}

export function driveItemInfos(drives: DriveStore): DriveItemInfo[] {
  return drives.all().flatMap((drive) =>
    [...drive.items.values()].map((item) => ({
      owner: drive.owner.address,
      driveId: drive.id,
      id: item.id,
      name: item.name,
      path: pathOf(item),
      kind: item.kind,
      parentId: item.parent?.id ?? null,
      size: item.kind === "file" ? item.size : 0,
      sha256: item.sha256,
      webUrl: webUrlOf(drive, item),
      links: item.links.map((l) => ({ ...l })),
    }))
  );
}

export function driveSessionInfos(sessions: DriveUploadSessions): DriveSessionInfo[] {
  return sessions.list().map((s) => ({
    id: s.id,
    owner: s.drive.owner.address,
    path: `${pathOf(s.parent)}/${s.name}`,
    conflictBehavior: s.behavior,
    deferCommit: s.deferCommit,
    size: s.size,
    received: s.received,
    expiresAt: new Date(s.expiresAt).toISOString(),
    busy: s.busy,
  }));
}

/** The stored files of every drive (for reset). */
export function driveFilePaths(drives: DriveStore): string[] {
  return drives
    .all()
    .flatMap((d) => [...d.items.values()].filter((i) => i.kind === "file").map((i) => i.filePath));
}
