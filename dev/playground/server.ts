// The playground's HTTP server: the simulated compose window (/), the real built task pane
// (/taskpane.html, rewritten for the emulator) and dist/'s other files, plus the stand-in scripts,
// bundled with esbuild once at start. Binds 127.0.0.1 only.
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import { MAX_ATTACHMENT_SIZE } from "../../src/upload/routing";
import { rewriteTaskpaneHtml } from "./rewrite";

export const ROOT_DIR = path.resolve(__dirname, "../..");
export const DIST_DIR = path.join(ROOT_DIR, "dist");

export const PLAYGROUND_CLIENT_ID = "00000000-0000-4000-8000-00000000c0de";

export interface EmulatorEndpoints {
  url: string;
  graphUrl: string;
  uploadOrigin: string;
}

export interface PlaygroundOptions {
  emulator: EmulatorEndpoints;
  distDir?: string;
  port?: number;
  /** The pane's own pre-check limit (runtime config); the emulator's tenant limit is set separately. */
  messageSizeLimit?: number;
  /** The pane engine's silence bounds (runtime config), when a test wants a stall to show in seconds. */
  stallTimeoutMs?: number;
  answerTimeoutMs?: number;
  /** How often a pane without a Send guard (Mailbox 1.10) checks the item (runtime config), ms. */
  watchIntervalMs?: number;
  user?: string;
}

export interface RunningPlayground {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The compose window shows HTML the add-in put into the body (file names are user data): besides the body's
 * allow-list (compose-body.ts), only the page's own script file may run — no inline script, no handler attribute.
 */
const PAGE_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'";

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const distDir = options.distDir ?? DIST_DIR;
  const user = options.user ?? "adele@contoso.test";
  const [pageJs, standinJs, bridgeJs, pageHtml] = await Promise.all([
    bundle(path.join(__dirname, "page.ts")),
    bundle(path.join(__dirname, "office-standin.ts")),
    bundle(path.join(__dirname, "naa-bridge-entry.ts")),
    readFile(path.join(__dirname, "page.html"), "utf8"),
  ]);
  const uploadPort = new URL(options.emulator.uploadOrigin).port;
  const emulatorPort = new URL(options.emulator.url).port;
  const endpoints = {
    ...options.emulator,
    user,
  };

  async function taskpaneHtml(page = "taskpane.html") {
    const html = await readFile(path.join(distDir, page), "utf8");
    return rewriteTaskpaneHtml(html, {
      scripts: ["/playground/naa-bridge.js", "/playground/office-standin.js"],
      runtimeConfig: {
        graphBaseUrl: options.emulator.graphUrl,
        messageSizeLimit: options.messageSizeLimit ?? MAX_ATTACHMENT_SIZE,
        // Any id will do: the stand-in NAA bridge answers with emulator tokens whatever the client.
        clientId: PLAYGROUND_CLIENT_ID,
        // The emulator's upload host, both spellings (its uploadHost switch), for the engine's allow-list.
        uploadOrigins: [options.emulator.uploadOrigin, `http://localhost:${uploadPort}`],
        ...(options.stallTimeoutMs ? { stallTimeoutMs: options.stallTimeoutMs } : {}),
        ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
        ...(options.watchIntervalMs ? { watchIntervalMs: options.watchIntervalMs } : {}),
      },
      // Both spellings of each origin: the emulator's uploadHost switch can hand out "localhost" URLs.
      connectOrigins: [
        options.emulator.url,
        options.emulator.uploadOrigin,
        `http://localhost:${emulatorPort}`,
        `http://localhost:${uploadPort}`,
      ],
      standinConfig: {
        emulatorUrl: options.emulator.url,
        graphUrl: options.emulator.graphUrl,
        user,
      },
    });
  }

  type Answer = { type: string; body: string; csp?: string };
  const page = (): Answer => ({ type: TYPES[".html"], body: pageHtml, csp: PAGE_CSP });
  const routes: Record<string, () => Promise<Answer> | Answer> = {
    "/": page,
    "/index.html": page,
    "/playground/page.js": () => ({ type: TYPES[".js"], body: pageJs }),
    "/playground/office-standin.js": () => ({ type: TYPES[".js"], body: standinJs }),
    "/playground/naa-bridge.js": () => ({ type: TYPES[".js"], body: bridgeJs }),
    "/playground/endpoints.json": () => ({ type: TYPES[".json"], body: JSON.stringify(endpoints) }),
    "/taskpane.html": async () => ({ type: TYPES[".html"], body: await taskpaneHtml() }),
    // The Send guard's event runtime, with the same stand-ins (Office.actions.associate, shared form state).
    "/commands.html": async () => ({
      type: TYPES[".html"],
      body: await taskpaneHtml("commands.html"),
    }),
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
    if (pathname === "/favicon.ico") {
      // The page has no icon; answering 204 keeps a "404" out of every browser console.
      response.writeHead(204).end();
      return;
    }
    const route = routes[pathname];
    if (route) {
      const { type, body, csp } = await route();
      response
        .writeHead(200, {
          "Content-Type": type,
          "Cache-Control": "no-store",
          ...(csp ? { "Content-Security-Policy": csp } : {}),
        })
        .end(body);
      return;
    }
    const file = path.resolve(distDir, "." + pathname);
    if (!file.startsWith(distDir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    response
      .writeHead(200, {
        "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "Cache-Control": "no-store",
      })
      .end(await readFile(file));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Listens on the port, or on a free one when it is taken (a second demo next to the first). */
async function listen(server: Server, port: number) {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" && port !== 0) {
        server.listen(0, "127.0.0.1", () => resolve());
      } else reject(error);
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
}
