// CORS as a real cross-origin deployment needs it: the task pane's origin differs from the Graph
// origin, and the upload URL is on yet another origin (outlook.office.com vs graph.microsoft.com).
import type { IncomingMessage, ServerResponse } from "node:http";

const ALLOW_METHODS = "GET, POST, PUT, DELETE, PATCH, OPTIONS";
const ALLOW_HEADERS =
  "Authorization, Content-Type, Content-Range, Prefer, client-request-id, return-client-request-id";
const EXPOSE_HEADERS =
  "Location, Content-Range, Content-Length, request-id, client-request-id, Retry-After";

/**
 * Adds the CORS headers for an allowed Origin. Returns true when the request was a preflight
 * and has been answered.
 */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowedOrigins: string[] | undefined,
  /** The exposeLocation switch off (upload origin): browser JavaScript must not be able to read Location. */
  hideLocation = false
): boolean {
  const origin = req.headers.origin;
  const allowed =
    typeof origin === "string" && (!allowedOrigins || allowedOrigins.includes(origin));
  if (allowed) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
    res.setHeader(
      "Access-Control-Expose-Headers",
      hideLocation ? EXPOSE_HEADERS.replace("Location, ", "") : EXPOSE_HEADERS
    );
  }
  if (req.method !== "OPTIONS") return false;
  if (allowed) {
    res.setHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
    res.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
    res.setHeader("Access-Control-Max-Age", "600");
  }
  res.writeHead(allowed ? 204 : 403, { "Content-Length": "0" });
  res.end();
  return true;
}
