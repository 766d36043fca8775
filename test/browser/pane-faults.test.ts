// Faults through the real pane: cancel, throttling bursts, dropped connections, going offline, a
// reload mid-upload, refusals before any request, and the tenant's message size limit. Uploads are
// slowed (emulator bandwidth cap) only where a test must catch one in flight.
import {
  MiB,
  NO_FAULTS,
  openPlayground,
  paneFrame,
  row,
  usePaneFixture,
  storedAttachment,
  until,
  waitForPhase,
  waitForProgress,
  writeFile,
} from "./pane-support";

describe("pane under faults (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture({ ...NO_FAULTS, maxMessageSizeBytes: 157_286_400 });

  it("cancel mid-upload deletes the session and stores nothing", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
    const file = await writeFile(fx().dir, "cancel-me.bin", 12 * MiB);
    const { pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForProgress(pane, file.name, 0.02);
    expect(
      fx()
        .emulator.openSessions()
        .filter((s) => s.name === file.name)
    ).toHaveLength(1);
    await row(pane, file.name).getByTestId("cancel").click();
    await waitForPhase(pane, file.name, "cancelled");
    await until(() =>
      fx()
        .emulator.openSessions()
        .every((s) => s.name !== file.name)
    );
    expect(storedAttachment(fx(), file.name)).toEqual([]);
  });

  it("a 503 burst shows 'retrying' and then succeeds", async () => {
    fx().emulator.configure({
      faults: {
        script: [
          { status: 503, count: 3, retryAfterSeconds: 1, target: "upload", methods: ["PUT"] },
        ],
      },
    });
    const file = await writeFile(fx().dir, "burst.bin", 10 * MiB);
    const { pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "retrying", 30_000);
    expect(await row(pane, file.name).getByTestId("file-status").textContent()).toMatch(
      /retrying/i
    );
    await waitForPhase(pane, file.name, "attached", 60_000);
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
  });

  it("a dropped connection recovers and the bytes still match", async () => {
    fx().emulator.configure({
      faults: { dropConnection: { putNumber: 2, afterBytes: 700_000 } },
    });
    const file = await writeFile(fx().dir, "dropped.bin", 10 * MiB);
    const { pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached", 60_000);
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
  });

  it("going offline pauses with a notice; back online resumes to completion", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
    const file = await writeFile(fx().dir, "offline.bin", 16 * MiB);
    const { pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForProgress(pane, file.name, 0.05);
    await fx().browser.context.setOffline(true);
    await pane.getByTestId("offline-notice").waitFor({ timeout: 10_000 });
    await waitForPhase(pane, file.name, "paused", 10_000);
    expect(await row(pane, file.name).getByTestId("file-status").textContent()).toMatch(/offline/i);
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
    await fx().browser.context.setOffline(false);
    await waitForPhase(pane, file.name, "attached", 60_000);
    expect(await pane.getByTestId("offline-notice").count()).toBe(0);
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
  });

  it("a reload mid-upload offers to resume and completes after the same file is picked again", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
    const file = await writeFile(fx().dir, "reload.bin", 16 * MiB);
    const { page, pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    // The engine writes its resume record when the first range is acknowledged.
    const frame = paneFrame(page);
    const resumeKeys = () =>
      frame.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith("large-attach:resume:"))
      );
    const deadline = Date.now() + 60_000;
    while ((await resumeKeys()).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await resumeKeys()).toHaveLength(1);
    await frame.evaluate(() => location.reload());
    const offer = pane.locator(`[data-testid=resume-offer][data-name="${file.name}"]`);
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.textContent()).toMatch(/uploaded/);
    const sessions = () =>
      fx()
        .emulator.openSessions()
        .filter((s) => s.name === file.name);
    const [before] = sessions();
    expect(sessions()).toHaveLength(1);
    await offer.getByTestId("resume-input").setInputFiles(file.path);
    // It continues the session it had (more bytes on the same one), it does not start over.
    await until(() => {
      const now = sessions();
      if (now.some((s) => s.id !== before.id)) throw new Error("a second session was created");
      return now.length === 1 && now[0].received > before.received;
    });
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
    await waitForPhase(pane, file.name, "attached", 60_000);
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
    const left = await paneFrame(page).evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith("large-attach:resume:"))
    );
    expect(left).toEqual([]);
  });

  it("after a reload, an expired session is offered as a fresh start and the file attaches in full", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
    const file = await writeFile(fx().dir, "expired.bin", 12 * MiB);
    const { page, pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    const offer = pane.locator(`[data-testid=resume-offer][data-name="${file.name}"]`);
    await until(() =>
      fx()
        .emulator.openSessions()
        .some((s) => s.name === file.name && s.received > 0)
    );
    await paneFrame(page).evaluate(() => location.reload());
    await offer.waitFor({ timeout: 30_000 });
    const [old] = fx()
      .emulator.openSessions()
      .filter((s) => s.name === file.name);
    // The session's expiry passes while the pane is closed (Graph's sessions live for hours; here
    // the record's date is moved back instead of waiting).
    await paneFrame(page).evaluate(() => {
      for (const key of Object.keys(localStorage).filter((k) =>
        k.startsWith("large-attach:resume:")
      )) {
        const records = JSON.parse(localStorage.getItem(key)!) as { expirationDateTime: string }[];
        for (const record of records)
          record.expirationDateTime = new Date(Date.now() - 60_000).toISOString();
        localStorage.setItem(key, JSON.stringify(records));
      }
      location.reload();
    });
    await pane.getByText("Pick file to start over").waitFor({ timeout: 30_000 });
    expect(await offer.textContent()).toMatch(/expired\. Pick the file again to start over/);
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
    await offer.getByTestId("resume-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached", 60_000);
    expect(await offer.count()).toBe(0);
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
    // It started over on a new session rather than sending the rest to the expired one.
    expect(
      fx()
        .emulator.openSessions()
        .filter((s) => s.name === file.name)
    ).toEqual([expect.objectContaining({ id: old.id })]);
  });

  it("refuses a file over 150 MiB with its message before any request", async () => {
    const file = await writeFile(fx().dir, "too-big.iso", 150 * MiB + 1, true);
    const { page, pane } = await openPlayground(fx());
    const emulatorOrigins = [new URL(fx().emulator.url).origin, fx().emulator.uploadOrigin];
    const requests: string[] = [];
    page.on("request", (request) => {
      if (emulatorOrigins.includes(new URL(request.url()).origin)) requests.push(request.url());
    });
    // The compose window polls the emulator for its well; only the pane's requests count.
    const paneRequests = () => requests.filter((url) => !url.includes("/_emulator/attachments"));
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    const notice = pane.locator('[data-testid=notice][data-kind="too-large"]');
    await notice.waitFor({ timeout: 10_000 });
    // The exact size, so it never reads as "150 MB is over the 150 MB limit".
    expect(await notice.textContent()).toContain(
      `(${file.size.toLocaleString("en-US")}\u00a0bytes) is over the 150\u00a0MB limit`
    );
    expect(await pane.locator("[data-testid=file-row]").count()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(paneRequests()).toEqual([]);
  });

  it("ErrorMessageSizeExceeded explains the tenant limit and the pane learns it", async () => {
    fx().emulator.configure({ maxMessageSizeBytes: 6 * MiB });
    const first = await writeFile(fx().dir, "over-tenant.bin", 8 * MiB);
    // Graph refused a total of 8 MiB, so the pane now knows the limit lies below that: a 9 MiB file
    // is refused on pick, before any request.
    const second = await writeFile(fx().dir, "also-over.bin", 9 * MiB);
    const { pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(first.path);
    await waitForPhase(pane, first.name, "failed", 30_000);
    const status = await row(pane, first.name).getByTestId("file-status").textContent();
    expect(status).toMatch(/message size limit/);
    await row(pane, first.name).getByText("Details").click();
    const help = await row(pane, first.name).getByTestId("error-help").textContent();
    expect(help).toMatch(/maximum message size/);
    expect(help).toMatch(/administrator can raise/i);
    expect(help).toMatch(/OneDrive link/);
    const details = await row(pane, first.name).getByTestId("error-details").textContent();
    expect(details).toContain("ErrorMessageSizeExceeded");
    expect(details).not.toMatch(/authtoken|Bearer|eyJ|\/upload/i);
    // Retrying cannot help: the row offers only removal.
    expect(await row(pane, first.name).getByTestId("retry").count()).toBe(0);

    await pane.getByTestId("browse-input").setInputFiles(second.path);
    const notice = pane.locator('[data-testid=notice][data-kind="over-limit"]');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/refused a smaller total earlier/);
    expect(await row(pane, second.name).count()).toBe(0);
    const names = [first.name, second.name];
    expect(
      fx()
        .emulator.openSessions()
        .filter((s) => names.includes(s.name))
    ).toEqual([]);
    expect(storedAttachment(fx(), second.name)).toEqual([]);
  });

  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
