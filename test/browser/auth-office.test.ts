/**
 * The built task pane (dist/taskpane.html) in real Chromium, with:
 *  - office.js answered by a small Outlook stand-in (a compose draft, Mailbox 1.8, NestedAppAuth 1.1),
 *  - the stand-in NAA bridge (dev/naa-bridge) installed before any page script, answering MSAL's bridge
 *    requests with tokens from the Graph emulator's dev issuer,
 *  - the runtime config pointed at the emulator.
 * The pane resolves the compose target through src/office, gets a Graph token through src/auth's production
 * MSAL nested-app-auth path, and attaches a file the emulator then holds.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { startEmulator, type RunningEmulator } from "../../dev/graph-emulator";
import {
  isolateNetwork,
  launchBrowser,
  OFFICE_JS_CDN_PREFIX,
  type LaunchedBrowser,
} from "../support/browser";
import { serveDirectory, type StaticServer } from "../support/static-server";

const root = path.resolve(__dirname, "../..");
const distDir = path.join(root, "dist");
const SUBJECT = "Budget review – draft";
const USER = "adele@contoso.test";

/** REST ids look like EWS ids with "/" and "+" made URL-safe; the stand-in hands out the EWS form. */
const toEws = (restId: string) => restId.replace(/-/g, "/").replace(/_/g, "+");

/** The Outlook host as the pane sees it: only the calls src/office and src/auth make. */
function officeStandinScript(ewsId: string): string {
  return `(() => {
  const ok = (value) => ({ status: "succeeded", value });
  const later = (cb, result) => setTimeout(() => cb(result), 0);
  const calls = (window.__officeCalls = []);
  const item = {
    itemType: "message",
    subject: { getAsync: (cb) => later(cb, ok(${JSON.stringify(SUBJECT)})) },
    getItemIdAsync: (cb) => { calls.push("getItemIdAsync"); later(cb, ok(${JSON.stringify(ewsId)})); },
    saveAsync: (cb) => { calls.push("saveAsync"); later(cb, ok(${JSON.stringify(ewsId)})); },
    getAttachmentsAsync: (cb) => later(cb, ok([])),
    getSharedPropertiesAsync: (cb) => later(cb, { status: "failed", error: { code: 5000, name: "NotShared" } }),
  };
  const sets = { Mailbox: 1.8, NestedAppAuth: 1.1, DialogApi: 1.2 };
  window.Office = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    MailboxEnums: { RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" } },
    EventType: { ItemChanged: "olkItemSelectedChanged", DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    context: {
      displayLanguage: "en-US",
      officeTheme: { bodyBackgroundColor: "#ffffff" },
      diagnostics: { platform: "OfficeOnline", host: "Outlook", version: "16.0" },
      requirements: { isSetSupported: (name, version) => (sets[name] ?? 0) >= Number(version ?? 0) },
      ui: { displayDialogAsync: (url, options, cb) => { calls.push("displayDialogAsync"); later(cb, { status: "failed", error: { code: 12009 } }); } },
      mailbox: {
        item,
        userProfile: { emailAddress: ${JSON.stringify(USER)}, displayName: "Adele Vance" },
        convertToRestId: (id, version) => { calls.push("convertToRestId:" + version); return id.replace(/\\//g, "-").replace(/\\+/g, "_"); },
        convertToEwsId: (id) => id.replace(/-/g, "/").replace(/_/g, "+"),
        addHandlerAsync: (type, handler, cb) => cb && later(cb, ok(undefined)),
        removeHandlerAsync: (type, cb) => cb && later(cb, ok(undefined)),
      },
    },
    onReady(callback) {
      const info = { host: "Outlook", platform: "OfficeOnline" };
      return new Promise((resolve) => setTimeout(() => { callback && callback(info); resolve(info); }, 0));
    },
  };
})();`;
}

