// The OneDrive routes of the Graph origin, under /v1.0/me/drive and /v1.0/users/{id | upn}/drive
// (the caller's own drive; another user's answers 403). Items are addressed as OneDrive does:
//   /drive/root · /drive/items/{id} · either followed by `:/{path}` or `:/{path}:` and an action
//   (/children, /content, /createLink, /createUploadSession).
// The raw (percent-encoded) path is parsed here, not graph-handler's lower-cased segments:
// OneDrive names keep their case.
import { untilClosed } from "./chaos";
import { driveErrors } from "./drive-errors";
import { downloadUrlOf, driveItemJson, permissionJson } from "./drive-json";
import {
  checkName,
  createFolder,
  ensureFolders,
  itemAtPath,
  linkFor,
  removeItem,
  usedBytes,
  type ConflictBehavior,
  type Drive,
  type DriveItem,
  type LinkScope,
  type LinkType,
} from "./drive-store";
import { errors } from "./errors";
import { sendAttachmentBytes } from "./graph-handler";
import { readJsonBody, sendEmpty, sendJson, type RequestContext } from "./http-io";
import { DEFAULT_LIMITS } from "./limits";
import type { Mailbox } from "./mailbox-store";
import type { EmulatorState } from "./state";

const GRAPH = "https://graph.microsoft.com/v1.0";
const BEHAVIORS: readonly string[] = ["fail", "rename", "replace"];
const SCOPES: readonly LinkScope[] = ["organization", "users", "anonymous"];

interface DriveRoute {
  base: DriveItem;
  /** Names after `:/` (decoded), or null when the item is addressed by root / id alone. */
  path: string[] | null;
  action: "" | "children" | "content" | "createlink" | "createuploadsession";
}

