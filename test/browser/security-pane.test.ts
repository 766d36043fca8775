// The built task pane in the playground (real Chromium, real emulator): hostile file names are shown
// as text and never become markup, a picked file that changes on disk mid-upload (the browser's File
// becomes unreadable) ends cleanly, and after successes and a failure nothing the pane says — its
// console, its rows, the opened Details panel, the live-region announcements, its storage — holds
// the Graph bearer token or the upload URL's authtoken the pane itself sent. A createUploadSession
// whose uploadUrl is http: or on a foreign host (the emulator's uploadUrlOrigin switch) gets no byte
// sent there: the row fails with a ProtocolError that names the host (issue #15).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FrameLocator, Page, Request } from "playwright-core";
import { startEmulator, type RunningEmulator } from "../../dev/graph-emulator";
import { startPlayground, type RunningPlayground } from "../../dev/playground/server";
import { findSecrets } from "../chaos/classify";
import { launchBrowser, type LaunchedBrowser } from "../support/browser";
import { GRAPH_CLIENT } from "./pane-support";

const MiB = 1024 * 1024;

/** Names that would run script or add elements if any part of the pane or page parsed them as HTML. */
const HOSTILE_NAMES = [
  "<img src=x onerror=window.__xss=1>.txt",
  "<svg onload=window.__xss=2>.pdf",
  `"><script>window.__xss=3</script>.docx`,
  "&lt;b&gt;not bold&lt;/b&gt; 'q'.txt",
];

let emulator: RunningEmulator;
let playground: RunningPlayground;
let browser: LaunchedBrowser;
let dir: string;
const consoleLines: string[] = [];
const pageErrors: string[] = [];
/** What the pane sent: Graph bearer tokens and the upload URLs' authtokens. */
const secrets = new Set<string>();
const bearerTokens = new Set<string>();

function collectSecrets(request: Request) {
  const auth = request.headers().authorization;
  if (auth?.startsWith("Bearer ")) {
    secrets.add(auth.slice("Bearer ".length));
    bearerTokens.add(auth.slice("Bearer ".length));
  }
  const authtoken = new URL(request.url()).searchParams.get("authtoken");
  if (authtoken) secrets.add(authtoken);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, uploadPort: 0 });
  playground = await startPlayground({ emulator });
  browser = await launchBrowser({ viewport: { width: 1200, height: 800 } });
  browser.context.on("request", collectSecrets);
  browser.context.on("request", (r) => requested.push(`${r.method()} ${r.url()}`));
  browser.context.on("page", (page) => {
    page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => pageErrors.push(`${error.message}\n${error.stack ?? ""}`));
  });
  dir = await mkdtemp(path.join(tmpdir(), "large-attach-security-"));
});
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await playground?.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openPlayground(): Promise<{ page: Page; pane: FrameLocator }> {
  const page = await browser.context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(`${playground.url}?client=${GRAPH_CLIENT}`);
  const pane = page.frameLocator("#pane");
  await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
  return { page, pane };
}

function bytesOf(name: string, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + name.length) & 0xff;
  return bytes;
}

async function fileOf(name: string, size: number): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytesOf(name, size));
  return file;
}

/** Every request the browser made, as "METHOD url" (for "nothing was sent there"). */
const requested: string[] = [];

/** Rows by their data-name, compared in the page (names with quotes make CSS selectors fragile). */
async function rowPhases(pane: FrameLocator): Promise<Record<string, string>> {
  return pane
    .locator("[data-testid=file-row]")
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => [r.getAttribute("data-name") ?? "", r.getAttribute("data-phase") ?? ""])
      )
    );
}

