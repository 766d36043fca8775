// The real built pane in the playground: files picked by path reach the emulator byte for byte, and
// both the compose window's attachment well and the pane show them.
import {
  openPlayground,
  row,
  usePaneFixture,
  storedAttachment,
  waitForPhase,
  writeFile,
  MiB,
} from "./pane-support";

describe("pane attaches files to the draft (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture();

  async function attachAndCheck(names: [string, number][], kind: "message" | "event") {
    const files = await Promise.all(names.map(([name, size]) => writeFile(fx().dir, name, size)));
    const { page, pane } = await openPlayground(fx(), kind);
    expect(await pane.getByTestId("target-kind").textContent()).toBe(
      kind === "event" ? "Meeting" : "Message"
    );
    await pane.getByTestId("browse-input").setInputFiles(files.map((f) => f.path));
    expect(await pane.getByTestId("notice").count()).toBe(0);
    for (const file of files) await waitForPhase(pane, file.name, "attached", 110_000);
    for (const file of files) {
      const stored = storedAttachment(fx(), file.name);
      expect(stored).toEqual([expect.objectContaining({ itemKind: kind, sha256: file.sha256 })]);
      await page.locator(`#well li[data-name="${file.name}"]`).waitFor({ timeout: 10_000 });
      expect(await row(pane, file.name).getByTestId("file-status").textContent()).toBe(
        "Attached to the draft on the server"
      );
      // After attach the pane asked the compose form (getAttachmentsAsync) and found the file.
      await row(pane, file.name)
        .locator('[data-verification="visible"]')
        .waitFor({ timeout: 10_000 });
    }
    expect(fx().emulator.openSessions()).toEqual([]);
    return { page, pane };
  }

  it("attaches 1 MiB and 10 MiB to a message: well, pane and SHA-256 agree", async () => {
    const { page, pane } = await attachAndCheck(
      [
        ["one-mib.bin", 1 * MiB],
        ["ten-mib.pdf", 10 * MiB],
      ],
      "message"
    );
    expect(await row(pane, "one-mib.bin").getAttribute("data-route")).toBe("post");
    expect(await row(pane, "ten-mib.pdf").getAttribute("data-route")).toBe("session");
    expect(await pane.getByTestId("total-text").textContent()).toContain("2 of 2 attached");
    await page.close();
  }, 120_000);

  // 150 MiB is the whole tenant maximum, so it goes to a draft of its own.
  it("attaches 150 MiB to a message", async () => {
    const { page } = await attachAndCheck([["max-150-mib.zip", 150 * MiB]], "message");
    await page.close();
  }, 120_000);

  it("attaches 20 MiB to a meeting", async () => {
    const { page } = await attachAndCheck([["agenda-deck.pptx", 20 * MiB]], "event");
    await page.close();
  }, 120_000);
  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
