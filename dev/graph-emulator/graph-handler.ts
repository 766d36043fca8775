// The Graph origin: /v1.0/me/... and /v1.0/users/{id | upn}/... for drafts, events and attachments.
// Segments may be written REST-style (`users/x/messages/y`) or OData-key style
// (`Users('x')/Messages('y')`, as in the docs' read-back examples).
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { untilClosed } from "./chaos";
import { errors } from "./errors";
import { outlookId } from "./ids";
import { idHeaders, sendEmpty, sendJson, readJsonBody, type RequestContext } from "./http-io";
import {
  attachedBytes,
  type Item,
  type ItemKind,
  type Mailbox,
  type StoredAttachment,
} from "./mailbox-store";
import type { EmulatorState } from "./state";
import { outlookDate } from "./state";
import type { AttachmentRequest } from "./upload-sessions";
import { DEFAULT_LIMITS } from "./limits";
import { handleDriveRequest } from "./drive-handler";
import { bodyOf, parseItemBody, patchItem } from "./item-body";

const GRAPH = "https://graph.microsoft.com/v1.0";
/** The docs' example reports 3,640,066 bytes for a 3,483,322-byte upload; "inflated" reproduces that ratio. */
const INFLATION = 3_640_066 / 3_483_322;

/** Splits a path into lower-cased names and keys: `Users('a')/messages/b` → ["users","a","messages","b"]. */
export function pathSegments(pathname: string): string[] {
  const out: string[] = [];
  for (const raw of pathname.split("/").filter(Boolean)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw errors.badRequest(`Malformed path segment '${raw}'.`);
    }
    const keyed = /^([^(]+)\('(.*)'\)$/.exec(segment);
    if (keyed) out.push(keyed[1].toLowerCase(), keyed[2]);
    else
      out.push(
        segment.startsWith("$") || /^[a-z]+$/i.test(segment) ? segment.toLowerCase() : segment
      );
  }
  return out;
}

const COLLECTIONS: Record<string, ItemKind> = { messages: "message", events: "event" };

export async function handleGraphRequest(state: EmulatorState, ctx: RequestContext): Promise<void> {
  const user = state.tokens.authenticate(ctx.req.headers.authorization);
  const segments = pathSegments(ctx.url.pathname);
  if (segments[0] !== "v1.0") throw errors.resourceNotFound(ctx.url.pathname);
  let rest: string[];
  let mailboxSegment: string;
  if (segments[1] === "me") {
    mailboxSegment = "me";
    rest = segments.slice(2);
  } else if (segments[1] === "users" && segments[2]) {
    mailboxSegment = segments[2];
    rest = segments.slice(3);
  } else {
    throw errors.resourceNotFound(ctx.url.pathname);
  }
  const { mailbox, delegated } = state.store.resolve(mailboxSegment, user);
  if (rest[0] === "drive") return handleDriveRequest(state, ctx, mailbox, delegated);
  const kind = COLLECTIONS[rest[0]];
  if (!kind) throw errors.resourceNotFound(rest[0] ?? ctx.url.pathname);
  const method = ctx.req.method;

  if (rest.length === 1) {
    if (method === "POST") return createItem(state, ctx, mailbox, kind);
    if (method === "GET") {
      const items = [...mailbox.items.values()].filter(
        (i) => i.kind === kind && i.visibleAt <= Date.now()
      );
      return sendJson(ctx, 200, {
        "@odata.context": `${GRAPH}/$metadata#${rest[0]}`,
        value: items.map((i) => itemJson(i)),
      });
    }
    throw errors.methodNotAllowed();
  }
  const item = state.store.visibleItem(mailbox, kind, rest[1]);
  if (rest.length === 2) {
    if (method === "GET") return sendJson(ctx, 200, itemJson(item, selectOf(ctx)));
    if (method === "PATCH") {
      patchItem(item, await readJsonBody(ctx.req, DEFAULT_LIMITS.jsonBodyBytes));
      return sendJson(ctx, 200, itemJson(item));
    }
    if (method === "DELETE") {
      mailbox.items.delete(item.id);
      await state.sessions.discardForItem(item);
      await Promise.all(
        [...item.attachments.values()].map((a) => state.storage.remove(a.filePath))
      );
      return sendEmpty(ctx, 204);
    }
    throw errors.methodNotAllowed();
  }
  if (rest[2] !== "attachments") throw errors.resourceNotFound(rest[2]);
  if (rest.length === 3) {
    if (method === "GET") return listAttachments(state, ctx, item);
    if (method === "POST") return postSmallAttachment(state, ctx, item);
    throw errors.methodNotAllowed();
  }
  if (rest[3] === "createuploadsession" && rest.length === 4) {
    if (method !== "POST") throw errors.methodNotAllowed();
    return createUploadSession(state, ctx, item, delegated);
  }
  const attachment = item.attachments.get(rest[3]);
  if (!attachment) throw errors.itemNotFound();
  if (rest.length === 5 && rest[4] === "$value") {
    if (method !== "GET") throw errors.methodNotAllowed();
    return sendAttachmentBytes(state, ctx, attachment);
  }
  if (rest.length !== 4) throw errors.resourceNotFound(rest.slice(4).join("/"));
  if (method === "GET")
    return sendJson(ctx, 200, attachmentJson(state, item, attachment, selectOf(ctx)));
  if (method === "DELETE") {
    item.attachments.delete(attachment.id);
    await state.storage.remove(attachment.filePath);
    return sendEmpty(ctx, 204);
  }
  throw errors.methodNotAllowed();
}

