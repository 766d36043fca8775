// `attach --share-over-limit`: the links of the files shared instead go into the draft's body
// through Graph — a script has no compose form to insert into. The body is read
// (`GET …/{item}?$select=body`), the links appended (HTML escaped for an HTML body, plain lines for a
// text body: the markup the task pane inserts, src/office/body.ts), and the item PATCHed with the
// new body. Exchange answers an HTML body as a whole document, so the links go before its
// `</body>`, not after `</html>`.
import { linkMarkup, type LinkToInsert } from "../office/body";
import {
  Backoff,
  Phases,
  ProtocolError,
  attachmentsUrl,
  fetchStack,
  resolveOptions,
  type TokenProvider,
  type UploadOptions,
  type UploadTarget,
} from "../upload";
import { graphRequest } from "../upload/graph";

export type { LinkToInsert };

export interface ItemBody {
  contentType: "text" | "html";
  content: string;
}

/** The body with one line per link appended (a block of its own, after what is there). */
export function withLinks(body: ItemBody, links: readonly LinkToInsert[]): ItemBody {
  const lines = links.map((link) => linkMarkup(link, webUrl(link.url), body.contentType)).join("");
  if (body.contentType === "text") {
    const content = body.content;
    const gap = content === "" ? "" : content.endsWith("\n") ? "\n" : "\n\n";
    return { contentType: "text", content: `${content}${gap}${lines}` };
  }
  const block = `<div>${lines}</div>`;
  const end = body.content.toLowerCase().lastIndexOf("</body>");
  const content =
    end < 0
      ? `${body.content}${block}`
      : `${body.content.slice(0, end)}${block}\r\n${body.content.slice(end)}`;
  return { contentType: "html", content };
}

/** Only an http(s) address goes into a message (a hostile server could answer `javascript:`). */
function webUrl(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ProtocolError("The sharing link is not an http(s) address; it was not added.");
  }
  return url.href;
}

/**
 * Appends the links to the item's body on the server (GET, then PATCH). Errors are the engine's
 * (HttpError, NetworkError, TokenError…), with the same retries as every Graph call.
 */
export async function appendLinksToItem(
  target: UploadTarget,
  getToken: TokenProvider,
  links: readonly LinkToInsert[],
  uploadOptions: Partial<UploadOptions> = {}
): Promise<ItemBody["contentType"]> {
  const options = resolveOptions(uploadOptions);
  const ctx = {
    target,
    getToken,
    options,
    http: options.transport ?? fetchStack(options.fetch),
    backoff: new Backoff(options, new Phases()),
  };
  // The item's own URL: the attachments collection's parent (one place builds Graph item paths).
  const url = attachmentsUrl(target).replace(/\/attachments$/, "");
  const kind = target.itemKind === "event" ? "event" : "message";
  const read = await graphRequest(ctx, {
    method: "GET",
    url: `${url}?$select=body`,
    what: `Reading the ${kind}'s body`,
    idempotent: true,
  });
  const body = bodyFrom(read.body);
  await graphRequest(ctx, {
    method: "PATCH",
    url,
    body: JSON.stringify({ body: withLinks(body, links) }),
    what: `Adding the links to the ${kind}'s body`,
    // Writing the same body twice leaves the same body: a repeat after a lost answer is harmless.
    idempotent: true,
  });
  return body.contentType;
}

function bodyFrom(text: string): ItemBody {
  let body: unknown;
  try {
    body = (JSON.parse(text) as { body?: unknown }).body;
  } catch {
    body = undefined;
  }
  const { contentType, content } = (body ?? {}) as Record<string, unknown>;
  const type = typeof contentType === "string" ? contentType.toLowerCase() : "";
  if ((type !== "text" && type !== "html") || typeof content !== "string") {
    throw new ProtocolError("Graph answered the item without a readable body.");
  }
  return { contentType: type, content };
}
