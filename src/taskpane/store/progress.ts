// What a row may truthfully show of its upload, and how fast it goes. The engine reports two counts:
// bytes the server acknowledged, and bytes handed to the network (a high-water mark that never
// rewinds, so it still holds a range the server refused, or one cut off by a pause). The row shows
// the acknowledged bytes plus what has been sent of the range in flight — and falls back to the
// acknowledged bytes (the bar's width transition makes that smooth) the moment that range is
// refused, dropped or paused. Speed and time left come from bytes acknowledged since this run of
// the upload began (a resume, a retry, a pause start new runs), never from an offset taken over.
import { DRIVE_RANGE_MAX } from "../../upload/options";
import type { QueueFileState } from "../../upload/queue";
import type { UploadPhase } from "../../upload/types";

export interface FileProgressView {
  /** Bytes the row shows: never above acknowledged + the range in flight, never below acknowledged. */
  bytes: number;
  /** Whole percent of `bytes`; 100 only once the file is attached. The bar shows the same number. */
  percent: number;
  /** Bytes per second acknowledged in this run; undefined until the run has a measurement. */
  bytesPerSecond?: number;
  /** When the upload should finish at that speed (ms since epoch): the row counts down to it. */
  finishAt?: number;
}

/** Speed is measured over acknowledgements of the last `WINDOW_MS` (and the one before them). */
const WINDOW_MS = 10_000;

interface Point {
  bytes: number;
  at: number;
}

interface Track {
  /** The most the server has acknowledged (or, for a resumed file, the offset it had stored). */
  confirmed: number;
  /** bytesSent up to here is not shown: those bytes went out in a range the server did not take. */
  untrustedUpTo: number;
  phase?: UploadPhase;
  /** Acknowledgements of this run: the run's start first. */
  run?: Point[];
  shown: number;
}

export interface ProgressTracker {
  /** The offset a resumed file starts from (the server holds it): no 0 % before the engine says so. */
  seed(id: string, offset: number): void;
  /** Every engine update of a file, as it happens (not throttled: each acknowledgement counts). */
  observe(file: QueueFileState): void;
  view(file: QueueFileState): FileProgressView;
  forget(id: string): void;
}

export function createProgressTracker(options: {
  chunkSize: number;
  now: () => number;
}): ProgressTracker {
  const tracks = new Map<string, Track>();
  // The largest range a row's route sends: OneDrive's adaptive ranges grow up to DRIVE_RANGE_MAX.
  const rangeBound = (file: QueueFileState) =>
    file.route === "drive" ? Math.max(options.chunkSize, DRIVE_RANGE_MAX) : options.chunkSize;
  const trackOf = (id: string) => {
    let track = tracks.get(id);
    if (!track) tracks.set(id, (track = { confirmed: 0, untrustedUpTo: 0, shown: 0 }));
    return track;
  };

  function observe(file: QueueFileState) {
    const track = trackOf(file.id);
    const { bytesSent, bytesAcknowledged } = file.progress;
    const at = options.now();
    const wasUploading = track.phase === "uploading";
    if (file.phase === "uploading" && !wasUploading) track.run = [{ bytes: track.confirmed, at }];
    if (bytesAcknowledged > track.confirmed) {
      const step = bytesAcknowledged - track.confirmed;
      track.confirmed = bytesAcknowledged;
      // Sent beyond what was acknowledged: the server kept less than the range (the rest is resent).
      if (bytesSent > bytesAcknowledged)
        track.untrustedUpTo = Math.max(track.untrustedUpTo, bytesSent);
      // One acknowledgement covers one range at most; a bigger step is an offset taken over (a
      // resumed session's), which says nothing about this run's speed.
      if (track.run && step > rangeBound(file)) track.run = [{ bytes: bytesAcknowledged, at }];
      else track.run?.push({ bytes: bytesAcknowledged, at });
      trimWindow(track.run);
    }
    if (wasUploading && file.phase !== "uploading") {
      // Refused, dropped or paused: what was sent of the range in flight no longer counts.
      track.untrustedUpTo = Math.max(track.untrustedUpTo, bytesSent);
      track.run = undefined;
      track.shown = track.confirmed;
    }
    track.phase = file.phase;
  }

  function view(file: QueueFileState): FileProgressView {
    const total = file.size;
    if (file.phase === "attached" || file.phase === "shared") return { bytes: total, percent: 100 };
    const track = trackOf(file.id);
    let bytes = track.confirmed;
    if (file.phase === "uploading") {
      const sent = file.progress.bytesSent;
      const inFlight = sent > track.untrustedUpTo ? sent : track.confirmed;
      bytes = clamp(inFlight, track.confirmed, Math.min(total, track.confirmed + rangeBound(file)));
      bytes = Math.max(bytes, track.shown);
      track.shown = bytes;
    }
    const percent = total > 0 ? Math.min(99, Math.floor((bytes / total) * 100)) : 0;
    return { bytes, percent, ...speedOf(track, total) };
  }

  return {
    seed(id, offset) {
      const track = trackOf(id);
      track.confirmed = Math.max(track.confirmed, offset);
      track.untrustedUpTo = Math.max(track.untrustedUpTo, offset);
      track.shown = track.confirmed;
    },
    observe,
    view,
    forget: (id) => void tracks.delete(id),
  };
}

function speedOf(
  track: Track,
  total: number
): Pick<FileProgressView, "bytesPerSecond" | "finishAt"> {
  const run = track.run;
  if (track.phase !== "uploading" || !run || run.length < 2) return {};
  const first = run[0];
  const last = run[run.length - 1];
  if (last.at <= first.at || last.bytes <= first.bytes) return {};
  const bytesPerSecond = ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  // Counted from the last acknowledgement, so the time left runs down between two of them.
  const finishAt = last.at + ((total - last.bytes) * 1000) / bytesPerSecond;
  return { bytesPerSecond, finishAt };
}

/** Keeps the acknowledgements of the last WINDOW_MS and the one just before them. */
function trimWindow(run: Point[] | undefined) {
  if (!run) return;
  const last = run[run.length - 1];
  while (run.length > 2 && last.at - run[1].at >= WINDOW_MS) run.shift();
}

function clamp(value: number, min: number, max: number) {
  return Math.min(Math.max(value, min), max);
}
