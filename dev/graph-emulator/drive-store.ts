// The users' OneDrives, in memory: a tree of folders and files per user, names unique per folder
// ignoring case (as OneDrive), a quota, and each file's sharing links. File bytes live in files
// (storage.ts); this module only knows their path, size and SHA-256.
import { randomBytes } from "node:crypto";
import { driveErrors } from "./drive-errors";
import { guid, secret } from "./ids";
import type { Mailbox } from "./mailbox-store";

export type ConflictBehavior = "fail" | "rename" | "replace";
export type LinkType = "view" | "edit";
export type LinkScope = "organization" | "users" | "anonymous";

export interface SharingLink {
  id: string;
  type: LinkType;
  scope: LinkScope;
  webUrl: string;
  /** The application whose createLink made it (its token's app). */
  app: string;
}

export interface DriveItem {
  id: string;
  name: string;
  /** null for the root. */
  parent: DriveItem | null;
  kind: "folder" | "file";
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Changes with each new content, as OneDrive's eTag does. */
  version: number;
  children: Map<string, DriveItem>; // key: lower-cased name (folders only)
  size: number;
  sha256: string;
  filePath: string;
  mimeType: string;
  /** Secret of the file's pre-authenticated download URL (new with each content). */
  downloadToken: string;
  links: SharingLink[];
}

export interface Drive {
  id: string;
  owner: Mailbox;
  root: DriveItem;
  items: Map<string, DriveItem>;
}

/** OneDrive refuses these in names (plus leading/trailing spaces and the names "." and ".."). */
const INVALID_NAME = /["*:<>?/\\|]/;

export class DriveStore {
  private readonly drives = new Map<string, Drive>();

  /** The user's drive, provisioned on first use (as a OneDrive is on first sign-in). */
  driveOf(owner: Mailbox): Drive {
    const existing = this.drives.get(owner.id);
    if (existing) return existing;
    const root = newItem("root", null, "folder");
    const drive: Drive = {
      id: `b!${randomBytes(24).toString("base64url")}`,
      owner,
      root,
      items: new Map([[root.id, root]]),
    };
    this.drives.set(owner.id, drive);
    return drive;
  }

  all(): Drive[] {
    return [...this.drives.values()];
  }

  clear(): void {
    this.drives.clear();
  }
}

function newItem(name: string, parent: DriveItem | null, kind: DriveItem["kind"]): DriveItem {
  const now = graphDate(Date.now());
  return {
    id: driveItemId(),
    name,
    parent,
    kind,
    createdDateTime: now,
    lastModifiedDateTime: now,
    version: 1,
    children: new Map(),
    size: 0,
    sha256: "",
    filePath: "",
    mimeType: "",
    downloadToken: "",
    links: [],
  };
}

/** An id in OneDrive for Business's style: 34 upper-case base32 characters starting "01". */
function driveItemId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return `01${[...randomBytes(32)].map((b) => alphabet[b % 32]).join("")}`;
}

export function graphDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function checkName(name: unknown): string {
  if (typeof name !== "string" || !name || name !== name.trim() || name === "." || name === "..")
    throw driveErrors.invalidRequest(
      `The name ${JSON.stringify(name)} is not valid.`,
      "invalidPath"
    );
  if (INVALID_NAME.test(name))
    throw driveErrors.invalidRequest(
      `The name "${name}" contains invalid characters.`,
      "invalidPath"
    );
  return name;
}

export function child(folder: DriveItem, name: string): DriveItem | undefined {
  return folder.children.get(name.toLowerCase());
}

/** Follows `a/b/c` from `from`; undefined when a step is missing or not a folder. */
export function itemAtPath(from: DriveItem, path: string[]): DriveItem | undefined {
  let at: DriveItem | undefined = from;
  for (const name of path) {
    if (!at || at.kind !== "folder") return undefined;
    at = child(at, name);
  }
  return at;
}

/** "report.pdf" → "report 1.pdf", "report 2.pdf", … the first name free in the folder. */
export function freeName(folder: DriveItem, name: string): string {
  if (!child(folder, name)) return name;
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 1; ; n++) {
    const candidate = `${stem} ${n}${ext}`;
    if (!child(folder, candidate)) return candidate;
  }
}

/**
 * The name an item takes in `folder` under a conflict behaviour, or the 409. With `replace` the
 * name stays and the caller replaces what holds it.
 */
export function nameFor(folder: DriveItem, name: string, behavior: ConflictBehavior): string {
  const existing = child(folder, name);
  if (!existing || behavior === "replace") return name;
  if (behavior === "rename") return freeName(folder, name);
  throw driveErrors.nameAlreadyExists(name);
}