async function waitForPhases(pane: FrameLocator, want: Record<string, string>, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const phases = await rowPhases(pane);
    if (Object.entries(want).every(([name, phase]) => phases[name] === phase)) return phases;
    if (Date.now() > deadline)
      throw new Error(`rows never reached ${JSON.stringify(want)}: ${JSON.stringify(phases)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const paneFrame = (page: Page) => page.frames().find((f) => f.url().includes("/taskpane.html"))!;

describe("hostile file names in the pane", () => {
  let page: Page;
  let pane: FrameLocator;
  beforeAll(async () => {
    ({ page, pane } = await openPlayground());
    // Small (single POST) and session-sized, so both routes and both row layouts show them.
    // Picked as in-memory files: a "/" cannot be part of a name on disk, but it can in a File.
    await pane.getByTestId("browse-input").setInputFiles(
      HOSTILE_NAMES.map((name, i) => ({
        name,
        mimeType: "application/octet-stream",
        buffer: Buffer.from(bytesOf(name, i % 2 === 0 ? 64 * 1024 : 4 * MiB)),
      }))
    );
    await waitForPhases(pane, Object.fromEntries(HOSTILE_NAMES.map((n) => [n, "attached"])));
  }, 90_000);
  afterAll(async () => {
    await page?.close();
  });

  test("are attached under their exact names", () => {
    for (const name of HOSTILE_NAMES)
      expect(emulator.attachments().filter((a) => a.name === name)).toHaveLength(1);
  });

  test("are shown as text: each row's name reads exactly the file name", async () => {
    const shown = await pane
      .locator("[data-testid=file-row]")
      .evaluateAll((rows) => rows.map((r) => r.querySelector("[title]")?.textContent ?? ""));
    expect(shown.sort()).toEqual([...HOSTILE_NAMES].sort());
    // The name's text also appears verbatim in the pane's visible text (entities stay literal).
    const text = await paneFrame(page).locator("body").innerText();
    for (const name of HOSTILE_NAMES) expect(text).toContain(name);
  });

  test("inject no element and run no script, in the pane or the page around it", async () => {
    for (const frame of [page.mainFrame(), paneFrame(page)]) {
      const found = await frame.evaluate(() => ({
        xss: (window as unknown as { __xss?: number }).__xss ?? null,
        // No element the names describe exists: the pane renders no <img>/<svg>/<script> of its own
        // with these attributes, so any such element came from a name.
        injected: [...document.querySelectorAll("img[src=x], svg[onload], script:not([src])")]
          .map((e) => e.outerHTML)
          .filter((html) => html.includes("__xss")),
        bold: [...document.querySelectorAll("b")].filter((b) => b.textContent === "not bold")
          .length,
      }));
      expect(found).toEqual({ xss: null, injected: [], bold: 0 });
    }
    expect(pageErrors).toEqual([]);
  });
});

describe("a name that reverses its own text (bidi controls)", () => {
  let page: Page;
  let pane: FrameLocator;
  // Reads "invoice-exe.pdf" when the override is obeyed; it is an .exe.
  const spoofed = "invoice-\u202Efdp.exe";
  const isolated = "report-\u2067x\u2069.txt";
  const plain = "plain-name.txt";
  beforeAll(async () => {
    ({ page, pane } = await openPlayground());
    await pane.getByTestId("browse-input").setInputFiles(
      [spoofed, isolated, plain].map((name) => ({
        name,
        mimeType: "application/octet-stream",
        buffer: Buffer.from(bytesOf(name, 32 * 1024)),
      }))
    );
    await waitForPhases(pane, {
      [spoofed]: "attached",
      [isolated]: "attached",
      [plain]: "attached",
    });
  }, 90_000);
  afterAll(async () => {
    await page?.close();
  });

  const rowOf = (name: string) =>
    pane.locator("[data-testid=file-row]").filter({ has: pane.locator(`[title="${name}"]`) });

  test("a right-to-left override or an isolate control gets a visible warning; a plain name none", async () => {
    for (const name of [spoofed, isolated]) {
      const warning = rowOf(name).getByTestId("bidi-warning");
      await expect(warning.isVisible()).resolves.toBe(true);
      expect(await warning.innerText()).toMatch(/change the direction of text/);
    }
    expect(await rowOf(plain).getByTestId("bidi-warning").count()).toBe(0);
  });

  test("the name is shown isolated from the text around it (<bdi>), exactly as it is", async () => {
    const shown = await rowOf(spoofed)
      .locator("[title] bdi")
      .evaluate((bdi) => ({ tag: bdi.tagName, text: bdi.textContent }));
    expect(shown).toEqual({ tag: "BDI", text: spoofed });
    expect(emulator.attachments().filter((a) => a.name === spoofed)).toHaveLength(1);
  });

  test("in a sentence (a notice), the name is wrapped in first-strong isolate … pop isolate", async () => {
    // From disk, picked twice: the same name, size and date make the second pick a duplicate.
    const name = "notice-\u202Efdp.exe";
    const onDisk = await fileOf(name, 16 * 1024);
    await pane.getByTestId("browse-input").setInputFiles(onDisk);
    await waitForPhases(pane, { [name]: "attached" });
    await pane.getByTestId("browse-input").setInputFiles(onDisk);
    const notice = pane.locator('[data-testid=notice][data-kind="duplicate"]');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toContain(`\u2068${name}\u2069`);
  });
});

describe("no token or authtoken in what the pane says", () => {
  let page: Page;
  let pane: FrameLocator;
  const failing = "refused-range.bin";
  beforeAll(async () => {
    ({ page, pane } = await openPlayground());
    const ok = [
      await fileOf("fine-small.txt", 200 * 1024),
      await fileOf("fine-large.bin", 6 * MiB),
    ];
    await pane.getByTestId("browse-input").setInputFiles(ok);
    await waitForPhases(pane, { "fine-small.txt": "attached", "fine-large.bin": "attached" });
    // The next range PUT is refused (400): not retried, so the row fails with a Details panel.
    emulator.configure({
      faults: { script: [{ status: 400, count: 1, target: "upload", methods: ["PUT"] }] },
    });
    await pane.getByTestId("browse-input").setInputFiles(await fileOf(failing, 5 * MiB));
    await waitForPhases(pane, { [failing]: "failed" });
    await pane.locator("[data-testid=error-details] summary").first().click();
  }, 90_000);
  afterAll(async () => {
    emulator.configure({ faults: { script: [] } });
    await page?.close();
  });

  test("the pane sent a bearer token to Graph and an upload URL with an authtoken", () => {
    // Without these the checks below would prove nothing.
    expect(bearerTokens.size).toBeGreaterThan(0);
    expect(secrets.size).toBeGreaterThan(bearerTokens.size);
  });

  test("the failed row's Details panel shows the status and no secret", async () => {
    const details = await pane.getByTestId("error-details").first().innerText();
    expect(details).toContain("400");
    expect(findSecrets(details, secrets)).toEqual([]);
  });

  test("the pane's whole DOM, text and live-region announcements hold no secret", async () => {
    const frame = paneFrame(page);
    const html = await frame.evaluate(() => document.documentElement.outerHTML);
    const text = await frame.locator("body").innerText();
    const announced = await pane.getByTestId("announcer").innerText();
    for (const said of [html, text, announced]) expect(findSecrets(said, secrets)).toEqual([]);
  });

  test("no console line (pane or page) holds a secret", () => {
    expect(consoleLines.flatMap((line) => findSecrets(line, secrets))).toEqual([]);
  });

  test("the pane's stored resume records hold no bearer token", async () => {
    // MSAL's own token cache is MSAL's business; the records we write are ours.
    const stored = await paneFrame(page).evaluate(() =>
      JSON.stringify(
        Object.entries({ ...localStorage, ...sessionStorage }).filter(([key]) =>
          key.startsWith("large-attach:resume:")
        )
      )
    );
    const tokens = [...bearerTokens];
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.filter((t) => stored.includes(t))).toEqual([]);
    expect(stored).not.toMatch(/Bearer\s+[A-Za-z0-9\-._~+/]{8,}/);
  });
});

describe("a picked file that changes on disk while it uploads", () => {
  let page: Page;
  let pane: FrameLocator;
  afterAll(async () => {
    emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
    await page?.close();
  });

  test.each([
    ["rewritten", (file: string) => writeFile(file, bytesOf("other", 3 * MiB))],
    ["deleted", (file: string) => rm(file)],
  ])(
    "%s: the row fails with FileReadError in Details, nothing attached, no session left",
    async (how, change) => {
      ({ page, pane } = await openPlayground());
      // Paced so the change lands while ranges are still being sent.
      emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
      const name = `changes-${how}.bin`;
      const file = await fileOf(name, 16 * MiB);
      await pane.getByTestId("browse-input").setInputFiles(file);
      const bar = pane
        .locator(`[data-testid=file-row][data-name="${name}"]`)
        .getByRole("progressbar");
      const deadline = Date.now() + 30_000;
      while (Number(await bar.getAttribute("aria-valuenow")) < 0.1) {
        if (Date.now() > deadline) throw new Error("the upload never got going");
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(emulator.openSessions().filter((s) => s.name === name)).toHaveLength(1);
      await change(file);
      await waitForPhases(pane, { [name]: "failed" }, 60_000);
      emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
      const row = pane.locator(`[data-testid=file-row][data-name="${name}"]`);
      await row.locator("[data-testid=error-details] summary").click();
      expect(await row.getByTestId("error-details").innerText()).toContain("FileReadError");
      // Plain words, and no Retry: the picked File stays unreadable, only a new pick can help.
      expect(await row.innerText()).toContain("changed, moved or deleted after you picked it");
      expect(await row.getByTestId("retry").count()).toBe(0);
      expect(emulator.attachments().filter((a) => a.name === name)).toEqual([]);
      const deadlineSessions = Date.now() + 10_000;
      while (emulator.openSessions().some((s) => s.name === name)) {
        if (Date.now() > deadlineSessions) throw new Error("the session was left open");
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.close();
    },
    90_000
  );
});

describe("an uploadUrl that is not an upload host (a hostile Graph)", () => {
  // What a hostile createUploadSession points the upload at: a server on loopback that records
  // everything it is sent (the pane's CSP would not stop a request to it: only the engine's check does).
  let trap: Server;
  let trapOrigin: string;
  const trapped: string[] = [];
  beforeAll(async () => {
    trap = createServer((request, response) => {
      trapped.push(`${request.method} ${request.url}`);
      request.resume();
      response.writeHead(200, { "Access-Control-Allow-Origin": "*" }).end("{}");
    });
    await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
    trapOrigin = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    emulator.configure({ uploadUrlOrigin: "" });
    await new Promise((resolve) => trap?.close(resolve));
  });

  test.each([
    ["on a foreign host", () => trapOrigin],
    ["over http: on Outlook's own host", () => "http://outlook.office.com"],
  ])(
    "%s: no byte goes there, the row fails with a ProtocolError naming the host, no resume record",
    async (how, origin) => {
      const { page, pane } = await openPlayground();
      emulator.configure({ uploadUrlOrigin: origin() });
      const name = `hostile-upload-url-${how.replace(/\W+/g, "-")}.bin`;
      await pane.getByTestId("browse-input").setInputFiles(await fileOf(name, 4 * MiB));
      await waitForPhases(pane, { [name]: "failed" });
      emulator.configure({ uploadUrlOrigin: "" });
      const row = pane.locator(`[data-testid=file-row][data-name="${name}"]`);
      await row.locator("[data-testid=error-details] summary").click();
      const host = new URL(origin()).host;
      expect(await row.getByTestId("error-help").innerText()).toContain(`${origin()}`);
      expect(await row.getByTestId("error-details").innerText()).toContain("ProtocolError");
      expect(await row.getByTestId("retry").count()).toBe(0);
      // Nothing reached the host: not the trap's server, not any request the browser made.
      expect(trapped).toEqual([]);
      expect(requested.filter((r) => new URL(r.split(" ")[1]).host === host)).toEqual([]);
      expect(emulator.attachments().filter((a) => a.name === name)).toEqual([]);
      // No resume record for it (other tests' failed rows may keep theirs).
      const records = await paneFrame(page).evaluate(
        (file) =>
          Object.entries(localStorage).filter(
            ([key, value]) => key.startsWith("large-attach:resume:") && value.includes(file)
          ).length,
        name
      );
      expect(records).toBe(0);
      await page.close();
    },
    90_000
  );
});
