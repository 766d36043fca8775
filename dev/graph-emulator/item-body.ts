// The body of a message or event — Graph's itemBody `{contentType: "text" | "html", content}` —
// and PATCH of an item (message-update.md, event-update.md): the properties given replace the
// stored ones, the others keep their values; a message's body is updatable only while it is a
// draft. How Exchange stores an HTML body is modelled too: it answers a whole HTML document
// (`<html><head><meta …></head><body>…</body></html>`) whatever fragment was written, so a client
// that appends after the last character of what it read lands outside `<body>`.
import { GraphError, errors } from "./errors";
import type { Item } from "./mailbox-store";

export type BodyType = "text" | "html";
export interface ItemBody {
  contentType: BodyType;
  content: string;
}

/** A new item written without a body reads back as an empty text body (our choice; Graph omits nothing). */
const EMPTY_BODY: ItemBody = { contentType: "text", content: "" };

const HTML_HEAD =
  '<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n';
const HTML_TAIL = "\r\n</body>\r\n</html>\r\n";

/** An HTML fragment as Exchange hands it back: a whole document (observed, not documented). */
function asStoredHtml(content: string): string {
  return /<html[\s>]/i.test(content) ? content : `${HTML_HEAD}${content}${HTML_TAIL}`;
}

/** Validates an itemBody from a request (`contentType` in any casing, as Graph's enums are read). */
export function parseItemBody(value: unknown): ItemBody {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw errors.badRequest("body must be an itemBody object {contentType, content}.");
  }
  const { contentType, content } = value as Record<string, unknown>;
  const type = typeof contentType === "string" ? contentType.toLowerCase() : "";
  if (type !== "text" && type !== "html") {
    throw errors.badRequest('body.contentType must be "text" or "html".');
  }
  if (content !== undefined && content !== null && typeof content !== "string") {
    throw errors.badRequest("body.content must be a string.");
  }
  const text = typeof content === "string" ? content : "";
  return { contentType: type, content: type === "html" ? asStoredHtml(text) : text };
}

/** The item's body as Graph answers it (an item made through the control API may hold anything). */
export function bodyOf(item: Item): ItemBody {
  try {
    return item.properties.body === undefined ? EMPTY_BODY : parseItemBody(item.properties.body);
  } catch {
    return EMPTY_BODY;
  }
}

/** Properties a client may not write: the server's own. */
const READ_ONLY = new Set(["id", "createdDateTime", "hasAttachments", "@odata.context"]);

/** Applies a PATCH body to an item: the given properties replace the stored ones. */
export function patchItem(item: Item, patch: unknown): void {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw errors.badRequest("Expected a JSON object.");
  }
  const changes = { ...(patch as Record<string, unknown>) };
  for (const key of READ_ONLY) delete changes[key];
  if ("body" in changes) {
    if (item.kind === "message" && item.properties.isDraft === false) {
      // "body — Updatable only if isDraft = true" (message-update.md); Exchange's code for it.
      throw new GraphError(
        400,
        "ErrorInvalidPropertyUpdateSentMessage",
        "Update operation is invalid for property of a sent message."
      );
    }
    changes.body = parseItemBody(changes.body);
  }
  Object.assign(item.properties, changes);
}
