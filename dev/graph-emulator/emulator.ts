// Wires the two origins (Graph and upload) to the handlers and exposes the control API that
// tests, the playground and the CLI use. Plain node:http (or node:https when given a key and
// certificate, for clients such as the Graph SDK that only accept https URLs).
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { Bandwidth } from "./bandwidth";
import { Chaos, type FaultEvent } from "./chaos";
import { applyConfigPatch, DEFAULT_CONFIG, type ConfigPatch, type EmulatorConfig } from "./config";
import { handleControlRequest } from "./control-handler";
import {
  driveFilePaths,
  driveItemInfos,
  driveSessionInfos,
  type DriveItemInfo,
  type DriveSessionInfo,
} from "./drive-control";
import { DriveUploadSessions } from "./drive-sessions";
import { DriveStore } from "./drive-store";
import { driveUploadRoute, handleDriveUploadRequest } from "./drive-upload";
import { applyCors } from "./cors";
import { GraphError } from "./errors";
import { handleGraphRequest } from "./graph-handler";
import { drain, requestIds, sendError, type RequestContext } from "./http-io";
import { MailboxStore, type ItemKind } from "./mailbox-store";
import type { EmulatorState } from "./state";
import { AttachmentStorage } from "./storage";
import { DEFAULT_USER, TokenIssuer } from "./tokens";
import { handleUploadRequest } from "./upload-handler";
import { UploadSessions } from "./upload-sessions";

export interface EmulatorOptions {
  /** Graph origin port; 0 = a free port. */
  port?: number;
  /** Upload origin port (a different origin, as outlook.office.com is from graph.microsoft.com); 0 = free. */
  uploadPort?: number;
  config?: ConfigPatch;
  /** Where attachment bytes are written; a fresh temp dir (removed on close) by default. */
  storageDir?: string;
  /** Origins allowed by CORS; default any origin. */
  corsOrigins?: string[];
  /** PEM key and certificate: serve both origins over https. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  log?: (line: string) => void;
}

export interface OpenSessionInfo {
  id: string;
  mailbox: string;
  itemKind: ItemKind;
  itemId: string;
  name: string;
  size: number;
  received: number;
  expiresAt: string;
  /** A range is being received right now. */
  busy: boolean;
}

export interface AttachmentInfo {
  mailbox: string;
  itemKind: ItemKind;
  itemId: string;
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

/**
 * One request the upload origin received, as the client sent it: so tests can check what went to
 * the upload URL (no Authorization header, every range's size) without a proxy. The URL's query —
 * its secret — is not kept.
 */
export interface UploadRequestInfo {
  method: string;
  /** "drive" for a OneDrive upload URL, "attachment" for an Outlook one. */
  kind: "drive" | "attachment";
  path: string;
  contentRange: string | null;
  contentLength: number | null;
  /** Whether an Authorization header came with it (a client must never send one). */
  authorization: boolean;
}

/** The log keeps the latest requests only: bounded memory over a long demo session. */
const MAX_UPLOAD_REQUESTS = 10_000;

export interface RunningEmulator {
  /** "http://127.0.0.1:PORT" (control endpoints under /_emulator). */
  url: string;
  /** "http://127.0.0.1:PORT/v1.0". */
  graphUrl: string;
  /** "http://127.0.0.1:UPLOADPORT". */
  uploadOrigin: string;
  /** Where attachment and session files are written. */
  storageDir: string;
  configure(patch: ConfigPatch): void;
  getConfig(): EmulatorConfig & { pendingScript: EmulatorConfig["faults"]["script"] };
  /** `app`: the application the token is issued to (default "large-attach"; createLink links are per app). */
  issueToken(user?: string, expiresInSec?: number, app?: string): string;
  /** Faults injected since the fault config was last set (oldest first). */
  faultLog(): FaultEvent[];
  openSessions(): OpenSessionInfo[];
  attachments(): AttachmentInfo[];
  /** Every folder and file in the users' OneDrives, with each file's SHA-256 and sharing links. */
  driveItems(): DriveItemInfo[];
  /** Open OneDrive upload sessions. */
  driveSessions(): DriveSessionInfo[];
  /** Requests the upload origin received since the start or the last reset (oldest first, at most 10,000). */
  uploadRequests(): UploadRequestInfo[];
  /** Sets up a shared mailbox and who may act on it. */
  addMailbox(
    address: string,
    delegates: string[],
    displayName?: string
  ): { id: string; address: string; delegates: string[] };
  mailboxes(): Array<{ id: string; address: string; delegates: string[] }>;
  /** Creates a draft or event as Outlook would (optionally invisible to Graph for a while). */
  createItem(input: {
    mailbox?: string;
    kind: ItemKind;
    properties?: Record<string, unknown>;
    invisibleForSeconds?: number;
  }): { id: string; kind: ItemKind; mailbox: string; visibleAt: string };
  /** Drops every open upload session and live socket; items and attachments stay. */
  restart(): Promise<void>;
  /** Forgets mailboxes, items, attachments and sessions and restores the start config (tokens stay valid). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The control surface the /_emulator handler needs. */
export type EmulatorControl = Omit<
  RunningEmulator,
  "url" | "graphUrl" | "uploadOrigin" | "storageDir" | "close"
>;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.log ?? (() => undefined);
  const initialConfig = applyConfigPatch(DEFAULT_CONFIG, options.config ?? {});
  const storage = await AttachmentStorage.create(options.storageDir);
  const scheme = options.tls ? "https" : "http";
  const state: EmulatorState = {
    config: initialConfig,
    chaos: new Chaos(initialConfig.faults),
    bandwidth: new Bandwidth(() => state.config.faults),
    store: new MailboxStore(),
    storage,
    tokens: new TokenIssuer(),
    sessions: new UploadSessions(() => state),
    drives: new DriveStore(),
    driveSessions: new DriveUploadSessions(() => state),
    graphOrigin: "",
    uploadPort: 0,
    uploadScheme: scheme,
    log,
  };

