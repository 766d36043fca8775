import type { QueueFileState } from "../../../src/upload/queue";
import type { UploadPhase } from "../../../src/upload/types";
import { createProgressTracker } from "../../../src/taskpane/store/progress";

const CHUNK = 1000;
const SIZE = 10_000;

function setup() {
  let clock = 0;
  const tracker = createProgressTracker({ chunkSize: CHUNK, now: () => clock });
  let file: QueueFileState = {
    id: "f",
    name: "a.bin",
    size: SIZE,
    route: "session",
    phase: "queued",
    progress: { bytesSent: 0, bytesAcknowledged: 0, bytesTotal: SIZE },
    resumable: false,
  };
  const update = (patch: { phase?: UploadPhase; sent?: number; acked?: number; at?: number }) => {
    if (patch.at !== undefined) clock = patch.at;
    file = {
      ...file,
      phase: patch.phase ?? file.phase,
      progress: {
        bytesSent: patch.sent ?? file.progress.bytesSent,
        bytesAcknowledged: patch.acked ?? file.progress.bytesAcknowledged,
        bytesTotal: SIZE,
      },
    };
    tracker.observe(file);
    return tracker.view(file);
  };
  return { tracker, update, file: () => file, at: (t: number) => (clock = t) };
}

describe("progress a row shows", () => {
  it("moves within a range by bytes sent, and falls back to the acknowledged bytes when the range is refused", () => {
    const { update } = setup();
    update({ phase: "uploading", at: 0 });
    expect(update({ sent: 600 }).bytes).toBe(600);
    expect(update({ sent: 1000, acked: 1000, at: 500 }).bytes).toBe(1000);
    expect(update({ sent: 1800 }).bytes).toBe(1800);
    // 503: the range is refused; the engine's bytesSent keeps its high-water mark.
    expect(update({ phase: "retrying" }).bytes).toBe(1000);
    // The resend: not shown until it passes what was sent before (those bytes were refused once).
    expect(update({ phase: "uploading", sent: 1800 }).bytes).toBe(1000);
    expect(update({ sent: 1900 }).bytes).toBe(1900);
    expect(update({ sent: 2000, acked: 2000, at: 1500 }).bytes).toBe(2000);
  });

  it("shows only what the server holds while paused, and never more than one range ahead of it", () => {
    const { update } = setup();
    update({ phase: "uploading", at: 0 });
    update({ sent: 1000, acked: 1000 });
    expect(update({ sent: 1700 }).bytes).toBe(1700);
    const paused = update({ phase: "paused" });
    expect(paused.bytes).toBe(1000);
    expect(paused.percent).toBe(10);
    // A bogus sent count beyond one range is clamped.
    update({ phase: "uploading" });
    expect(update({ sent: 5000 }).bytes).toBe(2000);
  });

  it("hides bytes the server did not keep (an acknowledgement short of the range)", () => {
    const { update } = setup();
    update({ phase: "uploading", at: 0 });
    update({ sent: 1000, acked: 600 });
    expect(update({ sent: 1000 }).bytes).toBe(600);
    expect(update({ sent: 1200 }).bytes).toBe(1200);
  });

  it("reaches 100 % only when attached", () => {
    const { update } = setup();
    update({ phase: "uploading", at: 0 });
    update({ sent: 9000, acked: 9000 });
    // The last range is all sent, not yet answered: 99 %, bar and number alike.
    expect(update({ sent: SIZE }).percent).toBe(99);
    expect(update({ phase: "attached", acked: SIZE }).percent).toBe(100);
  });

  it("starts a resumed file at its offset, not 0", () => {
    const { tracker, file } = setup();
    tracker.seed("f", 6000);
    expect(tracker.view(file()).percent).toBe(60);
  });
});

describe("speed and time left", () => {
  it("are measured from bytes acknowledged in this run, and the time left runs down between acknowledgements", () => {
    const { update, tracker, file } = setup();
    tracker.seed("f", 4000);
    update({ phase: "uploading", at: 10_000 });
    // The engine's first report carries the resumed offset: that is not speed.
    expect(update({ sent: 4500, acked: 4000, at: 10_100 }).bytesPerSecond).toBeUndefined();
    const first = update({ sent: 5000, acked: 5000, at: 10_500 }); // 1000 B in 0.5 s
    expect(first.bytesPerSecond).toBeCloseTo(2000);
    expect(first.finishAt).toBeCloseTo(10_500 + 2500);
    expect(tracker.view(file()).finishAt).toBeCloseTo(13_000);
  });

  it("ignores an offset taken over when the resume was not seeded", () => {
    const { update } = setup();
    update({ phase: "uploading", at: 0 });
    update({ sent: 6000, acked: 6000, at: 10 }); // a resumed session's offset, six ranges at once
    const view = update({ sent: 7000, acked: 7000, at: 510 });
    expect(view.bytesPerSecond).toBeCloseTo(2000);
  });

  it("start over after a retry: the pause before it is not averaged in", () => {
    const { update } = setup();
    update({ phase: "uploading", at: 0 });
    update({ sent: 1000, acked: 1000, at: 1000 });
    update({ phase: "retrying", at: 1000 });
    update({ phase: "uploading", at: 5000 });
    expect(update({ at: 5000 }).bytesPerSecond).toBeUndefined();
    expect(update({ sent: 2000, acked: 2000, at: 5250 }).bytesPerSecond).toBeCloseTo(4000);
  });
});

describe("a drive row (OneDrive's ranges grow to 60 MiB)", () => {
  it("moves within a range larger than the attachment range size, and keeps its speed across ranges", () => {
    const { update, file } = setup();
    Object.assign(file(), { route: "drive" });
    update({ phase: "uploading", at: 0 });
    // The first drive range is ten times the attachment range here: the row follows bytes sent.
    expect(update({ sent: 8 * CHUNK, at: 800 }).bytes).toBe(8 * CHUNK);
    const view = update({ sent: 9 * CHUNK, acked: 9 * CHUNK, at: 900 });
    expect(view.bytes).toBe(9 * CHUNK);
    expect(view.bytesPerSecond).toBeGreaterThan(0);
  });
});
