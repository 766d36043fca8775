/**
 * The playground's Outlook stand-in models real Outlook (issue #16), under each client switch: the compose form
 * keeps its own attachment list, lists a Graph upload only after *Reopen draft*, and saves its own copy over
 * the server's (classic) or conflicts first (web). The built pane and Send guard (dist/taskpane.html,
 * dist/commands.html) run in Chromium against the emulator; *Send* runs the registered OnMessageSend handler.
 */
import type { FrameLocator, Page } from "playwright-core";
import {
  MiB,
  paneFrame,
  row,
  storedAttachment,
  usePaneFixture,
  waitForPhase,
  writeFile,
  type PaneFixture,
} from "./pane-support";

const CLIENTS = ["web", "classic-online", "classic-cached", "mac"] as const;

async function open(
  fx: PaneFixture,
  client: string,
  extra = ""
): Promise<{ page: Page; pane: FrameLocator }> {
  const page = await fx.browser.context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(`${fx.playground.url}?client=${client}${extra}`);
  const pane = page.frameLocator("#pane");
  await pane.locator('[data-testid=pane][data-status="ready"]').waitFor({ timeout: 30_000 });
  return { page, pane };
}

/** Makes the compose form refuse the next files (AttachmentSizeExceeded), so they go through Graph. */
async function formRefuses(page: Page) {
  await paneFrame(page).evaluate(() => {
    const item = (window as unknown as { Office: typeof Office }).Office.context.mailbox
      .item as unknown as Record<string, unknown>;
    item.addFileAttachmentFromBase64Async = (...args: unknown[]) => {
      const callback = args[args.length - 1] as (result: unknown) => void;
      setTimeout(
        () =>
          callback({
            status: "failed",
            error: { code: 9000, name: "AttachmentSizeExceeded", message: "too large" },
          }),
        0
      );
    };
  });
}

async function sendAndRead(page: Page) {
  await page.locator("#send").click();
  const status = page.locator("#send-status:is([data-state=sent],[data-state=blocked])");
  await status.waitFor({ timeout: 30_000 });
  return {
    state: await status.getAttribute("data-state"),
    text: (await status.textContent()) ?? "",
  };
}

describe.each(CLIENTS)("Outlook stand-in, client %s", (client) => {
  const fx = usePaneFixture();

  it("a Graph upload the form later overwrites is caught by the Send guard: send blocked, file named", async () => {
    const file = await writeFile(fx().dir, `report-${client}.pdf`, 4 * MiB);
    const { page, pane } = await open(fx(), client);
    await formRefuses(page);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    expect(await row(pane, file.name).textContent()).toContain(
      "Attached to the draft on the server"
    );
    expect(await row(pane, file.name).textContent()).not.toMatch(/Ctrl\s*\+\s*S/);
    // The form's own list does not show a file added on the server.
    expect(await page.locator(`#well li[data-name="${file.name}"]`).count()).toBe(0);
    expect(storedAttachment(fx(), file.name)).toHaveLength(1);

    await page.locator("#save-draft").click(); // classic: overwrites; web: conflicts once
    const result = await sendAndRead(page); // Send saves the form's copy, then runs the guard
    expect(result.state).toBe("blocked");
    expect(result.text).toContain(file.name);
    expect(storedAttachment(fx(), file.name)).toHaveLength(0);
  });

  it("a file within the form's limit goes through addFileAttachmentFromBase64Async and shows at once", async () => {
    const file = await writeFile(fx().dir, `notes-${client}.docx`, 1 * MiB);
    const { page, pane } = await open(fx(), client);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    expect(await row(pane, file.name).textContent()).toContain("Added to the message");
    await page.locator(`#well li[data-name="${file.name}"]`).waitFor({ timeout: 5_000 });
    expect(storedAttachment(fx(), file.name)).toHaveLength(0); // in the form's copy, not uploaded through Graph
    expect((await sendAndRead(page)).state).toBe("sent");
  });

  it("reopening the draft shows the server's attachments, and then the form's saves keep them", async () => {
    const file = await writeFile(fx().dir, `kept-${client}.xlsx`, 4 * MiB);
    const { page, pane } = await open(fx(), client);
    await formRefuses(page);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    expect(await page.locator(`#well li[data-name="${file.name}"]`).count()).toBe(0);
    await page.locator("#reopen-draft").click();
    await page.locator(`#well li[data-name="${file.name}"]`).waitFor({ timeout: 5_000 });
    await page.locator("#save-draft").click();
    expect((await sendAndRead(page)).state).toBe("sent");
    expect(storedAttachment(fx(), file.name)).toHaveLength(1);
  });
});

describe("a client without Smart Alerts (Mailbox 1.10): the open pane watches the item instead", () => {
  const fx = usePaneFixture();

  it("says loudly, in the row, when a file it attached through Graph disappears from the draft", async () => {
    const file = await writeFile(fx().dir, "watched.pdf", 4 * MiB);
    const { page, pane } = await open(fx(), "classic-online", "&mailbox=1.10");
    await formRefuses(page);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "attached");
    const advice = row(pane, file.name).locator('[data-verification="not-yet-visible"]');
    await advice.waitFor({ timeout: 15_000 });
    expect(await advice.textContent()).toContain("cannot check it at Send");
    await page.locator("#save-draft").click(); // classic: the form's copy overwrites the server's
    await pane
      .locator(`[data-testid=file-row][data-name="${file.name}"][data-lost="true"]`)
      .waitFor({ timeout: 45_000 });
    expect(await row(pane, file.name).getByTestId("file-status").textContent()).toContain(
      "is no longer on the draft"
    );
  });
});
