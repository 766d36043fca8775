import { ProgressView, formatBytes } from "../../../src/cli/progress";
import type { QueueState } from "../../../src/upload";

const ESC = String.fromCharCode(27);

function fakeStream() {
  const writes: string[] = [];
  return {
    writes,
    stream: { columns: 120, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream,
  };
}

const state = (sent: number, phase: "uploading" | "attached"): QueueState => ({
  files: [
    {
      id: "file-1",
      name: "report.pdf",
      size: 4_000_000,
      phase,
      progress: { bytesSent: sent, bytesAcknowledged: sent, bytesTotal: 4_000_000 },
      resumable: false,
    },
  ],
  total: { bytesSent: sent, bytesAcknowledged: sent, bytesTotal: 4_000_000 },
  active: phase === "uploading" ? 1 : 0,
  idle: phase === "attached",
});

describe("TTY progress view", () => {
  test("one line per file, redrawn in place, 100 % at the end", () => {
    const { writes, stream } = fakeStream();
    const view = new ProgressView(stream);
    view.draw(state(1_000_000, "uploading"), true);
    expect(writes[0]).toMatch(/ 25% .*uploading.*report\.pdf/);
    expect(writes[0]).not.toContain(`${ESC}[1A`); // nothing to move over yet
    view.draw(state(4_000_000, "attached"), true);
    expect(writes[1].startsWith(`${ESC}[1A`)).toBe(true); // back up over the previous line
    expect(writes[1]).toMatch(/100% .*attached.*report\.pdf/);
  });

  test("redraws are throttled unless forced", () => {
    const { writes, stream } = fakeStream();
    const view = new ProgressView(stream);
    view.draw(state(1, "uploading"));
    view.draw(state(2, "uploading"));
    expect(writes).toHaveLength(1);
  });

  test("a line logged mid-upload goes above the bars and is not overwritten by the next redraw", () => {
    const { writes, stream } = fakeStream();
    const other = fakeStream(); // stdout: the same terminal
    const view = new ProgressView(stream);
    view.draw(state(1_000_000, "uploading"), true);
    view.log(other.stream, "✓ small.txt attached\n", state(2_000_000, "uploading"));
    // The bars are erased (up one line, clear to the end of the screen), the line is written, the bars come back.
    expect(writes[1]).toBe(`${ESC}[1A\r${ESC}[J`);
    expect(other.writes).toEqual(["✓ small.txt attached\n"]);
    expect(writes[2]).not.toContain(`${ESC}[1A`); // drawn below the line, not over it
    expect(writes[2]).toMatch(/ 50% .*report\.pdf/);
    view.draw(state(3_000_000, "uploading"), true);
    expect(writes[3].startsWith(`${ESC}[1A`)).toBe(true); // only over the bars
  });

  test("a back-off shows a countdown to the next try", () => {
    const { writes, stream } = fakeStream();
    const now = 1_000_000;
    const view = new ProgressView(stream, now, () => now);
    const retrying: QueueState = {
      ...state(1_000_000, "uploading"),
      files: [
        { ...state(1_000_000, "uploading").files[0], phase: "retrying", retryAt: now + 4_200 },
      ],
    };
    view.draw(retrying, true);
    expect(writes[0]).toMatch(/retrying in 5 s {2}report\.pdf/);
  });

  test("formatBytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KiB");
    expect(formatBytes(157_286_400)).toBe("150.0 MiB");
  });
});
