// One progress line per file on stderr, redrawn in place (only when stderr is a terminal).
import type { QueueState } from "../upload";

const BAR = 24;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export class ProgressView {
  private lines = 0;
  private lastDraw = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly startedAt = Date.now(),
    private readonly now: () => number = Date.now
  ) {}

  /** Redraws at most ~10 times a second unless `force`. */
  draw(state: QueueState, force = false) {
    const now = this.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = this.stream.columns || 100;
    const seconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const out = state.files.map((f) => {
      const total = Math.max(1, f.progress.bytesTotal);
      const ratio =
        f.phase === "attached" || f.phase === "shared"
          ? 1
          : Math.min(1, f.progress.bytesSent / total);
      const filled = Math.round(ratio * BAR);
      const bar = "█".repeat(filled) + "░".repeat(BAR - filled);
      const pct = `${Math.floor(ratio * 100)}`.padStart(3);
      let status: string = f.phase;
      if (f.phase === "uploading") {
        status += ` ${formatBytes(Math.round(f.progress.bytesSent / seconds))}/s`;
      } else if ((f.phase === "retrying" || f.phase === "waiting-for-item") && f.retryAt) {
        // A countdown, so a long back-off does not look like a hang.
        status += ` in ${Math.max(0, Math.ceil((f.retryAt - now) / 1000))} s`;
      }
      const line = `${bar} ${pct}% ${formatBytes(f.size).padStart(10)} ${status}  ${f.name}`;
      return line.length > width - 1 ? line.slice(0, width - 1) : line;
    });
    let text = this.lines > 0 ? `\x1b[${this.lines}A` : "";
    text += out.map((l) => `\r\x1b[2K${l}\n`).join("");
    this.lines = out.length;
    this.stream.write(text);
  }

  /**
   * Writes whole lines above the bars (a result, an error): the bars are erased first and drawn
   * again below, so a line printed mid-upload is not overwritten by the next redraw. `target` is
   * stdout or stderr — both are the same terminal when this view is in use.
   */
  log(target: NodeJS.WritableStream, text: string, state: QueueState) {
    if (this.lines > 0) this.stream.write(`\x1b[${this.lines}A\r\x1b[J`);
    this.lines = 0;
    target.write(text);
    this.draw(state, true);
  }
}
