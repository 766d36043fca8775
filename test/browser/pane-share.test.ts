// Share as a link through the real pane (issue #12): a file the item cannot take goes to the
// emulator's OneDrive byte for byte, and its sharing link lands in the compose body — as HTML in an
// HTML body, as text in a plain-text one — while the row ends "Shared as a link · added to the
// message" with the link's address to copy.
import path from "node:path";
import { MiB, RESULTS_DIR, row, usePaneFixture, waitForPhase, writeFile } from "./pane-support";
import {
  SHARE_RESET,
  composeBody,
  driveFile,
  driveSessionsFor,
  openCompose,
  pickGenerated,
  statusOf,
} from "./pane-share-support";

describe("pane shares files as OneDrive links (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture(SHARE_RESET);

  it("a 40 MB file on a 35 MB tenant fails part-way; Share as a link instead puts the shared item's link in the body", async () => {
    fx().emulator.configure({ maxMessageSizeBytes: 35 * MiB });
    const file = await writeFile(fx().dir, "site-walkthrough.mp4", 40 * MiB);
    const { page, pane } = await openCompose(fx());
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "failed", 60_000);
    expect(await statusOf(pane, file.name)).toMatch(/message size limit/);
    expect(await composeBody(page)).toEqual(expect.objectContaining({ links: [] }));

    // The writer's caret after "the files are attached.": the link goes where they were typing.
    await page.locator("#body-html p").nth(1).click();
    await page.keyboard.press("End");
    await page.keyboard.type(" Here is the walkthrough: ");
    await row(pane, file.name).getByTestId("share-instead").click();
    await waitForPhase(pane, file.name, "shared", 60_000);
    await row(pane, file.name)
      .getByText("Shared as a link · added to the message")
      .waitFor({ timeout: 10_000 });

    const stored = driveFile(fx(), file.name);
    expect(stored).toEqual(
      expect.objectContaining({ path: `/Attachments/${file.name}`, sha256: file.sha256 })
    );
    const [link] = stored!.links;
    expect(link).toEqual(expect.objectContaining({ type: "view", scope: "organization" }));
    // The body holds the link to the shared item, the file's name as its text.
    const body = await composeBody(page);
    expect(body.links).toEqual([{ href: link.webUrl, text: file.name }]);
    expect(body.html).toContain("(40.0 MB)");
    // The row shows the same address (no token, no upload URL in it) and can copy it.
    const shown = row(pane, file.name).getByTestId("shared-link");
    expect(await shown.getAttribute("href")).toBe(link.webUrl);
    expect(await shown.textContent()).toBe(link.webUrl);
    expect(link.webUrl).not.toMatch(/tempauth|authtoken|uploadSession/i);
    expect(await row(pane, file.name).getByTestId("share-reason").textContent()).toMatch(
      /refused it as over your organization's message size limit/
    );
    await row(pane, file.name).getByTestId("copy-link").click();
    await row(pane, file.name)
      .locator('[data-testid=copy-result][data-result="copied"]')
      .waitFor({ timeout: 5_000 });
    // Nothing of it stayed on the item, and no session is left open anywhere.
    expect(
      fx()
        .emulator.attachments()
        .filter((a) => a.name === file.name)
    ).toEqual([]);
    expect(fx().emulator.openSessions()).toEqual([]);
    expect(driveSessionsFor(fx(), file.name)).toEqual([]);
    expect(body.html).toMatch(/Here is the walkthrough:(\s|&nbsp;)<a href=/);
    // The compose window and the pane, without the emulator's panels below (docs/images/share-link.png).
    await page.screenshot({
      path: path.join(RESULTS_DIR, "share-link-playground.png"),
      clip: { x: 0, y: 0, width: 1200, height: 620 },
    });
  }, 180_000);

  it("a 200 MB file is offered the link route at pick and ends shared, its bytes intact", async () => {
    const { page, pane } = await openCompose(fx());
    const file = await pickGenerated(page, "survey-raw-data.zip", 200 * 1000 * 1000);
    const notice = pane.locator('[data-testid=notice][data-kind="too-large"]');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/over the 150\u00a0MB limit/);
    // Nothing was sent before the user chose.
    expect(driveSessionsFor(fx(), file.name)).toEqual([]);
    await notice.getByTestId("share-refused").click();
    // The pane renders a task after the store changes (src/taskpane/context.tsx): wait for it.
    await pane
      .locator('[data-testid=notice][data-kind="too-large"]')
      .waitFor({ state: "detached", timeout: 5_000 });
    await waitForPhase(pane, file.name, "shared", 150_000);
    expect(await row(pane, file.name).getByTestId("share-reason").textContent()).toMatch(
      /Over the 150\u00a0MB limit/
    );
    expect(driveFile(fx(), file.name)).toEqual(
      expect.objectContaining({ size: file.size, sha256: file.sha256 })
    );
    const [link] = driveFile(fx(), file.name)!.links;
    await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });
    expect((await composeBody(page)).links).toEqual([{ href: link.webUrl, text: file.name }]);
    expect(await pane.getByTestId("total-text").textContent()).toContain(
      "1 of 1 attached or shared"
    );
  }, 240_000);

  it("a plain-text body gets the link as text", async () => {
    fx().emulator.configure({ maxMessageSizeBytes: 4 * MiB });
    const file = await writeFile(fx().dir, "plain-text-body.pdf", 6 * MiB);
    // The idealised client: Outlook on the web would take 6 MiB through the compose form's own API.
    const { page, pane } = await openCompose(fx(), { body: "text", client: "idealised" });
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "failed", 60_000);
    await row(pane, file.name).getByTestId("share-instead").click();
    await waitForPhase(pane, file.name, "shared", 60_000);
    await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });
    const [link] = driveFile(fx(), file.name)!.links;
    const body = await composeBody(page);
    expect(body.text).toContain(`${file.name} (6.0 MB): ${link.webUrl}\n`);
    expect(body.text).not.toMatch(/<a |href=/);
  }, 120_000);

  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
