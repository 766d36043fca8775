// The upload URL and the final Location header, in the documented form:
//   https://outlook.office.com/api/v2.0/Users('{userId}@{tenantId}')/Messages('{itemId}')/AttachmentSessions('{sessionId}')?authtoken=…
//   https://outlook.office.com/api/v2.0/Users('{userId}@{tenantId}')/Messages('{itemId}')/Attachments('{attachmentId}')
// with switches for the API version, the host and the path casing that real responses vary in.
import type { EmulatorConfig } from "./config";
import type { Item } from "./mailbox-store";

type UrlConfig = Pick<EmulatorConfig, "apiVersion" | "pathCasing">;

function itemPath(config: UrlConfig, item: Item, leaf: string, leafId: string): string {
  const segments = [
    ["Users", `${item.mailbox.id}@${item.mailbox.tenantId}`],
    [item.kind === "event" ? "Events" : "Messages", item.id],
    [leaf, leafId],
  ];
  const path = segments
    .map(([name, id]) => `${config.pathCasing === "lower" ? name.toLowerCase() : name}('${id}')`)
    .join("/");
  return `/api/${config.apiVersion}/${path}`;
}

export function buildUploadUrl(
  config: UrlConfig,
  origin: string,
  item: Item,
  sessionId: string,
  token: string
): string {
  return `${origin}${itemPath(config, item, "AttachmentSessions", sessionId)}?authtoken=${token}`;
}

export function buildLocation(
  config: UrlConfig,
  origin: string,
  item: Item,
  attachmentId: string
): string {
  return `${origin}${itemPath(config, item, "Attachments", attachmentId)}`;
}

/** The session id of an upload-origin path in any of the variants above, or null. */
export function sessionIdFromPath(pathname: string): string | null {
  const match =
    /^\/api\/[^/]+\/users\('[^']*'\)\/(?:messages|events)\('[^']*'\)\/attachmentsessions\('([^']+)'\)$/i.exec(
      safeDecode(pathname)
    );
  return match ? match[1] : null;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
