// The pane's lazy chunks (src/taskpane/chunks.ts) through the real built pane: "share" (the share
// settings, the shared link line, the body insertion and the engine's drive route) and "rows" (the
// file rows and the total bar) are fetched after the pane is interactive. A user who clicks "Share
// as a link instead" before the share chunk arrived still gets the share; a chunk that cannot be
// loaded (the request fails, as offline) ends in a clear message with Retry, never a blank pane.
import type { Route } from "playwright-core";
import { MiB, row, usePaneFixture, waitForPhase, writeFile } from "./pane-support";
import {
  SHARE_RESET,
  composeBody,
  driveFile,
  driveSessionsFor,
  openCompose,
} from "./pane-share-support";

const SHARE_CHUNK = /\/share\.[0-9a-f]{20}\.js$/;
const ROWS_CHUNK = /\/rows\.[0-9a-f]{20}\.js$/;

describe("pane's lazy chunks (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture(SHARE_RESET);
  afterEach(async () => {
    await fx().browser.context.unrouteAll({ behavior: "ignoreErrors" });
  });

  it("a share clicked before the share chunk arrived waits for it, then ends shared with its link in the body", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let requests = 0;
    await fx().browser.context.route(SHARE_CHUNK, async (route: Route) => {
      requests++;
      await released;
      await route.continue().catch(() => undefined); // the page openCompose reloaded is gone
    });
    fx().emulator.configure({ maxMessageSizeBytes: 4 * MiB });
    const file = await writeFile(fx().dir, "chunk-late.pdf", 6 * MiB);
    const { page, pane } = await openCompose(fx(), { client: "idealised" });
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "failed", 60_000);
    // The chunk was asked for once the pane was ready, and is still held: no settings yet.
    expect(requests).toBeGreaterThan(0);
    const asked = requests;
    expect(await pane.getByTestId("share-setting").count()).toBe(0);
    await row(pane, file.name).getByTestId("share-instead").click();
    // The row waits for the drive route's code: nothing has reached OneDrive.
    await waitForPhase(pane, file.name, "creating-session", 10_000);
    expect(driveSessionsFor(fx(), file.name)).toEqual([]);
    expect(driveFile(fx(), file.name)).toBeUndefined();
    release();
    await waitForPhase(pane, file.name, "shared", 60_000);
    await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });
    const [link] = driveFile(fx(), file.name)!.links;
    expect((await composeBody(page)).links).toEqual([{ href: link.webUrl, text: file.name }]);
    await pane.getByTestId("share-setting").waitFor({ timeout: 10_000 });
    // No second request for the chunk: the click waited for the load already under way.
    expect(requests).toBe(asked);
  }, 120_000);

  it("a share chunk that does not load: the settings and the row say so, and Retry shares once it loads", async () => {
    await fx().browser.context.route(SHARE_CHUNK, (route: Route) =>
      route.abort("internetdisconnected")
    );
    fx().emulator.configure({ maxMessageSizeBytes: 4 * MiB });
    const file = await writeFile(fx().dir, "chunk-offline.pdf", 6 * MiB);
    const { page, pane } = await openCompose(fx(), { client: "idealised" });
    const settingsFailed = pane.getByTestId("share-load-failed");
    await settingsFailed.waitFor({ timeout: 15_000 });
    expect(await settingsFailed.textContent()).toMatch(/could not be loaded/);
    // The rest of the pane works: the file uploads until the tenant refuses it.
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "failed", 60_000);
    await row(pane, file.name).getByTestId("share-instead").click();
    await waitForPhase(pane, file.name, "failed", 30_000);
    expect(await row(pane, file.name).getByTestId("file-status").textContent()).toMatch(
      /Part of the add-in could not be loaded/
    );
    expect(driveSessionsFor(fx(), file.name)).toEqual([]);

    // Back online: the row's Retry loads the chunk and shares; the settings appear.
    await fx().browser.context.unrouteAll({ behavior: "ignoreErrors" });
    await row(pane, file.name).getByTestId("retry").click();
    await waitForPhase(pane, file.name, "shared", 60_000);
    await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });
    expect(driveFile(fx(), file.name)).toEqual(expect.objectContaining({ sha256: file.sha256 }));
    expect((await composeBody(page)).links).toHaveLength(1);
    await pane.getByTestId("share-setting").waitFor({ timeout: 10_000 });
    expect(await pane.getByTestId("share-load-failed").count()).toBe(0);
  }, 120_000);

  it("a rows chunk that does not load: the pane says so instead of showing no rows, and Retry shows them", async () => {
    await fx().browser.context.route(ROWS_CHUNK, (route: Route) =>
      route.abort("internetdisconnected")
    );
    const file = await writeFile(fx().dir, "rows-offline.pdf", 1 * MiB);
    const { pane } = await openCompose(fx(), { client: "idealised" });
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    const failed = pane.getByTestId("rows-load-failed");
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toMatch(/could not be loaded/);
    expect(await pane.getByTestId("file-row").count()).toBe(0);
    await fx().browser.context.unrouteAll({ behavior: "ignoreErrors" });
    await failed.getByTestId("chunk-retry").click();
    await waitForPhase(pane, file.name, "attached", 60_000);
    expect(await pane.getByTestId("rows-load-failed").count()).toBe(0);
    await pane.getByTestId("total-text").waitFor({ timeout: 10_000 });
  }, 120_000);

  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