async function naaBridgeScript(tokenUrl: string): Promise<string> {
  const bundle = await build({
    stdin: {
      contents: `import { installNaaBridgeStandin } from "./dev/naa-bridge/standin";
        window.__naaStandin = installNaaBridgeStandin(window, { tokenUrl: ${JSON.stringify(tokenUrl)}, user: ${JSON.stringify(USER)} });`,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return bundle.outputFiles[0].text;
}

/** The production page with its runtime config and CSP connect-src pointed at the emulator's two origins. */
function paneHtml(emulator: RunningEmulator): string {
  const html = readFileSync(path.join(distDir, "taskpane.html"), "utf8");
  const config = {
    graphBaseUrl: emulator.graphUrl,
    messageSizeLimit: 157286400,
    clientId: "00000000-0000-0000-0000-0000000c1e17",
  };
  const rewritten = html
    .replace(
      /(<script[^>]*id="?large-attach-config"?[^>]*>)[\s\S]*?(<\/script>)/,
      (_m, open, close) => `${open}${JSON.stringify(config)}${close}`
    )
    .replace(
      /connect-src ([^;"]*)/,
      (_m, sources) => `connect-src ${sources} ${emulator.url} ${emulator.uploadOrigin}`
    );
  if (rewritten === html || !rewritten.includes(emulator.uploadOrigin))
    throw new Error("taskpane.html: config block or CSP not found");
  return rewritten;
}

describe("task pane in Chromium: compose target from the Office stand-in, Graph token through MSAL NAA", () => {
  let emulator: RunningEmulator;
  let server: StaticServer;
  let browser: LaunchedBrowser;
  let page: Page;
  let draftId: string;
  let pageDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, "taskpane.html")))
      throw new Error("dist/taskpane.html not found: run npm run build first");
    emulator = await startEmulator();
    draftId = emulator.createItem({ kind: "message", properties: { subject: SUBJECT } }).id;
    // The page must come from a real loopback server (not a route.fulfill): Chromium's local-network-access
    // check treats a fulfilled document as public and would refuse its requests to the loopback emulator.
    pageDir = mkdtempSync(path.join(tmpdir(), "large-attach-pane-"));
    cpSync(distDir, pageDir, { recursive: true });
    writeFileSync(path.join(pageDir, "taskpane.html"), paneHtml(emulator));
    server = await serveDirectory(pageDir);
    browser = await launchBrowser();
    await isolateNetwork(browser.context);
    // Added after isolateNetwork, so it takes precedence: office.js is the Outlook stand-in.
    await browser.context.route(`${OFFICE_JS_CDN_PREFIX}**`, (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/javascript",
        body: officeStandinScript(toEws(draftId)),
      })
    );
    await browser.context.addInitScript({
      content: await naaBridgeScript(`${emulator.url}/_emulator/token`),
    });
    page = await browser.context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/taskpane.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await emulator?.close();
    if (pageDir) rmSync(pageDir, { recursive: true, force: true });
  });

  test("resolves the compose target through src/office (saved draft, EWS id converted to REST v2.0)", async () => {
    await page.getByTestId("target-subject").waitFor();
    await expect(page.getByTestId("target-subject").textContent()).resolves.toContain(SUBJECT);
    const calls = await page.evaluate(
      () => (window as unknown as { __officeCalls: string[] }).__officeCalls
    );
    expect(calls).toContain("getItemIdAsync");
    expect(calls).toContain("convertToRestId:v2.0");
    expect(calls).not.toContain("saveAsync");
  });

  test("gets a Graph token from the emulator's dev issuer through MSAL NAA and attaches a file with it", async () => {
    const content = Buffer.from("Large Attach browser test: token and target\n".repeat(20));
    await page
      .getByTestId("browse-input")
      .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: content });
    const row = page.locator('[data-testid="file-row"][data-name="notes.txt"]');
    await row.and(page.locator('[data-phase="attached"]')).waitFor({ timeout: 30_000 });

    const stored = emulator
      .attachments()
      .filter((a) => a.itemId === draftId && a.name === "notes.txt");
    expect(stored).toHaveLength(1);
    expect(stored[0].size).toBe(content.length);

    const requests = await page.evaluate(
      () =>
        (
          window as unknown as {
            __naaStandin: { requests: Array<{ method: string; scope?: string }> };
          }
        ).__naaStandin.requests
    );
    expect(requests.map((r) => r.method)).toEqual(["GetInitContext", "GetToken"]);
    expect(requests[1].scope?.split(" ").sort()).toEqual(["Calendars.ReadWrite", "Mail.ReadWrite"]);
    const calls = await page.evaluate(
      () => (window as unknown as { __officeCalls: string[] }).__officeCalls
    );
    expect(calls).not.toContain("displayDialogAsync");
    expect(pageErrors).toEqual([]);
  });
});
