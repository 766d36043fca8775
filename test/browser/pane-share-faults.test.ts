// The OneDrive route under the same faults as attachments (issue #12): a reload mid-upload resumes
// the drive session, cancel deletes it, a full OneDrive (507) and a tenant that refuses link scopes
// end in messages a person can act on, and "Always share" skips the question. The pane's own limit
// is 4 MiB here, so small files are refused at pick and the sizes stay small.
import {
  MiB,
  paneFrame,
  row,
  until,
  usePaneFixture,
  waitForPhase,
  waitForProgress,
  writeFile,
} from "./pane-support";
import {
  SHARE_RESET,
  composeBody,
  driveFile,
  driveSessionsFor,
  openCompose,
  statusOf,
} from "./pane-share-support";
import type { FrameLocator } from "playwright-core";

/** Picks a file the pane refuses (over its 4 MiB limit) and answers its notice with Share as a link. */
async function shareAtPick(pane: FrameLocator, file: { path: string; name: string }) {
  await pane.getByTestId("browse-input").setInputFiles(file.path);
  const notice = pane.locator('[data-testid=notice][data-kind="over-limit"]');
  await notice.waitFor({ timeout: 10_000 });
  await notice.getByTestId("share-refused").click();
  await row(pane, file.name).waitFor({ timeout: 10_000 });
}

describe("pane shares files as links under faults (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture(SHARE_RESET, { messageSizeLimit: 4 * MiB });

  it("a reload mid-upload offers to resume; the same file picked again continues the drive session", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
    const file = await writeFile(fx().dir, "reload-share.bin", 16 * MiB);
    const { page, pane } = await openCompose(fx());
    await shareAtPick(pane, file);
    // The engine hands the pane its resume record once the drive session exists.
    const frame = paneFrame(page);
    await frame.waitForFunction(
      () => Object.keys(localStorage).some((k) => k.startsWith("large-attach:resume:")),
      undefined,
      { timeout: 60_000 }
    );
    const [before] = driveSessionsFor(fx(), file.name);
    await frame.evaluate(() => location.reload());
    const offer = pane.locator(`[data-testid=resume-offer][data-name="${file.name}"]`);
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.textContent()).toMatch(/uploaded to OneDrive/);
    // Every drive session seen until the file is shared: only the one from before the reload.
    const seen = new Set<string>();
    const watch = setInterval(
      () => driveSessionsFor(fx(), file.name).forEach((s) => seen.add(s.id)),
      50
    );
    await offer.getByTestId("resume-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "shared", 60_000).finally(() => clearInterval(watch));
    expect([...seen]).toEqual([before.id]);
    // One file, whole.
    expect(
      fx()
        .emulator.driveItems()
        .filter((i) => i.name.startsWith("reload-share"))
    ).toEqual([expect.objectContaining({ name: file.name, sha256: file.sha256 })]);
    await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });
    const [link] = driveFile(fx(), file.name)!.links;
    expect((await composeBody(page)).links).toEqual([{ href: link.webUrl, text: file.name }]);
  }, 150_000);

  it("cancel mid-upload deletes the drive session, stores nothing and puts nothing in the body", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
    const file = await writeFile(fx().dir, "cancel-share.bin", 12 * MiB);
    const { page, pane } = await openCompose(fx());
    await shareAtPick(pane, file);
    await waitForProgress(pane, file.name, 0.05);
    expect(driveSessionsFor(fx(), file.name)).toHaveLength(1);
    await row(pane, file.name).getByTestId("cancel").click();
    await waitForPhase(pane, file.name, "cancelled");
    await until(() => driveSessionsFor(fx(), file.name).length === 0);
    expect(driveFile(fx(), file.name)).toBeUndefined();
    expect((await composeBody(page)).links).toEqual([]);
  }, 90_000);

  it("a full OneDrive (507) ends in a clear message and no link", async () => {
    fx().emulator.configure({ drive: { quotaBytes: 2 * MiB } });
    const file = await writeFile(fx().dir, "no-room.bin", 6 * MiB);
    const { page, pane } = await openCompose(fx());
    await shareAtPick(pane, file);
    await waitForPhase(pane, file.name, "failed", 60_000);
    expect(await statusOf(pane, file.name)).toBe("Your OneDrive is full.");
    await row(pane, file.name).getByText("Details").click();
    expect(await row(pane, file.name).getByTestId("error-help").textContent()).toMatch(
      /Free up space in OneDrive/
    );
    expect(await row(pane, file.name).getByTestId("error-details").textContent()).toContain("507");
    expect(await row(pane, file.name).getByTestId("retry").count()).toBe(0);
    expect((await composeBody(page)).links).toEqual([]);
    await until(() => driveSessionsFor(fx(), file.name).length === 0);
  }, 90_000);

  it("a refused link scope falls back to one the tenant allows and says which", async () => {
    fx().emulator.configure({ drive: { linkScopes: ["users"] } });
    const file = await writeFile(fx().dir, "scoped.pdf", 6 * MiB);
    const { page, pane } = await openCompose(fx());
    await shareAtPick(pane, file);
    await waitForPhase(pane, file.name, "shared", 60_000);
    const scope = row(pane, file.name).getByTestId("link-scope");
    expect(await scope.textContent()).toBe(
      "Your organization does not allow links for people in your organization; this link works for specific people."
    );
    const [link] = driveFile(fx(), file.name)!.links;
    expect(link.scope).toBe("users");
    await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });
    expect((await composeBody(page)).links).toEqual([{ href: link.webUrl, text: file.name }]);
  }, 90_000);

  it("a tenant that allows no link scope ends in a clear message; the file stays in OneDrive, no link in the body", async () => {
    fx().emulator.configure({ drive: { linkScopes: [] } });
    const file = await writeFile(fx().dir, "no-link.pdf", 6 * MiB);
    const { page, pane } = await openCompose(fx());
    await shareAtPick(pane, file);
    await waitForPhase(pane, file.name, "failed", 60_000);
    expect(await statusOf(pane, file.name)).toBe(
      "Your organization allows no sharing link for this file."
    );
    await row(pane, file.name).getByText("Details").click();
    expect(await row(pane, file.name).getByTestId("error-help").textContent()).toMatch(
      /uploaded to your OneDrive, but your organization refused every kind of link/
    );
    expect(driveFile(fx(), file.name)).toEqual(expect.objectContaining({ sha256: file.sha256 }));
    expect((await composeBody(page)).links).toEqual([]);
  }, 90_000);

  it("with 'Always share' chosen, a file that cannot be attached goes to OneDrive without the question", async () => {
    const file = await writeFile(fx().dir, "always-shared.bin", 6 * MiB);
    const { page, pane } = await openCompose(fx());
    await pane
      .getByTestId("share-setting")
      .getByText("Always share them as a OneDrive link")
      .click();
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "shared", 60_000);
    expect(await pane.getByTestId("notice").count()).toBe(0);
    expect(await row(pane, file.name).getByTestId("share-reason").textContent()).toMatch(
      /Over your organization's message size limit/
    );
    expect(driveFile(fx(), file.name)).toEqual(expect.objectContaining({ sha256: file.sha256 }));
    // Kept for the user: the stand-in's roaming settings hold it for the next pane.
    const saved = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith("playground:roaming:"))
        .map((key) => JSON.parse(localStorage.getItem(key)!) as Record<string, unknown>)
    );
    expect(saved).toEqual([
      { "largeAttach.share": expect.objectContaining({ whenCannotAttach: "always" }) },
    ]);
  }, 90_000);

  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
