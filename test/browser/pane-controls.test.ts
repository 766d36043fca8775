// The pane's own controls through the playground: the header names the target, duplicates are
// flagged, a row pauses and resumes, "Cancel all" then "Retry all", files dropped on the pane,
// the beforeunload warning while uploads run, the advice when the compose form lags behind, and
// the zh-CN strings from Office's display language.
import { createHash } from "node:crypto";
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

describe("pane controls (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture({ ...NO_FAULTS, itemInvisibleSeconds: 0 });

  it("names the target, flags a duplicate, pauses and resumes a row, then Cancel all and Retry all", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
    // 12 MiB at 2 MB/s: the Cancel all below lands seconds before either file's last range (a
    // last range is let finish, and would rightly end "attached").
    const a = await writeFile(fx().dir, "report-a.pdf", 12 * MiB);
    const b = await writeFile(fx().dir, "report-b.pdf", 12 * MiB);
    const { page, pane } = await openPlayground(fx());
    await page.locator("#subject").fill("Budget 2027");
    // The subject is read when the pane loads: open a fresh item with the new subject.
    await page.locator("#new-item").click();
    await pane
      .getByTestId("target-subject")
      .getByText("Budget 2027", { exact: true })
      .waitFor({ timeout: 30_000 });
    await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
    expect(await pane.getByTestId("target").textContent()).toContain("Attaching to:");
    expect(await pane.getByTestId("target-kind").textContent()).toBe("Message");

    await pane.getByTestId("browse-input").setInputFiles([a.path, b.path]);
    await pane.getByTestId("browse-input").setInputFiles(a.path);
    const duplicate = pane.locator('[data-testid=notice][data-kind="duplicate"]');
    await duplicate.waitFor({ timeout: 10_000 });
    expect(await duplicate.textContent()).toContain(a.name);
    expect(await pane.getByTestId("file-row").count()).toBe(2);
    expect(await pane.getByTestId("total-text").textContent()).toMatch(
      /Total: .* of 24\u00a0MB · 0 of 2 attached/
    );

    await waitForProgress(pane, a.name, 0.02);
    // While it moves the row shows percent, speed and a time left (the route only under Details).
    await row(pane, a.name)
      .getByText(/about .+ left/)
      .waitFor({ timeout: 15_000 });
    expect(await row(pane, a.name).textContent()).toMatch(
      /\d+%.*[\d.]+\u00a0(KB|MB)\/\u2060s.*about .+ left/
    );
    await row(pane, a.name).getByTestId("pause").click();
    await waitForPhase(pane, a.name, "paused", 10_000);
    expect(await row(pane, a.name).getByTestId("file-status").textContent()).toBe("Paused");
    await row(pane, a.name).getByTestId("resume").click();
    await pane
      .locator(`[data-testid=file-row][data-name="${a.name}"]:not([data-phase="paused"])`)
      .waitFor({ timeout: 10_000 });

    await pane.getByTestId("cancel-all").click();
    await waitForPhase(pane, a.name, "cancelled", 10_000);
    await waitForPhase(pane, b.name, "cancelled", 10_000);
    await until(() => fx().emulator.openSessions().length === 0);
    expect(await pane.getByTestId("cancel-all").count()).toBe(0);

    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
    await pane.getByTestId("retry-all").click();
    await waitForPhase(pane, a.name, "attached");
    await waitForPhase(pane, b.name, "attached");
    expect(await pane.getByTestId("total-text").textContent()).toContain("2 of 2 attached");
    for (const file of [a, b])
      expect(storedAttachment(fx(), file.name)).toEqual([
        expect.objectContaining({ sha256: file.sha256 }),
      ]);
    expect(fx().emulator.openSessions()).toEqual([]);
  });

  it("files dropped anywhere on the pane are attached; dragging shows the drop state", async () => {
    const { page, pane } = await openPlayground(fx());
    const frame = paneFrame(page);
    const size = 300_000;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 251;
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await frame.evaluate((n) => {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) data[i] = (i * 31 + 7) % 251;
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], "dropped-notes.txt", { type: "text/plain" }));
      (window as unknown as { dropTransfer: DataTransfer }).dropTransfer = transfer;
      const target = document.querySelector("[data-testid=pane]")!;
      target.dispatchEvent(
        new DragEvent("dragenter", { bubbles: true, cancelable: true, dataTransfer: transfer })
      );
    }, size);
    await pane.getByText("Release to attach").waitFor({ timeout: 5_000 });
    await frame.evaluate(() => {
      const transfer = (window as unknown as { dropTransfer: DataTransfer }).dropTransfer;
      const target = document.querySelector("[data-testid=pane]")!;
      target.dispatchEvent(
        new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer })
      );
    });
    await waitForPhase(pane, "dropped-notes.txt", "attached");
    // Outside the drop zone (the page around the pane's root) a file drop is swallowed, so the
    // browser never replaces the pane with the file; nothing is added twice.
    const swallowed = await frame.evaluate(() => {
      const transfer = (window as unknown as { dropTransfer: DataTransfer }).dropTransfer;
      return !document.body.dispatchEvent(
        new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer })
      );
    });
    expect(swallowed).toBe(true);
    expect(await pane.getByTestId("file-row").count()).toBe(1);
    expect(await pane.getByText("Release to attach").count()).toBe(0);
    expect(storedAttachment(fx(), "dropped-notes.txt")).toEqual([
      expect.objectContaining({ sha256, size }),
    ]);
  });

  it("warns before unload while an upload runs, and not when nothing runs", async () => {
    const dialogs: string[] = [];
    const idle = await openPlayground(fx());
    idle.page.on("dialog", (dialog) => dialogs.push(dialog.type()));
    // Chromium asks only in a frame the user has interacted with.
    await idle.pane.getByTestId("target-subject").click();
    await idle.page.close({ runBeforeUnload: true });
    await until(() => idle.page.isClosed());
    expect(dialogs).toEqual([]);

    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
    const file = await writeFile(fx().dir, "leaving.bin", 8 * MiB);
    const { page, pane } = await openPlayground(fx());
    page.on("dialog", (dialog) => dialogs.push(dialog.type()));
    await pane.getByTestId("target-subject").click();
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForProgress(pane, file.name, 0.01);
    await page.close({ runBeforeUnload: true });
    await until(() => dialogs.length > 0, 10_000);
    expect(dialogs).toEqual(["beforeunload"]);
  });

  it("says how to refresh when the compose form does not show the attachment yet", async () => {
    const file = await writeFile(fx().dir, "lagging.docx", 1 * MiB);
    const { page, pane } = await openPlayground(fx());
    // Outlook's compose form lags behind the server: getAttachmentsAsync does not list the file.
    await paneFrame(page).evaluate(() => {
      const item = (window as unknown as { Office: typeof Office }).Office.context.mailbox
        .item as unknown as {
        getAttachmentsAsync(...args: unknown[]): void;
      };
      item.getAttachmentsAsync = (...args: unknown[]) => {
        const callback = args[args.length - 1] as (result: unknown) => void;
        setTimeout(() => callback({ status: "succeeded", value: [] }), 0);
      };
    });
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    const advice = row(pane, file.name).locator('[data-verification="not-yet-visible"]');
    await advice.waitFor({ timeout: 15_000 });
    // The truth, and no Ctrl+S: a save of the compose form is what can overwrite the server copy.
    expect(await advice.textContent()).toMatch(/does not list it yet.*Send.*reopen it from Drafts/);
    expect(await advice.textContent()).not.toMatch(/Ctrl/);
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
  });

  it("speaks Simplified Chinese when Office's display language is zh-CN", async () => {
    const file = await writeFile(fx().dir, "季度报告.xlsx", 1 * MiB);
    const huge = await writeFile(fx().dir, "huge.iso", 150 * MiB + 1, true);
    const { page, pane } = await openPlayground(fx());
    await page.locator("#lang").selectOption("zh-CN");
    await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
    await pane.locator("html[lang=zh-CN]").waitFor({ timeout: 10_000 });
    expect(await pane.getByTestId("browse").textContent()).toBe("浏览文件");
    expect(await pane.getByTestId("target").textContent()).toContain("附加到：");

    await pane.getByTestId("browse-input").setInputFiles([file.path, huge.path]);
    const refused = pane.locator('[data-testid=notice][data-kind="too-large"]');
    await refused.waitFor({ timeout: 10_000 });
    expect(await refused.textContent()).toContain("超过了 Outlook 附件 150\u00a0MB 的限制");
    await waitForPhase(pane, file.name, "attached");
    expect(await row(pane, file.name).getByTestId("file-status").textContent()).toBe(
      "已附加到服务器上的草稿"
    );
    expect(await pane.getByTestId("total-text").textContent()).toContain("已附加 1 / 1");
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
  });

  it("waits for a just-saved draft to reach the server, says so, then attaches", async () => {
    // Cached-mode Outlook: the draft the pane just saved answers 404 for a few seconds.
    fx().emulator.configure({ itemInvisibleSeconds: 3 });
    const file = await writeFile(fx().dir, "early.bin", 1 * MiB);
    const { pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "waiting-for-item", 15_000);
    expect(await row(pane, file.name).getByTestId("file-status").textContent()).toBe(
      "Waiting for Outlook to sync the draft…"
    );
    await waitForPhase(pane, file.name, "attached", 30_000);
    expect(storedAttachment(fx(), file.name)).toEqual([
      expect.objectContaining({ sha256: file.sha256 }),
    ]);
  });

  it("Remove by keyboard moves focus to the next row, then to Browse files", async () => {
    fx().emulator.configure({ faults: { bandwidthBytesPerSec: 1 * MiB } });
    const first = await writeFile(fx().dir, "remove-first.bin", 8 * MiB);
    const second = await writeFile(fx().dir, "remove-second.bin", 8 * MiB);
    const { pane } = await openPlayground(fx());
    await pane.getByTestId("browse-input").setInputFiles([first.path, second.path]);
    await waitForProgress(pane, first.name, 0.01);
    await pane.getByTestId("cancel-all").click();
    await waitForPhase(pane, first.name, "cancelled", 10_000);
    await waitForPhase(pane, second.name, "cancelled", 10_000);
    const focusedRow = () =>
      pane
        .locator(":focus")
        .evaluate((el) => el.closest("[data-testid=file-row]")?.getAttribute("data-name") ?? null);
    const focusedTestId = () =>
      pane.locator(":focus").evaluate((el) => el.getAttribute("data-testid"));

    await row(pane, first.name).getByTestId("remove").focus();
    await pane.locator(":focus").press("Enter");
    expect(await pane.getByTestId("file-row").count()).toBe(1);
    expect(await focusedRow()).toBe(second.name);

    await row(pane, second.name).getByTestId("remove").focus();
    await pane.locator(":focus").press("Enter");
    expect(await pane.getByTestId("file-row").count()).toBe(0);
    expect(await focusedTestId()).toBe("browse");
  });

  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
