// Real-Chromium harness for browser tests and build helpers (scripts/draw-icons.ts).
// Chromium comes from CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own download on a
// laptop. When none exists we throw: a browser suite that silently passes proves nothing.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Route } from "playwright-core";

/** Flags that keep Chromium quiet and offline-friendly on a CI box (no sandbox: containers run as root). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const OFFICE_JS_CDN_PREFIX = "https://appsforoffice.microsoft.com/lib/1/hosted/";
export const OFFICE_JS_DIST_DIR = path.resolve(
  __dirname,
  "../../node_modules/@microsoft/office-js/dist"
);

export class BrowserNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      [
        "No Chromium found for the browser tests. Tried:",
        ...tried.map((candidate) => `  - ${candidate}`),
        "Install one of:",
        "  - Debian/Ubuntu: apt-get update && apt-get install -y --no-install-recommends chromium",
        "  - any OS: npx playwright install chromium",
        "  - or point CHROMIUM_PATH at an existing Chrome/Chromium executable.",
      ].join("\n")
    );
    this.name = "BrowserNotFoundError";
  }
}

/** Resolves the Chromium executable, in order: CHROMIUM_PATH, /usr/bin/chromium, Playwright's registry. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const candidates: string[] = [];
  if (env.CHROMIUM_PATH) candidates.push(env.CHROMIUM_PATH);
  candidates.push("/usr/bin/chromium");
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // playwright-core throws when it has no registry entry for this platform; nothing to add.
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new BrowserNotFoundError(candidates);
  return found;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  executablePath: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  colorScheme?: "light" | "dark";
}

/** Starts Chromium with a fresh, throw-away user-data-dir so no test sees another's storage. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = findChromium();
  const userDataDir = await mkdtemp(path.join(tmpdir(), "large-attach-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 420, height: 720 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      colorScheme: options.colorScheme ?? "light",
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    executablePath,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface NetworkLog {
  /** Requests answered from node_modules/@microsoft/office-js/dist instead of Microsoft's CDN. */
  officeJs: string[];
  /** Requests refused: telemetry and anything that would leave the machine. */
  blocked: string[];
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Keeps a context on loopback: office.js CDN requests are served from the npm package, the Office
 * telemetry page (*.oaspapps.com) and every other non-loopback request are aborted and recorded.
 */
export async function isolateNetwork(context: BrowserContext): Promise<NetworkLog> {
  const log: NetworkLog = { officeJs: [], blocked: [] };
  await context.route("**/*", (route) => handleRoute(route, log));
  return log;
}

async function handleRoute(route: Route, log: NetworkLog): Promise<void> {
  const url = new URL(route.request().url());
  if (url.protocol === "data:" || url.protocol === "blob:") return route.continue();
  if (url.href.startsWith(OFFICE_JS_CDN_PREFIX)) return fulfilFromOfficeJsPackage(route, url, log);
  if (LOOPBACK_HOSTS.has(url.hostname) || url.hostname === "::1") return route.continue();
  log.blocked.push(url.href);
  return route.abort("blockedbyclient");
}

async function fulfilFromOfficeJsPackage(route: Route, url: URL, log: NetworkLog): Promise<void> {
  const relative = decodeURIComponent(
    url.pathname.slice(new URL(OFFICE_JS_CDN_PREFIX).pathname.length)
  );
  const file = path.resolve(OFFICE_JS_DIST_DIR, relative);
  // The path comes from the page: never let it climb out of the package folder.
  if (!file.startsWith(OFFICE_JS_DIST_DIR + path.sep) || !existsSync(file)) {
    log.blocked.push(url.href);
    return route.fulfill({ status: 404, body: "not in @microsoft/office-js/dist" });
  }
  log.officeJs.push(url.href);
  return route.fulfill({
    status: 200,
    contentType: file.endsWith(".js") ? "text/javascript; charset=utf-8" : undefined,
    body: await readFile(file),
  });
}
