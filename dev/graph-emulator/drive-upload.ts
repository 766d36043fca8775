// The OneDrive upload URL on the upload origin (*.sharepoint.com / *.up.1drv.com in real life):
// PUT ranges, GET status, DELETE to cancel, and the empty POST that commits a deferCommit
// session; and, with drive.contentRedirect, the download URL `…/content` redirects to. Pre-authenticated by its tempauth: an Authorization header is refused (docs: "may
// result in an HTTP 401"). Faults apply here as on the attachment upload URL: the status and
// latency faults before the handler (emulator.ts), pacing, drops and stalls in range-body.ts.
import { untilClosed } from "./chaos";
import { parseContentRange } from "./content-range";
import { driveErrors } from "./drive-errors";
import { driveItemJson } from "./drive-json";
import type { DriveUploadSession } from "./drive-sessions";
import { GraphError } from "./errors";
import { sendEmpty, sendJson, type RequestContext } from "./http-io";
import { SocketDropped } from "./range-body";
import { sendAttachmentBytes } from "./graph-handler";
import type { EmulatorState } from "./state";
import { sameSecret } from "./upload-sessions";

/** What a path on the upload origin addresses on the drive side, if anything. */
export type DriveUploadRoute =
  { kind: "session"; sessionId: string } | { kind: "download"; driveId: string; itemId: string };

const UPLOAD_PATH = /^\/_api\/v2\.0\/drives\/[^/]+\/items\/[^/]+\/uploadSession$/i;
const DOWNLOAD_PATH = /^\/_api\/v2\.0\/drives\/([^/]+)\/items\/([^/]+)\/download$/i;

/** `…/uploadSession?guid='…'` (an upload URL) or `…/download` (a download URL), else null. */
export function driveUploadRoute(url: URL): DriveUploadRoute | null {
  if (UPLOAD_PATH.test(url.pathname)) {
    const guid = /^'?([0-9a-f-]+)'?$/i.exec(url.searchParams.get("guid") ?? "")?.[1] ?? "";
    return { kind: "session", sessionId: guid };
  }
  const download = DOWNLOAD_PATH.exec(url.pathname);
  if (!download) return null;
  return { kind: "download", driveId: decodeURIComponent(download[1]), itemId: download[2] };
}

export async function handleDriveUploadRequest(
  state: EmulatorState,
  ctx: RequestContext,
  route: DriveUploadRoute
): Promise<void> {
  if (route.kind === "download") return download(state, ctx, route);
  const { req } = ctx;
  if (req.headers.authorization !== undefined) throw driveErrors.authorizationSent();
  const session = state.driveSessions.authorize(
    route.sessionId,
    ctx.url.searchParams.get("tempauth")
  );
  await session.endStall?.(); // a client that gave up on a stalled range has come back
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
      return sendJson(
        ctx,
        state.config.drive.finalStatus,
        driveItemJson(state, item, session.drive)
      );
    }
    default:
      throw driveErrors.notAllowed(req.method ?? "?");
  }
}

/** GET on a download URL: the file's bytes, if the tempauth is the file's current one. */
async function download(
  state: EmulatorState,
  ctx: RequestContext,
  route: Extract<DriveUploadRoute, { kind: "download" }>
) {
  if (ctx.req.method !== "GET") throw driveErrors.notAllowed(ctx.req.method ?? "?");
  const drive = state.drives.all().find((d) => d.id === route.driveId);
  const item = drive?.items.get(route.itemId);
  if (!item || item.kind !== "file") throw driveErrors.itemNotFound();
  const token = ctx.url.searchParams.get("tempauth");
  if (!token || !sameSecret(token, item.downloadToken)) throw driveErrors.badTempAuth();
  return sendAttachmentBytes(state, ctx, {
    filePath: item.filePath,
    size: item.size,
    contentType: item.mimeType,
  });
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
  if (outcome.silent) return untilClosed(ctx.req.socket); // stored, never answered
  const { drive } = state.config;
  if (outcome.kind === "partial") {
    return sendJson(ctx, drive.middleStatus, state.driveSessions.status(outcome.session));
  }
  sendJson(ctx, drive.finalStatus, driveItemJson(state, outcome.item, session.drive));
}