async function createItem(
  state: EmulatorState,
  ctx: RequestContext,
  mailbox: Mailbox,
  kind: ItemKind
) {
  const body = await readJsonBody(ctx.req, DEFAULT_LIMITS.jsonBodyBytes);
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw errors.badRequest("Expected a JSON object.");
  const properties = { ...(body as Record<string, unknown>) };
  delete properties.id;
  if (properties.body !== undefined) properties.body = parseItemBody(properties.body);
  const item = state.store.createItem(mailbox, kind, properties, state.config.itemInvisibleSeconds);
  sendJson(ctx, 201, itemJson(item));
}

/** The item as Graph answers it; with `$select`, only `id` and the fields named (e.g. `$select=body`). */
function itemJson(item: Item, select: string[] | null = null): Record<string, unknown> {
  const collection = item.kind === "event" ? "events" : "messages";
  const all: Record<string, unknown> = {
    ...(item.kind === "message" ? { isDraft: true } : {}),
    ...item.properties,
    body: bodyOf(item),
    id: item.id,
    createdDateTime: item.createdDateTime,
    hasAttachments: item.attachments.size > 0,
  };
  const fields = selected(all, select);
  return {
    "@odata.context": `${GRAPH}/$metadata#users('${encodeURIComponent(item.mailbox.address)}')/${collection}/$entity`,
    ...fields,
  };
}

function selectOf(ctx: RequestContext): string[] | null {
  const select = ctx.url.searchParams.get("$select");
  return select
    ? select
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
}

/** `$select`: `id` and the fields named; everything without one. */
function selected(all: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  return select
    ? Object.fromEntries(Object.entries(all).filter(([k]) => k === "id" || select.includes(k)))
    : all;
}

function reportedSize(state: EmulatorState, attachment: StoredAttachment): number {
  return state.config.reportedSize === "inflated"
    ? Math.round(attachment.size * INFLATION)
    : attachment.size;
}

function attachmentJson(
  state: EmulatorState,
  item: Item,
  attachment: StoredAttachment,
  select: string[] | null
): Record<string, unknown> {
  const collection = item.kind === "event" ? "events" : "messages";
  const all: Record<string, unknown> = {
    id: attachment.id,
    lastModifiedDateTime: attachment.lastModifiedDateTime,
    name: attachment.name,
    contentType: attachment.contentType,
    size: reportedSize(state, attachment),
    isInline: attachment.isInline,
    contentId: attachment.contentId ?? null,
  };
  const fields = selected(all, select);
  return {
    "@odata.context": `${GRAPH}/$metadata#users('${encodeURIComponent(item.mailbox.id)}')/${collection}('${encodeURIComponent(item.id)}')/attachments/$entity`,
    "@odata.type": "#microsoft.graph.fileAttachment",
    "@odata.mediaContentType": attachment.contentType,
    ...fields,
  };
}

/**
 * Lists attachments. Graph would include `contentBytes` for each file; the emulator leaves it out
 * (read `$value` instead) so a list never loads 150 MB into memory.
 */
function listAttachments(state: EmulatorState, ctx: RequestContext, item: Item) {
  const select = selectOf(ctx);
  const value = [...item.attachments.values()].filter(listedNow).map((a) => {
    const json = attachmentJson(state, item, a, select);
    delete json["@odata.context"];
    return json;
  });
  sendJson(ctx, 200, { "@odata.context": `${GRAPH}/$metadata#attachments`, value });
}

/** False (once per listing) while a POSTed attachment is still hidden from listings. */
function listedNow(attachment: StoredAttachment): boolean {
  if (!attachment.hiddenListings) return true;
  attachment.hiddenListings--;
  return false;
}

const READ_CHUNK = 256 * 1024;

/**
 * Streams an attachment's bytes through two reused buffers: a buffer is refilled only after the
 * socket has taken the bytes written from it, so a download allocates nothing per chunk (less
 * garbage for V8 to collect) and never holds more than two chunks. The bandwidth cap paces it.
 * OneDrive's `…/content` is served by it too.
 */