  const sockets = new Set<Socket>();
  const makeServer = (handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
    const server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttpServer(handler);
    server.keepAliveTimeout = 30_000;
    server.requestTimeout = 0; // slow (bandwidth-capped) uploads must not be cut by the server
    server.on(options.tls ? "secureConnection" : "connection", (socket: Socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.once("close", () => sockets.delete(socket));
    });
    return server;
  };

  let uploadRequests: UploadRequestInfo[] = [];
  const logUploadRequest = (req: IncomingMessage, url: URL, drive: boolean) => {
    const length = Number(req.headers["content-length"]);
    uploadRequests.push({
      method: req.method ?? "GET",
      kind: drive ? "drive" : "attachment",
      path: url.pathname,
      contentRange: req.headers["content-range"] ?? null,
      contentLength: Number.isFinite(length) && req.headers["content-length"] ? length : null,
      authorization: req.headers.authorization !== undefined,
    });
    if (uploadRequests.length > MAX_UPLOAD_REQUESTS)
      uploadRequests = uploadRequests.slice(-MAX_UPLOAD_REQUESTS / 2);
  };

  const control: EmulatorControl = {
    configure(patch) {
      state.config = applyConfigPatch(state.config, patch);
      // A new fault config restarts the fault stream (seeds replay from here); one-shot faults
      // restart only when the patch names them.
      if (patch.faults) state.chaos = Chaos.after(state.chaos, state.config.faults, patch.faults);
    },
    getConfig: () => ({ ...state.config, pendingScript: state.chaos.pendingScript() }),
    faultLog: () => state.chaos.log.map((e) => ({ ...e })),
    issueToken: (user = DEFAULT_USER, expiresInSec, app) =>
      state.tokens.issue(user, expiresInSec, app).token,
    openSessions: () =>
      state.sessions.list().map((s) => ({
        id: s.id,
        mailbox: s.item.mailbox.address,
        itemKind: s.item.kind,
        itemId: s.item.id,
        name: s.request.name,
        size: s.request.size,
        received: s.received,
        expiresAt: new Date(s.expiresAt).toISOString(),
        busy: s.busy,
      })),
    attachments: () =>
      state.store.allAttachments().map(({ mailbox, item, attachment: a }) => ({
        mailbox: mailbox.address,
        itemKind: item.kind,
        itemId: item.id,
        id: a.id,
        name: a.name,
        size: a.size,
        contentType: a.contentType,
        sha256: a.sha256,
      })),
    driveItems: () => driveItemInfos(state.drives),
    driveSessions: () => driveSessionInfos(state.driveSessions),
    uploadRequests: () => uploadRequests.map((r) => ({ ...r })),
    addMailbox(address, delegates, displayName) {
      const m = state.store.create(address, delegates, displayName);
      return { id: m.id, address: m.address, delegates: [...m.delegates] };
    },
    mailboxes: () =>
      state.store
        .mailboxes()
        .map((m) => ({ id: m.id, address: m.address, delegates: [...m.delegates] })),
    createItem({ mailbox = DEFAULT_USER, kind, properties = {}, invisibleForSeconds }) {
      const owner = state.store.own(mailbox);
      const item = state.store.createItem(
        owner,
        kind,
        properties,
        invisibleForSeconds ?? state.config.itemInvisibleSeconds
      );
      return {
        id: item.id,
        kind,
        mailbox: owner.address,
        visibleAt: new Date(item.visibleAt).toISOString(),
      };
    },
    async restart() {
      await state.sessions.discardAll();
      await state.driveSessions.discardAll();
      for (const socket of sockets) socket.destroy();
    },
    async reset() {
      await state.sessions.discardAll();
      await state.driveSessions.discardAll();
      await Promise.all(
        state.store.allAttachments().map(({ attachment }) => storage.remove(attachment.filePath))
      );
      await Promise.all(driveFilePaths(state.drives).map((path) => storage.remove(path)));
      state.store.clear();
      state.drives.clear();
      uploadRequests = [];
      state.config = initialConfig;
      state.chaos = new Chaos(initialConfig.faults);
    },
  };