const PREFIX = /^\/v1\.0\/(?:me|users\/[^/]+|users\('[^']*'\))\/drive(?=\/|$)/i;

export async function handleDriveRequest(
  state: EmulatorState,
  ctx: RequestContext,
  mailbox: Mailbox,
  delegated: boolean
): Promise<void> {
  // Files.ReadWrite reaches the signed-in user's own OneDrive only.
  if (delegated) throw driveErrors.accessDenied();
  const drive = state.drives.driveOf(mailbox);
  const rest = ctx.url.pathname.replace(PREFIX, "");
  const method = ctx.req.method;
  if (rest === "" || rest === "/") {
    if (method !== "GET") throw errors.methodNotAllowed();
    return sendJson(ctx, 200, driveJson(state, drive));
  }
  const route = parseRoute(drive, rest);
  switch (route.action) {
    case "":
      return itemRequest(state, ctx, drive, route);
    case "children":
      return childrenRequest(state, ctx, drive, route);
    case "content": {
      if (method !== "GET") throw errors.methodNotAllowed();
      const item = target(route);
      if (item.kind !== "file") throw driveErrors.invalidRequest("A folder has no content.");
      if (state.config.drive.contentRedirect) {
        return sendEmpty(ctx, 302, { Location: downloadUrlOf(state, drive, item) });
      }
      return sendAttachmentBytes(state, ctx, {
        filePath: item.filePath,
        size: item.size,
        contentType: item.mimeType,
      });
    }
    case "createlink":
      if (method !== "POST") throw errors.methodNotAllowed();
      return createLink(state, ctx, drive, target(route));
    case "createuploadsession":
      if (method !== "POST") throw errors.methodNotAllowed();
      return createUploadSession(state, ctx, drive, route);
  }
}

function parseRoute(drive: Drive, rest: string): DriveRoute {
  const match = /^\/(?:root|items\/([^/:]+))(.*)$/i.exec(rest);
  if (!match) throw errors.resourceNotFound(rest);
  const base = match[1] ? drive.items.get(decode(match[1])) : drive.root;
  if (!base) throw driveErrors.itemNotFound();
  let tail = match[2];
  let path: string[] | null = null;
  if (tail.startsWith(":")) {
    const parts = tail.slice(1).split(":");
    if (parts.length > 2) throw driveErrors.invalidRequest(`Malformed path '${rest}'.`);
    path = parts[0].split("/").filter(Boolean).map(decode);
    tail = parts[1] ?? "";
  }
  const action = tail.replace(/^\//, "").toLowerCase();
  if (!["", "children", "content", "createlink", "createuploadsession"].includes(action)) {
    throw errors.resourceNotFound(tail);
  }
  return { base, path, action: action as DriveRoute["action"] };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw driveErrors.invalidRequest(`Malformed path segment '${segment}'.`);
  }
}

/** The item a route names, or 404 itemNotFound. */
function target(route: DriveRoute): DriveItem {
  const item = route.path ? itemAtPath(route.base, route.path) : route.base;
  if (!item) throw driveErrors.itemNotFound();
  return item;
}

function driveJson(state: EmulatorState, drive: Drive): Record<string, unknown> {
  const used = usedBytes(drive);
  const total = state.config.drive.quotaBytes;
  return {
    "@odata.context": `${GRAPH}/$metadata#drives/$entity`,
    id: drive.id,
    driveType: "business",
    name: "OneDrive",
    owner: { user: { email: drive.owner.address, displayName: drive.owner.displayName } },
    quota: {
      total,
      used,
      remaining: Math.max(0, total - used),
      deleted: 0,
      state: used >= total ? "exceeded" : "normal",
    },
  };
}

async function itemRequest(
  state: EmulatorState,
  ctx: RequestContext,
  drive: Drive,
  route: DriveRoute
) {
  const item = target(route);
  if (ctx.req.method === "GET") return sendJson(ctx, 200, driveItemJson(state, item, drive));
  if (ctx.req.method === "DELETE") {
    if (!item.parent) throw driveErrors.accessDenied("The root folder cannot be deleted.");
    await Promise.all(removeItem(drive, item).map((path) => state.storage.remove(path)));
    return sendEmpty(ctx, 204);
  }
  throw errors.methodNotAllowed();
}

async function childrenRequest(
  state: EmulatorState,
  ctx: RequestContext,
  drive: Drive,
  route: DriveRoute
) {
  const folder = target(route);
  if (folder.kind !== "folder") throw driveErrors.invalidRequest("The item is not a folder.");
  if (ctx.req.method === "GET") {
    return sendJson(ctx, 200, {
      "@odata.context": `${GRAPH}/$metadata#drives('${encodeURIComponent(drive.id)}')/items`,
      value: [...folder.children.values()].map((c) => driveItemJson(state, c, drive)),
    });
  }
  if (ctx.req.method !== "POST") throw errors.methodNotAllowed();
  const body = await jsonObject(ctx);
  if (typeof body.folder !== "object" || body.folder === null) {
    throw driveErrors.invalidRequest(
      'The emulator creates folders only here ({"name","folder":{}}); upload files through createUploadSession.'
    );
  }
  const created = createFolder(drive, folder, checkName(body.name), behaviorOf(body, "fail"));
  sendJson(ctx, 201, driveItemJson(state, created, drive));
}

async function createLink(
  state: EmulatorState,
  ctx: RequestContext,
  drive: Drive,
  item: DriveItem
) {
  const body = await jsonObject(ctx);
  const type = body.type;
  if (type !== "view" && type !== "edit") {
    throw driveErrors.invalidRequest(
      '"type" must be "view" or "edit" (embed is OneDrive personal only).'
    );
  }
  const allowed = state.config.drive.linkScopes;
  const scope = body.scope ?? SCOPES.find((s) => allowed.includes(s)) ?? "organization";
  if (!SCOPES.includes(scope as LinkScope)) {
    throw driveErrors.invalidRequest('"scope" must be "organization", "users" or "anonymous".');
  }
  if (!allowed.includes(scope as LinkScope)) throw driveErrors.scopeRefused(scope as string);
  const app = state.tokens.appOf(ctx.req.headers.authorization);
  const { link, created } = linkFor(drive, item, type as LinkType, scope as LinkScope, app);
  // faults.lostAnswer on "createLink": the link exists now, the answer never arrives.
  if (state.chaos.loseAnswer("createLink")) return void ctx.req.socket.destroy();
  sendJson(ctx, created ? 201 : 200, permissionJson(link));
}

async function createUploadSession(
  state: EmulatorState,
  ctx: RequestContext,
  drive: Drive,
  route: DriveRoute
) {
  const body = await jsonObject(ctx);
  const item = body.item === undefined ? {} : body.item;
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw driveErrors.invalidRequest('"item" must be an object.');
  }
  const props = item as Record<string, unknown>;
  const { parent, name } = sessionTarget(state, drive, route);
  if (props.name !== undefined && String(props.name).toLowerCase() !== name.toLowerCase()) {
    throw driveErrors.invalidRequest(
      `item.name "${String(props.name)}" differs from the name in the path "${name}".`
    );
  }
  const fileSize = props.fileSize ?? body.fileSize;
  if (fileSize !== undefined && !(Number.isInteger(fileSize) && (fileSize as number) >= 0)) {
    throw driveErrors.invalidRequest('"fileSize" must be a non-negative integer.');
  }
  if (body.deferCommit !== undefined && typeof body.deferCommit !== "boolean") {
    throw driveErrors.invalidRequest('"deferCommit" must be a boolean.');
  }
  // faults.stall on "create": the request was read, the answer never comes (and no session exists).
  if (state.chaos.stallCreate()) return untilClosed(ctx.req.socket);
  const session = state.driveSessions.create({
    drive,
    parent,
    name,
    behavior: route.path ? behaviorOf(props, "fail") : "replace",
    deferCommit: body.deferCommit === true,
    fileSize: (fileSize as number | undefined) ?? null,
  });
  sendJson(ctx, 200, {
    "@odata.context": `${GRAPH}/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: session.uploadUrl,
    expirationDateTime: new Date(session.expiresAt).toISOString(),
    nextExpectedRanges: ["0-"],
  });
}

/**
 * Where a session's file goes: `{base}:/{folders…}/{name}:` (a missing folder created or 404,
 * per the missingFolder switch: undocumented), or `items/{id}` to update an existing file.
 */
function sessionTarget(
  state: EmulatorState,
  drive: Drive,
  route: DriveRoute
): { parent: DriveItem; name: string } {
  if (!route.path) {
    const file = route.base;
    if (file.kind !== "file" || !file.parent) {
      throw driveErrors.invalidRequest(
        "Name the new file: …/items/{parent-id}:/{name}:/createUploadSession."
      );
    }
    return { parent: file.parent, name: file.name };
  }
  if (route.path.length === 0) throw driveErrors.invalidRequest("The path names no file.");
  const folders = route.path.slice(0, -1);
  const name = checkName(route.path[route.path.length - 1]);
  let parent = itemAtPath(route.base, folders);
  if (!parent && state.config.drive.missingFolder === "create") {
    parent = ensureFolders(drive, route.base, folders);
  }
  if (!parent) throw driveErrors.itemNotFound(`The folder '${folders.join("/")}' does not exist.`);
  if (parent.kind !== "folder") throw driveErrors.invalidRequest("The parent is not a folder.");
  return { parent, name };
}

function behaviorOf(props: Record<string, unknown>, fallback: ConflictBehavior): ConflictBehavior {
  const value = props["@microsoft.graph.conflictBehavior"];
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !BEHAVIORS.includes(value)) {
    throw driveErrors.invalidRequest(
      '"@microsoft.graph.conflictBehavior" must be "fail", "rename" or "replace".'
    );
  }
  return value as ConflictBehavior;
}

async function jsonObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const body = await readJsonBody(ctx.req, DEFAULT_LIMITS.jsonBodyBytes);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw driveErrors.invalidRequest("Expected a JSON object.");
  }
  return body as Record<string, unknown>;
}
