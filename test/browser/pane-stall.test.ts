// Silence through the real pane (issue #11): the emulator stops answering a range PUT (mid-body, or
// after reading it all), the pane's engine — XHR transport, short silence bounds from the
// playground's runtime config — gives the request up, the row says the server went quiet and counts
// down to reconnecting, and the file still attaches byte for byte.
import {
  MiB,
  NO_FAULTS,
  openPlayground,
  recordRowStatuses,
  storedAttachment,
  usePaneFixture,
  waitForPhase,
  writeFile,
} from "./pane-support";

const SILENCE_MS = 2_000;

describe("pane under stalls (Chromium, playground, emulator)", () => {
  const fx = usePaneFixture(
    { faults: { ...NO_FAULTS.faults, stall: null } },
    { stallTimeoutMs: SILENCE_MS, answerTimeoutMs: SILENCE_MS }
  );

  // No putNumber: the emulator counts range PUTs over its whole life, and this fixture serves all
  // three tests; each stall takes the first range PUT after it is armed.
  const stalls = [
    ["mid-body", { on: "mid-body", afterBytes: 65_536 }],
    ["answer", { on: "answer", commit: false }],
    ["answer after the range was stored", { on: "answer", commit: true }],
  ] as const;

  it.each(stalls)(
    "a %s stall shows 'No answer from the server' on the row, then the file attaches intact",
    async (label, stall) => {
      fx().emulator.configure({ faults: { stall: { ...stall } } });
      const file = await writeFile(fx().dir, `stall-${label.replace(/\W+/g, "-")}.bin`, 10 * MiB);
      const { page, pane } = await openPlayground(fx());
      const recorder = await recordRowStatuses(page);
      await pane.getByTestId("browse-input").setInputFiles(file.path);
      await waitForPhase(pane, file.name, "attached", 90_000);
      const statuses = await recorder.statuses();
      // The words are the test: a plain "Connection problem — retrying" would not pass.
      expect(statuses).toContainEqual(
        expect.stringMatching(/^No answer from the server for 2\ss\. Reconnecting/)
      );
      expect(storedAttachment(fx(), file.name)).toEqual([
        expect.objectContaining({ sha256: file.sha256 }),
      ]);
    },
    180_000
  );
});
