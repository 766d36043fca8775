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

  test("formatBytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KiB");
    expect(formatBytes(157_286_400)).toBe("150.0 MiB");
  });
});