  const respond = async (origin: "graph" | "upload", req: IncomingMessage, res: ServerResponse) => {
    const ctx: RequestContext = {
      req,
      res,
      url: new URL(req.url ?? "/", "http://emulator"),
      ...requestIds(req),
    };
    try {
      if (origin === "graph" && ctx.url.pathname.startsWith("/_emulator/")) {
        await handleControlRequest(control, ctx);
        return;
      }
      if (origin === "upload") logUploadRequest(req, ctx.url, driveUploadRoute(ctx.url) !== null);
      const chaos = state.chaos;
      await chaos.delay();
      const fault = chaos.statusFault(origin, req.method ?? "GET");
      if (fault) throw fault;
      const driveRoute = origin === "upload" ? driveUploadRoute(ctx.url) : null;
      if (origin === "graph") await handleGraphRequest(state, ctx);
      else if (driveRoute) await handleDriveUploadRequest(state, ctx, driveRoute);
      else await handleUploadRequest(state, ctx);
    } catch (error) {
      if (error instanceof GraphError) {
        drain(req);
        sendError(ctx, error);
        return;
      }
      log(`unexpected error on ${req.method} ${origin}: ${(error as Error).stack ?? error}`);
      if (!res.headersSent)
        sendError(ctx, new GraphError(500, "InternalServerError", "The emulator failed."));
      else res.destroy();
    }
  };
  const handlerFor =
    (origin: "graph" | "upload") => (req: IncomingMessage, res: ServerResponse) => {
      const hideLocation = origin === "upload" && !state.config.exposeLocation;
      if (applyCors(req, res, options.corsOrigins, hideLocation)) return;
      void respond(origin, req, res);
    };

  const graphServer = makeServer(handlerFor("graph"));
  const uploadServer = makeServer(handlerFor("upload"));
  const graphPort = await listen(graphServer, options.port ?? 0);
  state.uploadPort = await listen(uploadServer, options.uploadPort ?? 0);
  const url = `${scheme}://127.0.0.1:${graphPort}`;
  state.graphOrigin = url;

  return {
    url,
    graphUrl: `${url}/v1.0`,
    uploadOrigin: `${scheme}://127.0.0.1:${state.uploadPort}`,
    storageDir: storage.dir,
    ...control,
    async close() {
      await state.sessions.discardAll();
      await state.driveSessions.discardAll();
      graphServer.closeAllConnections();
      uploadServer.closeAllConnections();
      await Promise.all([closeServer(graphServer), closeServer(uploadServer)]);
      for (const socket of sockets) socket.destroy();
      await storage.dispose();
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
