// Reading what Graph and the upload host answer. Each function accepts every documented form,
// because Microsoft's SDKs broke on several of them (DESIGN.md §2).
import { ProtocolError, redactText } from "./errors";

export interface SessionStatus {
  /** Lowest byte the server still expects; undefined when the answer carried no ranges. */
  nextExpected?: number;
  expirationDateTime?: string;
}

/** Reads a property in any casing (`NextExpectedRanges`, `nextExpectedRanges`, …). */
export function getCaseInsensitive(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/**
 * The lowest start among NextExpectedRanges entries: `"0-"`, a bare `"2097152"`, `"a-b"`, several.
 * Returns undefined for an empty or absent list; throws ProtocolError for an unreadable entry.
 */
export function lowestExpectedStart(ranges: unknown): number | undefined {
  if (ranges === undefined || ranges === null) return undefined;
  const list = Array.isArray(ranges) ? ranges : [ranges];
  let lowest: number | undefined;
  for (const entry of list) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d*)\s*)?$/.exec(String(entry));
    if (!match) {
      // Server text: shortened and redacted before it goes into a message.
      const shown = JSON.stringify(redactText(String(entry)).slice(0, 40));
      throw new ProtocolError(`Unreadable NextExpectedRanges entry ${shown}.`);
    }
    const start = Number(match[1]);
    if (match[2]) {
      const end = Number(match[2]);
      if (end < start)
        throw new ProtocolError(`Inverted NextExpectedRanges entry "${start}-${end}".`);
    }
    if (lowest === undefined || start < lowest) lowest = start;
  }
  return lowest;
}

/** Parses an upload-session document (creation answer, 200 to a range, GET status). */
export function parseSessionStatus(body: string): SessionStatus {
  if (body.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ProtocolError("The upload server answered with a body that is not JSON.", {
      cause: error,
    });
  }
  const expiration = getCaseInsensitive(json, "expirationDateTime");
  return {
    nextExpected: lowestExpectedStart(getCaseInsensitive(json, "nextExpectedRanges")),
    expirationDateTime: typeof expiration === "string" ? expiration : undefined,
  };
}

/**
 * The attachment id in a 201 `Location`: `…/Attachments('id')` with any host, API version
 * (`v2.0`, `beta`, `gv1.0`) and path casing; also a plain `/attachments/id` path.
 */
export function attachmentIdFromLocation(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  const quoted = /\/attachments\('([^']+)'\)/i.exec(location);
  if (quoted) return decodeURIComponentSafe(quoted[1]);
  const plain = /\/attachments\/([^/?#]+)/i.exec(location);
  if (plain) return decodeURIComponentSafe(plain[1]);
  return undefined;
}

/** The item id a `Location` names (`…/Messages('id')/…` or `…/Events('id')/…`), if it names one. */
export function itemIdFromLocation(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  const match = /\/(?:messages|events)\('([^']+)'\)/i.exec(location);
  return match ? decodeURIComponentSafe(match[1]) : undefined;
}

/** Ids compared as Outlook writes them: URL-safe and standard base64 spellings are the same id. */
export function sameItemId(a: string, b: string): boolean {
  const norm = (id: string) => id.replace(/-/g, "/").replace(/_/g, "+");
  return norm(a) === norm(b);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `id` from a JSON body, if the body is JSON with a string id. */
export function idFromBody(body: string): string | undefined {
  if (body.trim() === "") return undefined;
  try {
    const id = getCaseInsensitive(JSON.parse(body), "id");
    return typeof id === "string" && id !== "" ? id : undefined;
  } catch {
    return undefined;
  }
}

export interface GraphErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
  date?: string;
}

/** The Graph error shape `{"error":{"code","message","innerError":{"request-id","date"}}}`, tolerant of others. */
export function parseGraphError(body: string): GraphErrorBody {
  try {
    const error = getCaseInsensitive(JSON.parse(body), "error");
    if (error === null || typeof error !== "object") return {};
    const inner = getCaseInsensitive(error, "innerError");
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    return {
      // Codes go into messages and the CLI's output: only code-shaped text, never free text.
      code: codeShaped(str(getCaseInsensitive(error, "code"))),
      message: str(getCaseInsensitive(error, "message")),
      requestId:
        str(getCaseInsensitive(inner, "request-id")) ?? str(getCaseInsensitive(inner, "requestId")),
      date: str(getCaseInsensitive(inner, "date")),
    };
  } catch {
    return {};
  }
}

function codeShaped(code: string | undefined): string | undefined {
  return code !== undefined && /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(code) ? code : undefined;
}

/** The `claims` parameter of a `WWW-Authenticate` challenge (Conditional Access), if any. */
export function claimsFromChallenge(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /claims="([^"]+)"/i.exec(header);
  if (!match) return undefined;
  // Graph sends the claims base64-encoded; MSAL expects the JSON.
  const raw = match[1];
  if (raw.trim().startsWith("{")) return raw;
  try {
    return typeof atob === "function" ? atob(raw) : raw;
  } catch {
    return raw;
  }
}