export function createFolder(
  drive: Drive,
  parent: DriveItem,
  name: string,
  behavior: ConflictBehavior
): DriveItem {
  const existing = child(parent, name);
  if (existing && behavior === "replace") {
    if (existing.kind === "folder") return existing; // replacing a folder keeps it (and its children)
    throw driveErrors.nameAlreadyExists(name);
  }
  const folder = newItem(nameFor(parent, name, behavior), parent, "folder");
  attach(drive, parent, folder);
  return folder;
}

/** Creates the folders of `path` under `from` that are missing; undefined when a step is a file. */
export function ensureFolders(
  drive: Drive,
  from: DriveItem,
  path: string[]
): DriveItem | undefined {
  let at = from;
  for (const name of path) {
    const next = child(at, name) ?? createFolder(drive, at, checkName(name), "fail");
    if (next.kind !== "folder") return undefined;
    at = next;
  }
  return at;
}

/**
 * Stores a completed upload as `name` in `parent` (a free name with rename; the old file's id
 * kept with replace). Returns the item and the file it displaced (to delete), if any.
 */
export function storeFile(
  drive: Drive,
  parent: DriveItem,
  name: string,
  behavior: ConflictBehavior,
  content: { size: number; sha256: string; filePath: string }
): { item: DriveItem; displaced: string | null } {
  const existing = child(parent, name);
  if (existing && behavior === "replace") {
    if (existing.kind !== "file") throw driveErrors.nameAlreadyExists(name);
    const displaced = existing.filePath;
    Object.assign(existing, content, {
      downloadToken: secret(),
      version: existing.version + 1,
      lastModifiedDateTime: graphDate(Date.now()),
    });
    return { item: existing, displaced };
  }
  const item = newItem(nameFor(parent, name, behavior), parent, "file");
  Object.assign(item, content, { mimeType: mimeTypeOf(name), downloadToken: secret() });
  attach(drive, parent, item);
  return { item, displaced: null };
}

function attach(drive: Drive, parent: DriveItem, item: DriveItem): void {
  parent.children.set(item.name.toLowerCase(), item);
  drive.items.set(item.id, item);
}

/** Removes an item and everything under it; returns the files to delete. */
export function removeItem(drive: Drive, item: DriveItem): string[] {
  const files: string[] = [];
  const visit = (at: DriveItem) => {
    drive.items.delete(at.id);
    if (at.kind === "file") files.push(at.filePath);
    for (const c of at.children.values()) visit(c);
  };
  item.parent?.children.delete(item.name.toLowerCase());
  visit(item);
  return files;
}

/** Bytes the drive's files take (what counts against the quota). */
export function usedBytes(drive: Drive): number {
  let total = 0;
  for (const item of drive.items.values()) if (item.kind === "file") total += item.size;
  return total;
}

/** "/Attachments/report.pdf" ("" for the root). */
export function pathOf(item: DriveItem): string {
  return item.parent ? `${pathOf(item.parent)}/${item.name}` : "";
}

/** A new sharing link of a type and scope, or the one the item already has (docs). */
export function linkFor(
  drive: Drive,
  item: DriveItem,
  type: LinkType,
  scope: LinkScope,
  app: string
): { link: SharingLink; created: boolean } {
  // "If a sharing link of the specified type already exists for the app, the existing sharing
  // link is returned" (driveitem-createlink.md): the same type and scope, made by the same app.
  const existing = item.links.find((l) => l.type === type && l.scope === scope && l.app === app);
  if (existing) return { link: existing, created: false };
  const kind = item.kind === "folder" ? "f" : "u";
  const link: SharingLink = {
    id: guid(),
    type,
    scope,
    webUrl: `${SITE}/:${kind}:/g/personal/${siteUser(drive)}/${randomBytes(16).toString("base64url")}`,
    app,
  };
  item.links.push(link);
  return { link, created: true };
}

function siteUser(drive: Drive): string {
  return drive.owner.address.replace(/[^a-z0-9]/gi, "_");
}

/** The users' OneDrive sites, as OneDrive for Business names them. */
const SITE = "https://contoso-my.sharepoint.com";

export function webUrlOf(drive: Drive, item: DriveItem): string {
  const path = pathOf(item)
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
  return `${SITE}/personal/${siteUser(drive)}/Documents${path}`;
}

const MIME: Record<string, string> = {
  pdf: "application/pdf",
  zip: "application/x-zip-compressed",
  mp4: "video/mp4",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  txt: "text/plain",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

function mimeTypeOf(name: string): string {
  const ext = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  return MIME[ext] ?? "application/octet-stream";
}
