// /_emulator/*: the dev-only control surface (tokens, config, mailboxes, inspection, reset).
// No auth: it exists for the playground, tests and benchmarks on a developer machine.
import { errors, GraphError } from "./errors";
import { readJsonBody, sendJson, type RequestContext } from "./http-io";
import type { ConfigPatch } from "./config";
import type { ItemKind } from "./mailbox-store";
import { DEFAULT_USER } from "./tokens";
import type { EmulatorControl } from "./emulator";

const JSON_LIMIT = 64 * 1024;

export async function handleControlRequest(
  control: EmulatorControl,
  ctx: RequestContext
): Promise<void> {
  const route = `${ctx.req.method} ${ctx.url.pathname.replace(/\/+$/, "")}`;
  switch (route) {
    case "POST /_emulator/token": {
      const body = (await readJsonBody(ctx.req, JSON_LIMIT)) as {
        user?: unknown;
        expiresIn?: unknown;
        app?: unknown;
      };
      const user = typeof body.user === "string" && body.user ? body.user : DEFAULT_USER;
      const expiresIn = typeof body.expiresIn === "number" ? body.expiresIn : undefined;
      const app = typeof body.app === "string" && body.app ? body.app : undefined;
      const token = control.issueToken(user, expiresIn, app);
      return sendJson(ctx, 200, {
        access_token: token,
        token_type: "Bearer",
        expires_in: expiresIn ?? 3600,
      });
    }
    case "GET /_emulator/config":
      return sendJson(ctx, 200, control.getConfig());
    case "PUT /_emulator/config":
    case "PATCH /_emulator/config": {
      const patch = (await readJsonBody(ctx.req, JSON_LIMIT)) as ConfigPatch;
      try {
        control.configure(patch);
      } catch (error) {
        throw errors.badRequest((error as Error).message);
      }
      return sendJson(ctx, 200, control.getConfig());
    }
    case "POST /_emulator/mailboxes": {
      const body = (await readJsonBody(ctx.req, JSON_LIMIT)) as Record<string, unknown>;
      const address = body.mailbox ?? body.address;
      if (typeof address !== "string" || !address.includes("@"))
        throw errors.badRequest('"mailbox" must be an address.');
      const delegates = Array.isArray(body.delegates)
        ? body.delegates.filter((d): d is string => typeof d === "string")
        : [];
      return sendJson(
        ctx,
        201,
        control.addMailbox(
          address,
          delegates,
          typeof body.displayName === "string" ? body.displayName : undefined
        )
      );
    }
    case "GET /_emulator/mailboxes":
      return sendJson(ctx, 200, { value: control.mailboxes() });
    case "POST /_emulator/items": {
      const body = (await readJsonBody(ctx.req, JSON_LIMIT)) as Record<string, unknown>;
      const kind =
        body.kind === "event"
          ? "event"
          : body.kind === "message" || body.kind === undefined
            ? "message"
            : null;
      if (!kind) throw errors.badRequest('"kind" must be "message" or "event".');
      const mailbox = typeof body.mailbox === "string" ? body.mailbox : DEFAULT_USER;
      const invisible =
        typeof body.invisibleForSeconds === "number" ? body.invisibleForSeconds : undefined;
      const properties =
        typeof body.properties === "object" && body.properties
          ? (body.properties as Record<string, unknown>)
          : {};
      return sendJson(
        ctx,
        201,
        control.createItem({
          mailbox,
          kind: kind as ItemKind,
          properties,
          invisibleForSeconds: invisible,
        })
      );
    }
    case "GET /_emulator/sessions":
      return sendJson(ctx, 200, { value: control.openSessions() });
    case "GET /_emulator/faults":
      return sendJson(ctx, 200, { value: control.faultLog() });
    case "GET /_emulator/stats": {
      // Memory of the emulator process: maxRss is the peak resident set size (bytes) so far.
      const { rss, heapUsed } = process.memoryUsage();
      return sendJson(ctx, 200, {
        rss,
        heapUsed,
        maxRss: process.resourceUsage().maxRSS * 1024,
        openSessions: control.openSessions().length,
        openDriveSessions: control.driveSessions().length,
      });
    }
    case "GET /_emulator/drive":
      return sendJson(ctx, 200, { value: control.driveItems() });
    case "GET /_emulator/drive/sessions":
      return sendJson(ctx, 200, { value: control.driveSessions() });
    case "GET /_emulator/upload-requests":
      return sendJson(ctx, 200, { value: control.uploadRequests() });
    case "GET /_emulator/attachments":
      return sendJson(ctx, 200, { value: control.attachments() });
    case "POST /_emulator/reset":
      await control.reset();
      return sendJson(ctx, 200, { ok: true });
    case "POST /_emulator/restart":
      // Answer first: the restart destroys live sockets, this one included.
      sendJson(ctx, 200, { ok: true }, { Connection: "close" });
      ctx.res.once("finish", () => void control.restart());
      return;
    default:
      throw new GraphError(404, "ResourceNotFound", `No control endpoint ${route}.`);
  }
}
