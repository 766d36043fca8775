// Shared set-up of the pane's browser tests: one emulator, one playground server and one Chromium per
// test file; files written to a temp dir (SHA-256 computed while writing) and picked by path.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Frame, FrameLocator, Page } from "playwright-core";
import { startEmulator, type ConfigPatch, type RunningEmulator } from "../../dev/graph-emulator";
import {
  startPlayground,
  type PlaygroundOptions,
  type RunningPlayground,
} from "../../dev/playground/server";
import { launchBrowser, type LaunchedBrowser, type LaunchOptions } from "../support/browser";

export const MiB = 1024 * 1024;
export const ROOT = path.resolve(__dirname, "../..");
export const RESULTS_DIR = path.join(ROOT, "test-results");

export interface PaneFixture {
  emulator: RunningEmulator;
  playground: RunningPlayground;
  browser: LaunchedBrowser;
  dir: string;
  pageErrors: string[];
  /** Requests to anything but loopback (there must be none: office.js is the stand-in, tokens come from the emulator). */
  external: string[];
  close(): Promise<void>;
}

/** What a test may set on the playground besides its emulator (e.g. short silence bounds). */
export type PlaygroundSettings = Omit<PlaygroundOptions, "emulator">;

export async function startFixture(
  launch: LaunchOptions = {},
  settings: PlaygroundSettings = {}
): Promise<PaneFixture> {
  if (!existsSync(path.join(ROOT, "dist/taskpane.html")))
    throw new Error("dist/taskpane.html not found: run npm run build first");
  const emulator = await startEmulator({});
  const playground = await startPlayground({ ...settings, emulator });
  const browser = await launchBrowser(launch);
  // Observed, not intercepted: routing every request through Playwright (isolateNetwork) copies each
  // 4 MiB range body through the test process and made uploads ~6× slower than the page itself.
  const external: string[] = [];
  browser.context.on("request", (request) => {
    const { hostname, protocol } = new URL(request.url());
    if (
      (protocol === "http:" || protocol === "https:") &&
      !["127.0.0.1", "localhost", "[::1]"].includes(hostname)
    )
      external.push(request.url());
  });
  const dir = await mkdtemp(path.join(tmpdir(), "large-attach-pane-"));
  const pageErrors: string[] = [];
  browser.context.on("page", (page) =>
    page.on("pageerror", (error) => pageErrors.push(error.message))
  );
  return {
    emulator,
    playground,
    browser,
    dir,
    pageErrors,
    external,
    async close() {
      await browser.close().catch(() => undefined);
      await playground.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/**
 * Writes `size` bytes: each MiB is random, so a range sent twice or out of order changes the hash.
 * `sparse` makes a hole-only file (for sizes that must be refused before a byte is read).
 */
export async function writeFile(
  dir: string,
  name: string,
  size: number,
  sparse = false
): Promise<TestFile> {
  const file = path.join(dir, name);
  const handle = await open(file, "w");
  const hash = createHash("sha256");
  try {
    if (sparse) await handle.truncate(size);
    else {
      for (let offset = 0; offset < size; offset += MiB) {
        const block = randomBytes(Math.min(MiB, size - offset));
        hash.update(block);
        await handle.write(block, 0, block.length, offset);
      }
    }
  } finally {
    await handle.close();
  }
  return { path: file, name, size, sha256: sparse ? "" : hash.digest("hex") };
}

/**
 * The Outlook these suites ask the playground to play: "idealised" (the compose form lists what the server
 * holds and has no attach API of its own), so every file goes through Graph — what they test. The
 * playground's default is "web" (real Outlook's behaviour); office-standin.test.ts runs each real client.
 */
export const GRAPH_CLIENT = "idealised";

/** The playground page's URL for `client` (default: the Graph-focused suites' idealised client). */
export function playgroundUrl(fixture: PaneFixture, client: string = GRAPH_CLIENT): string {
  return `${fixture.playground.url}?client=${client}`;
}

/** The playground page with a fresh compose item of the given kind; resolves once the pane is ready. */
export async function openPlayground(fixture: PaneFixture, kind: "message" | "event" = "message") {
  const page = await fixture.browser.context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(playgroundUrl(fixture));
  if (kind === "event") {
    await page.locator("#to").fill(""); // a meeting without attendees saves without asking
    await page.locator("#kind").selectOption("event");
  }
  const pane = page.frameLocator("#pane");
  await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
  return { page, pane };
}

/** The task pane on its own (no compose window around it), e.g. for screenshots at pane width. */
export async function openPane(fixture: PaneFixture, query: Record<string, string> = {}) {
  const page = await fixture.browser.context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  const params = new URLSearchParams({
    item: `item-${Math.random().toString(36).slice(2)}`,
    client: GRAPH_CLIENT,
    ...query,
  });
  await page.goto(`${fixture.playground.url}taskpane.html?${params}`);
  await page.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
  return page;
}

export function row(root: Page | FrameLocator, name: string) {
  return root.locator(`[data-testid=file-row][data-name="${name}"]`);
}

export async function waitForPhase(
  root: Page | FrameLocator,
  name: string,
  phase: string,
  timeout = 60_000
) {
  await root
    .locator(`[data-testid=file-row][data-name="${name}"][data-phase="${phase}"]`)
    .waitFor({ timeout });
}

/** Waits until the row's progress bar reports at least `fraction` (the bar's aria-valuenow, 0..1). */
export async function waitForProgress(
  root: Page | FrameLocator,
  name: string,
  fraction: number,
  timeout = 60_000
) {
  const bar = row(root, name).getByRole("progressbar");
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = Number(await bar.getAttribute("aria-valuenow"));
    if (value >= fraction) return value;
    if (Date.now() > deadline) throw new Error(`progress of ${name} stayed at ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The attachment the emulator stored for a file name on the item the pane targets. */
export function storedAttachment(fixture: PaneFixture, name: string) {
  return fixture.emulator.attachments().filter((a) => a.name === name);
}

export async function until<T>(probe: () => T | undefined | false, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const NO_FAULTS = {
  faults: {
    latencyMs: 0,
    bandwidthBytesPerSec: 0,
    dropConnection: null,
    statusRate: null,
    script: [],
  },
};

/**
 * One fixture for a whole `describe`: started before its first test, closed after its last. After
 * each test its pages close, the browser is back online and the emulator gets `reset` (faults off
 * and whatever switch the file's tests turn), so no test sees another's leftovers.
 */
export function usePaneFixture(
  reset: ConfigPatch = NO_FAULTS,
  settings: PlaygroundSettings = {}
): () => PaneFixture {
  let fixture: PaneFixture | undefined;
  beforeAll(async () => {
    fixture = await startFixture({ viewport: { width: 1200, height: 800 } }, settings);
  });
  afterAll(async () => {
    await fixture?.close();
  });
  afterEach(async () => {
    if (!fixture) return;
    fixture.emulator.configure(reset);
    await fixture.browser.context.setOffline(false);
    for (const page of fixture.browser.context.pages()) await page.close();
  });
  return () => {
    if (!fixture) throw new Error("the pane fixture is not started");
    return fixture;
  };
}

/** The pane's own frame inside the playground page (for evaluate(); locators use openPlayground's). */
export function paneFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes("/taskpane.html"));
  if (!frame) throw new Error("the playground page has no task pane frame");
  return frame;
}

/**
 * Starts recording every status text a row shows, in the pane's own page (a retry countdown or a
 * reconnect may last only a second); `statuses()` reads what was seen so far.
 */
export async function recordRowStatuses(page: Page): Promise<{ statuses(): Promise<string[]> }> {
  await paneFrame(page).evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll("[data-testid=file-status]"))
        if (el.textContent && !seen.includes(el.textContent)) seen.push(el.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return {
    statuses: () =>
      paneFrame(page).evaluate(() => (window as unknown as { statuses: string[] }).statuses),
  };
}
