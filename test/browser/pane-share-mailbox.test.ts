// A shared mailbox through the real pane (issue #12): the item is in team@contoso.test, opened by
// adele as a delegate (the playground's ?shared=). Graph refuses upload sessions there with delegated
// permissions (a known issue; the emulator's sharedMailbox403 switch, on by default), so a file of
// 3 MB or more cannot be attached — the row says why and offers Share as a link instead, which puts
// the file in adele's own OneDrive and its link in the body.
import { MiB, row, usePaneFixture, waitForPhase, writeFile } from "./pane-support";
import {
  SHARE_RESET,
  composeBody,
  driveFile,
  driveSessionsFor,
  openCompose,
  statusOf,
} from "./pane-share-support";

const SHARED = "team@contoso.test";

describe("pane in a shared mailbox shares what Graph will not attach (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture(SHARE_RESET);

  it("a 6 MB file refused by the shared mailbox (403) is shared as a link instead, from the user's own OneDrive", async () => {
    const file = await writeFile(fx().dir, "team-budget.xlsx", 6 * MiB);
    const { page, pane } = await openCompose(fx(), { shared: SHARED, client: "idealised" });
    expect(await pane.getByText(`Shared mailbox: ${SHARED}`).count()).toBe(1);
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    await waitForPhase(pane, file.name, "failed", 60_000);
    expect(await statusOf(pane, file.name)).toMatch(/shared mailbox/i);
    // The draft is the shared mailbox's, and nothing of the file reached it.
    const owner = fx()
      .emulator.mailboxes()
      .find((m) => m.address === SHARED);
    expect(owner?.delegates).toEqual(["adele@contoso.test"]);
    expect(fx().emulator.openSessions()).toEqual([]);

    await row(pane, file.name).getByTestId("share-instead").click();
    await waitForPhase(pane, file.name, "shared", 60_000);
    await row(pane, file.name)
      .getByText("Shared as a link · added to the message")
      .waitFor({ timeout: 10_000 });
    expect(await row(pane, file.name).getByTestId("share-reason").textContent()).toMatch(
      /shared mailbox refuses large attachments/
    );
    // The signed-in user's own OneDrive (Files.ReadWrite reaches no other), byte for byte.
    const stored = driveFile(fx(), file.name);
    expect(stored).toEqual(
      expect.objectContaining({
        owner: "adele@contoso.test",
        path: `/Attachments/${file.name}`,
        sha256: file.sha256,
      })
    );
    const [link] = stored!.links;
    expect(link).toEqual(expect.objectContaining({ type: "view", scope: "organization" }));
    expect((await composeBody(page)).links).toEqual([{ href: link.webUrl, text: file.name }]);
    expect(
      fx()
        .emulator.attachments()
        .filter((a) => a.name === file.name)
    ).toEqual([]);
    expect(driveSessionsFor(fx(), file.name)).toEqual([]);
  }, 120_000);

  it("Outlook on the web: a file the form cannot take is refused at pick; with 'Always share' it goes to OneDrive without the question", async () => {
    // 24 MiB: over the form's ~20.9 MB, and 3 MB or more, so neither the form nor Graph takes it here.
    const file = await writeFile(fx().dir, "team-video.mp4", 24 * MiB);
    const { page, pane } = await openCompose(fx(), { shared: SHARED });
    await pane
      .getByTestId("share-setting")
      .getByText("Always share them as a OneDrive link")
      .click();
    await pane.getByTestId("browse-input").setInputFiles(file.path);
    // No click: the setting answered the question.
    await waitForPhase(pane, file.name, "shared", 60_000);
    await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });
    expect(await row(pane, file.name).getByTestId("share-reason").textContent()).toMatch(
      /shared mailbox refuses large attachments/
    );
    const stored = driveFile(fx(), file.name);
    expect(stored).toEqual(
      expect.objectContaining({ owner: "adele@contoso.test", sha256: file.sha256 })
    );
    expect((await composeBody(page)).links).toEqual([
      { href: stored!.links[0].webUrl, text: file.name },
    ]);
    expect(await pane.getByTestId("announcer").textContent()).toBe(
      `${file.name} shared as a link and added to the message.`
    );
  }, 120_000);

  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
