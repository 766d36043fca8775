// The OneDrive upload URL on the upload origin (*.sharepoint.com / *.up.1drv.com in real life):
// PUT ranges, GET status, DELETE to cancel, and the empty POST that commits a deferCommit
// session. Pre-authenticated by its tempauth: an Authorization header is refused (docs: "may
// result in an HTTP 401"). Faults apply here as on the attachment upload URL: the status and
// latency faults before the handler (emulator.ts), pacing and drops in range-body.ts.
import { parseContentRange } from "./content-range";
import { driveErrors } from "./drive-errors";
import { driveItemJson } from "./drive-json";
import type { DriveUploadSession } from "./drive-sessions";
import { GraphError } from "./errors";
import { sendEmpty, sendJson, type RequestContext } from "./http-io";
import { SocketDropped } from "./range-body";
import type { EmulatorState } from "./state";

export async function handleDriveUploadRequest(
  state: EmulatorState,
  ctx: RequestContext,
  sessionId: string
): Promise<void> {
  const { req } = ctx;
  if (req.headers.authorization !== undefined) throw driveErrors.authorizationSent();
  const session = state.driveSessions.authorize(sessionId, ctx.url.searchParams.get("tempauth"));
  switch (req.method) {
    case "PUT":
      return putRange(state, ctx, session);
    case "GET":
      if (!state.config.drive.getStatus) throw driveErrors.notAllowed("GET");
      return sendJson(ctx, 200, state.driveSessions.status(session));
    case "DELETE":
      await state.driveSessions.discard(session);
      return sendEmpty(ctx, 204);
    case "POST": {
      if (!session.deferCommit || Number(req.headers["content-length"] ?? "0") !== 0)
        throw driveErrors.notAllowed("POST with a body, or without deferCommit,");
      const item = await state.driveSessions.commitDeferred(session);
      return sendJson(ctx, state.config.drive.finalStatus, driveItemJson(item, session.drive));
    }
    default:
      throw driveErrors.notAllowed(req.method ?? "?");
  }
}

async function putRange(state: EmulatorState, ctx: RequestContext, session: DriveUploadSession) {
  const range = parseContentRange(ctx.req.headers["content-range"]);
  if (typeof range === "string") throw driveErrors.invalidRequest(range);
  state.driveSessions.checkRange(session, range, ctx.req.headers["content-length"]);
  let outcome;
  try {
    outcome = await state.driveSessions.receive(session, range, ctx.req);
  } catch (error) {
    if (error instanceof GraphError) throw error;
    if (!(error instanceof SocketDropped))
      state.log(`drive range PUT ended: ${(error as Error).message}`);
    ctx.req.socket.destroy();
    return;
  }
  const { drive } = state.config;
  if (outcome.kind === "partial") {
    return sendJson(ctx, drive.middleStatus, state.driveSessions.status(outcome.session));
  }
  sendJson(ctx, drive.finalStatus, driveItemJson(outcome.item, session.drive));
}
