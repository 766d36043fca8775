// Small helpers over node:http shared by the handlers: JSON replies, Graph errors, bounded JSON bodies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { errorBody, errors, GraphError } from "./errors";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The server's own id for this request (Graph's `request-id`). */
  requestId: string;
  /** The client's `client-request-id`, echoed as Graph does, or the request id when none was sent. */
  clientRequestId: string;
}

export function requestIds(req: IncomingMessage): { requestId: string; clientRequestId: string } {
  const requestId = randomUUID();
  const clientId = req.headers["client-request-id"];
  return {
    requestId,
    clientRequestId: typeof clientId === "string" && clientId.length <= 100 ? clientId : requestId,
  };
}

/** The id headers every answer carries. */
export function idHeaders(ctx: RequestContext): Record<string, string> {
  return { "request-id": ctx.requestId, "client-request-id": ctx.clientRequestId };
}

export function sendJson(
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    ...idHeaders(ctx),
    ...headers,
  });
  ctx.res.end(text);
}

export function sendEmpty(
  ctx: RequestContext,
  status: number,
  headers: Record<string, string> = {}
): void {
  ctx.res.writeHead(status, {
    "Content-Length": "0",
    ...idHeaders(ctx),
    ...headers,
  });
  ctx.res.end();
}

export function sendError(ctx: RequestContext, error: GraphError): void {
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  const text = errorBody(error, ctx.requestId, ctx.clientRequestId, new Date());
  ctx.res.writeHead(error.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    ...idHeaders(ctx),
    ...error.headers,
  });
  ctx.res.end(text);
}

/** Reads a JSON body of at most `limit` bytes; over the limit answers 413 without buffering the rest. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw errors.bodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw errors.bodyTooLarge(limit);
    chunks.push(chunk);
  }
  if (length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw errors.invalidJson();
  }
}

/** Discards what is left of a request body so a keep-alive connection stays usable. */
export function drain(req: IncomingMessage): void {
  if (!req.complete) req.resume();
}