export async function sendAttachmentBytes(
  state: EmulatorState,
  ctx: RequestContext,
  attachment: Pick<StoredAttachment, "filePath" | "size" | "contentType">
) {
  const { res } = ctx;
  const handle = await open(attachment.filePath, "r");
  res.writeHead(200, {
    "Content-Type": attachment.contentType,
    "Content-Length": String(attachment.size),
    ...idHeaders(ctx),
  });
  const link = state.bandwidth;
  const chunkSize = Math.min(READ_CHUNK, link.sliceBytes());
  const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
  const released: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
  let position = 0;
  try {
    for (let turn = 0; position < attachment.size; turn++) {
      const slot = turn % 2;
      await released[slot];
      const { bytesRead } = await handle.read(buffers[slot], 0, chunkSize, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const wait = link.wait(ctx.req.socket, "down", bytesRead);
      if (wait > 0) await sleep(wait);
      released[slot] = new Promise<void>((resolve, reject) => {
        res.write(buffers[slot].subarray(0, bytesRead), (error) =>
          error ? reject(error) : resolve()
        );
      });
      released[slot].catch(() => undefined);
    }
    await Promise.all(released);
    res.end();
  } catch {
    res.destroy();
  } finally {
    await handle.close();
  }
}

/** The single-request route for small files: base64 contentBytes, whole body ≤ 4 MB. */
async function postSmallAttachment(state: EmulatorState, ctx: RequestContext, item: Item) {
  const body = (await readJsonBody(ctx.req, state.config.smallPostBodyBytes)) as Record<
    string,
    unknown
  >;
  const type = body["@odata.type"];
  if (type !== "#microsoft.graph.fileAttachment" && type !== "microsoft.graph.fileAttachment") {
    throw errors.badRequest("Only #microsoft.graph.fileAttachment is supported by the emulator.");
  }
  if (typeof body.name !== "string" || !body.name)
    throw errors.badRequest("The attachment needs a name.");
  if (typeof body.contentBytes !== "string")
    throw errors.badRequest("The attachment needs contentBytes.");
  const bytes = Buffer.from(body.contentBytes, "base64");
  const { config } = state;
  if (
    (attachedBytes(item) + bytes.length) * config.messageSizeFactor >
    config.maxMessageSizeBytes
  ) {
    throw errors.messageSizeExceeded();
  }
  const id = outlookId(item.id.slice(0, 12));
  const attachment: StoredAttachment = {
    id,
    name: body.name,
    contentType:
      typeof body.contentType === "string" ? body.contentType : "application/octet-stream",
    size: bytes.length,
    isInline: body.isInline === true,
    contentId: typeof body.contentId === "string" ? body.contentId : undefined,
    lastModifiedDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    filePath: await state.storage.writeAttachment(id, bytes),
    hiddenListings: config.postHiddenFromListings,
  };
  item.attachments.set(id, attachment);
  sendJson(ctx, 201, attachmentJson(state, item, attachment, null));
}

/** Reads a property whatever its casing: the docs write `AttachmentItem`, clients send either. */
function prop(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

async function createUploadSession(
  state: EmulatorState,
  ctx: RequestContext,
  item: Item,
  delegated: boolean
) {
  const body = await readJsonBody(ctx.req, DEFAULT_LIMITS.jsonBodyBytes);
  const attachmentItem =
    typeof body === "object" && body
      ? prop(body as Record<string, unknown>, "AttachmentItem")
      : null;
  if (typeof attachmentItem !== "object" || attachmentItem === null) {
    throw errors.badRequest("The request body needs an AttachmentItem.");
  }
  const a = attachmentItem as Record<string, unknown>;
  const attachmentType = prop(a, "attachmentType");
  if (attachmentType !== undefined && String(attachmentType).toLowerCase() !== "file") {
    throw errors.badRequest('AttachmentItem.attachmentType must be "file".');
  }
  const name = prop(a, "name");
  const size = prop(a, "size");
  if (typeof name !== "string" || !name)
    throw errors.badRequest("AttachmentItem.name is required.");
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) {
    throw errors.badRequest("AttachmentItem.size must be a non-negative integer.");
  }
  // Known issue: delegated permissions on a shared / delegated mailbox get 403 here.
  if (delegated && state.config.sharedMailbox403) throw errors.accessDenied();
  if (size < state.config.sessionMinBytes) throw errors.sizeBelowMinimum();
  if (size > state.config.sessionMaxBytes)
    throw errors.sizeAboveMaximum(state.config.sessionMaxBytes);
  // faults.stall on "create": the request was read, the answer never comes (and no session exists).
  if (state.chaos.stallCreate()) return untilClosed(ctx.req.socket);
  const contentType = prop(a, "contentType");
  const contentId = prop(a, "contentId");
  const request: AttachmentRequest = {
    name,
    size,
    contentType:
      typeof contentType === "string" && contentType ? contentType : "application/octet-stream",
    isInline: prop(a, "isInline") === true,
    contentId: typeof contentId === "string" ? contentId : undefined,
  };
  const session = state.sessions.create(item, request);
  sendJson(ctx, 201, {
    "@odata.context": `${GRAPH}/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: session.uploadUrl,
    expirationDateTime: outlookDate(session.expiresAt),
    nextExpectedRanges: ["0-"],
  });
}
