// Puts a shared file's link into the compose body, where the user's cursor is (issue #12, DESIGN §2b). What the
// documentation says, and what Outlook has been seen to do, is in README.md ("Inserting a link into the body").
// In short: getTypeAsync decides HTML or text; setSelectedDataAsync inserts at the cursor, or at the top of the
// body when the body never had or lost the focus — and it *replaces* a selection, so when the user has text
// selected in the body we prepend instead of deleting their words.
import { asyncResultToPromise } from "./async-result";
import { LinkInsertError, OfficeCallError } from "./errors";
import { currentItem, type OfficeLike } from "./office-types";

export interface LinkToInsert {
  /** The file's name as shared (OneDrive may have renamed it on a conflict). User data: always escaped. */
  name: string;
  size: number;
  /** The sharing link's address; only http(s) is inserted. */
  url: string;
}

export type BodyCoercion = "html" | "text";

export interface InsertedLink {
  coercion: BodyCoercion;
  /**
   * "cursor": through setSelectedDataAsync — at the cursor, or at the top of the body where the client lost the
   * cursor (documented); "top": through prependAsync, because text was selected or the cursor insert failed.
   */
  placement: "cursor" | "top";
}

type Callback<T> = (result: Office.AsyncResult<T>) => void;
interface BodyLike {
  getTypeAsync?: (callback: Callback<unknown>) => void;
  setSelectedDataAsync?: (data: string, options: object, callback: Callback<void>) => void;
  prependAsync?: (data: string, options: object, callback: Callback<void>) => void;
}
interface ItemWithBody {
  body?: BodyLike;
  getSelectedDataAsync?: (coercion: string, callback: Callback<unknown>) => void;
}

/** Office names the body-type error "InvalidFormatError" (Body.setSelectedDataAsync: HTML into a text body). */
const INVALID_FORMAT = "InvalidFormatError";

export async function insertLinkIntoBody(
  office: OfficeLike,
  link: LinkToInsert
): Promise<InsertedLink> {
  const item = currentItem(office) as ItemWithBody | undefined;
  const body = item?.body;
  if (typeof body?.setSelectedDataAsync !== "function") throw new LinkInsertError("unsupported");
  const url = webUrl(link.url);
  const coercion = await bodyType(body);
  const prepend = await selectionWouldBeReplaced(item!);
  if (!prepend) {
    try {
      await write(body, "setSelectedDataAsync", linkMarkup(link, url, coercion), coercion);
      return { coercion, placement: "cursor" };
    } catch (error) {
      // The body became plain text after getTypeAsync answered (the user switched format): insert as text.
      if (coercion === "html" && officeName(error) === INVALID_FORMAT)
        return insertLinkAgainAsText(body, link, url);
      // "setSelectedDataAsync can fail if the user simultaneously changes the cursor position" (docs): the
      // top of the body is still in the message, where the cursor is not needed.
      if (typeof body.prependAsync !== "function")
        throw new LinkInsertError("office", { cause: error });
    }
  }
  return prependLink(body, link, url, coercion);
}

async function insertLinkAgainAsText(body: BodyLike, link: LinkToInsert, url: string) {
  try {
    await write(body, "setSelectedDataAsync", linkMarkup(link, url, "text"), "text");
    return { coercion: "text", placement: "cursor" } as const;
  } catch (error) {
    throw new LinkInsertError("office", { cause: error });
  }
}

async function prependLink(
  body: BodyLike,
  link: LinkToInsert,
  url: string,
  coercion: BodyCoercion
): Promise<InsertedLink> {
  if (typeof body.prependAsync !== "function") throw new LinkInsertError("unsupported");
  try {
    await write(body, "prependAsync", linkMarkup(link, url, coercion), coercion);
    return { coercion, placement: "top" };
  } catch (error) {
    throw new LinkInsertError("office", { cause: error });
  }
}

function write(
  body: BodyLike,
  method: "setSelectedDataAsync" | "prependAsync",
  data: string,
  coercion: BodyCoercion
): Promise<void> {
  return asyncResultToPromise<void>(`body.${method}`, (cb) =>
    body[method]!(data, { coercionType: coercion }, cb)
  );
}

/**
 * "html" or "text". Text is the safe answer when the type cannot be read (getTypeAsync is unsupported in message
 * compose on Outlook mobile): the docs' table allows Text coercion in HTML bodies too.
 */
async function bodyType(body: BodyLike): Promise<BodyCoercion> {
  if (typeof body.getTypeAsync !== "function") return "text";
  try {
    const type = await asyncResultToPromise<unknown>("body.getTypeAsync", (cb) =>
      body.getTypeAsync!(cb)
    );
    return String(type).toLowerCase() === "html" ? "html" : "text";
  } catch {
    return "text";
  }
}

/**
 * Whether the user has text selected in the body, which setSelectedDataAsync would replace (documented). Asked
 * through item.getSelectedDataAsync (Mailbox 1.2, `{data, sourceProperty}`); when it cannot tell, the cursor
 * insert goes ahead.
 */
async function selectionWouldBeReplaced(item: ItemWithBody): Promise<boolean> {
  if (typeof item.getSelectedDataAsync !== "function") return false;
  try {
    const selected = await asyncResultToPromise<unknown>("item.getSelectedDataAsync", (cb) =>
      item.getSelectedDataAsync!("text", cb)
    );
    const { data, sourceProperty } = (selected ?? {}) as {
      data?: unknown;
      sourceProperty?: unknown;
    };
    return typeof data === "string" && data.length > 0 && String(sourceProperty) === "body";
  } catch {
    return false;
  }
}

function officeName(error: unknown): string | undefined {
  return error instanceof OfficeCallError ? error.officeName : undefined;
}

/** The link's address, normalised, when it is an http(s) URL; anything else (javascript:, data:) is refused. */
function webUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new LinkInsertError("unsafe-url");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new LinkInsertError("unsafe-url");
  return parsed.href;
}

/**
 * One line per file: the name (linked in HTML) and its size. Inline markup only: Outlook on the web leaves the
 * cursor before an inserted block element (office-js #5802), so no <div>/<p>. Control characters in a name are
 * blanked, so a name cannot start a line of its own in a text body.
 */
export function linkMarkup(link: LinkToInsert, url: string, coercion: BodyCoercion): string {
  const name = Array.from(link.name, (c) => (c < " " || c === "\u007f" ? " " : c)).join("");
  const size = formatFileSize(link.size);
  if (coercion === "text") return `${name} (${size}): ${url}\n`;
  return `<a href="${escapeHtml(url)}">${escapeHtml(name)}</a> (${size})<br>`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!
  );
}

/** Sizes as recipients read them, binary multiples with one decimal (what the pane and the playground show). */
export function formatFileSize(bytes: number): string {
  const units = ["KB", "MB", "GB", "TB"];
  if (!(bytes >= 1024)) return `${Math.max(0, Math.round(bytes || 0))} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
