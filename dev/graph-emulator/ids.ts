// Identifiers in the style Outlook uses (base64 ending in "="), restricted to characters that are
// safe in a URL path so a client that does or does not percent-encode them both works.
import { randomBytes, randomUUID } from "node:crypto";

export function outlookId(prefix = "AAMk"): string {
  return `${prefix}${randomBytes(18).toString("base64url")}=`;
}

export function guid(): string {
  return randomUUID();
}

/** An opaque secret for an upload URL or a dev token (base64url, no padding). */
export function secret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
