// Silence on the OneDrive route through the real pane (issues #11 and #12): the emulator stops
// answering a drive range PUT (mid-body, or after reading it all), the pane's engine — XHR
// transport, short silence bounds from the playground's runtime config — gives the request up, the
// row says the server went quiet and reconnects, and the file still ends shared byte for byte.
import { DEFAULT_DRIVE_CHUNK_SIZE } from "../../src/upload/options";
import {
  MiB,
  recordRowStatuses,
  row,
  usePaneFixture,
  waitForPhase,
  writeFile,
} from "./pane-support";
import {
  SHARE_RESET,
  composeBody,
  driveFile,
  driveSessionsFor,
  openCompose,
} from "./pane-share-support";

const SILENCE_MS = 2_000;
// Two full drive ranges and a short last one, whatever the range size: each stall takes the first
// range PUT after it is armed, a middle range, so the "answer after commit" case is a 202 lost.
const SIZE = 2 * DEFAULT_DRIVE_CHUNK_SIZE + 3 * MiB;

describe("pane shares a file through stalls (Chromium, playground, emulator)", () => {
  // The pane's own limit is 4 MiB: the file is refused at pick and goes to OneDrive when asked,
  // so no attachment range PUT comes before the drive ones.
  const fx = usePaneFixture(
    { ...SHARE_RESET, faults: { ...SHARE_RESET.faults, stall: null } },
    { messageSizeLimit: 4 * MiB, stallTimeoutMs: SILENCE_MS, answerTimeoutMs: SILENCE_MS }
  );

  const stalls = [
    ["mid-body", { on: "mid-body", afterBytes: 65_536 }],
    ["silent-answer", { on: "answer", commit: false }],
    ["silent-answer-after-the-range-was-stored", { on: "answer", commit: true }],
  ] as const;

  it.each(stalls)(
    "stall %s on a drive range: the row says 'No answer from the server', then the file ends shared intact",
    async (label, stall) => {
      const file = await writeFile(fx().dir, `share-stall-${label}.bin`, SIZE);
      const { page, pane } = await openCompose(fx());
      const recorder = await recordRowStatuses(page);
      await pane.getByTestId("browse-input").setInputFiles(file.path);
      const notice = pane.locator('[data-testid=notice][data-kind="over-limit"]');
      await notice.waitFor({ timeout: 10_000 });
      // Armed now: the next range PUT the emulator sees is the drive session's first.
      fx().emulator.configure({ faults: { stall: { ...stall } } });
      await notice.getByTestId("share-refused").click();
      await waitForPhase(pane, file.name, "shared", 90_000);
      await row(pane, file.name).getByText("added to the message").waitFor({ timeout: 10_000 });

      const statuses = await recorder.statuses();
      // The words are the test: a plain "Connection problem — retrying" would not pass.
      expect(statuses).toContainEqual(
        expect.stringMatching(/^No answer from the server for 2\ss\. Reconnecting/)
      );
      expect(fx().emulator.faultLog()).toEqual([
        expect.objectContaining({ kind: "stall", ...stall }),
      ]);
      const stored = driveFile(fx(), file.name);
      expect(stored).toEqual(
        expect.objectContaining({
          path: `/Attachments/${file.name}`,
          size: SIZE,
          sha256: file.sha256,
        })
      );
      expect((await composeBody(page)).links).toEqual([
        { href: stored!.links[0].webUrl, text: file.name },
      ]);
      // One file, no "name 1" copy from a session started over, no session left open.
      const base = file.name.replace(/\.bin$/, "");
      expect(
        fx()
          .emulator.driveItems()
          .filter((i) => i.name.startsWith(base))
      ).toEqual([expect.objectContaining({ name: file.name })]);
      expect(driveSessionsFor(fx(), file.name)).toEqual([]);
    },
    180_000
  );

  it("made no request outside loopback and raised no page error", () => {
    expect(fx().external).toEqual([]);
    expect(fx().pageErrors).toEqual([]);
  });
});
