// The upload origin (outlook.office.com in real life): PUT ranges, DELETE, optional GET status.
import { parseContentRange } from "./content-range";
import { untilClosed } from "./chaos";
import { errors, GraphError } from "./errors";
import { drain, type RequestContext, sendEmpty, sendError, sendJson } from "./http-io";
import type { EmulatorState } from "./state";
import { outlookDate } from "./state";
import { SocketDropped, type UploadSession } from "./upload-sessions";
import { sessionIdFromPath } from "./upload-url";

export async function handleUploadRequest(
  state: EmulatorState,
  ctx: RequestContext
): Promise<void> {
  const { req } = ctx;
  // The URL is pre-authenticated; a Bearer token sent to it is answered as Outlook does.
  if (req.headers.authorization !== undefined) throw errors.invalidAudience();
  const sessionId = sessionIdFromPath(ctx.url.pathname);
  if (!sessionId) throw errors.resourceNotFound(ctx.url.pathname);
  const session = state.sessions.authorize(sessionId, ctx.url.searchParams.get("authtoken"));
  await session.endStall?.(); // a client that gave up on a stalled range has come back

  switch (req.method) {
    case "PUT":
      return putRange(state, ctx, session);
    case "DELETE":
      await state.sessions.discard(session);
      return sendEmpty(ctx, 204);
    case "GET":
      if (!state.config.getStatus) throw errors.notSupported("GET");
      return sendJson(ctx, 200, rangeStatus(state, session));
    default:
      throw errors.notSupported(req.method ?? "?");
  }
}

async function putRange(
  state: EmulatorState,
  ctx: RequestContext,
  session: UploadSession
): Promise<void> {
  const range = parseContentRange(ctx.req.headers["content-range"]);
  if (typeof range === "string") throw errors.invalidContentRange(range);
  state.sessions.checkRange(session, range, ctx.req.headers["content-length"]);
  let outcome;
  try {
    outcome = await state.sessions.receive(session, range, ctx.req);
  } catch (error) {
    if (error instanceof GraphError) throw error;
    if (!(error instanceof SocketDropped))
      state.log(`range PUT ended: ${(error as Error).message}`);
    ctx.req.socket.destroy();
    return;
  }
  if (outcome.silent) return untilClosed(ctx.req.socket); // stored, never answered
  if (outcome.kind === "partial") return sendJson(ctx, 200, rangeStatus(state, outcome.session));
  // Documented: 201 Created, empty body, Location naming the new attachment.
  sendEmpty(ctx, 201, { Location: outcome.location });
}

/** `{"ExpirationDateTime","NextExpectedRanges":["2097152"]}` in the configured casing and form. */
function rangeStatus(state: EmulatorState, session: UploadSession): Record<string, unknown> {
  const { received } = session;
  const last = session.request.size - 1;
  const next = {
    bare: String(received),
    dashed: `${received}-`,
    explicit: `${received}-${last}`,
  }[state.config.rangeForm];
  return state.config.rangeCasing === "pascal"
    ? { ExpirationDateTime: outlookDate(session.expiresAt), NextExpectedRanges: [next] }
    : { expirationDateTime: outlookDate(session.expiresAt), nextExpectedRanges: [next] };
}

export function answerUploadError(ctx: RequestContext, error: GraphError): void {
  drain(ctx.req);
  sendError(ctx, error);
}
