// The progress bars of `share` / `attach --share-over-limit`: a shared file's bar ends full, like
// an attached one's, whatever its last progress report said.
import { ProgressView } from "../../../src/cli/progress";
import { USAGE } from "../../../src/cli/args";
import type { QueueState } from "../../../src/upload";

const row = (phase: "linking" | "shared", sent: number): QueueState => ({
  files: [
    {
      id: "file-1",
      name: "video.mp4",
      size: 40_000_000,
      route: "drive",
      phase,
      progress: { bytesSent: sent, bytesAcknowledged: sent, bytesTotal: 40_000_000 },
      resumable: false,
    },
  ],
  total: { bytesSent: sent, bytesAcknowledged: sent, bytesTotal: 40_000_000 },
  active: phase === "shared" ? 0 : 1,
  idle: phase === "shared",
});

test("a shared row ends at 100 % with its phase; while the link is made it says so", () => {
  const writes: string[] = [];
  const stream = {
    columns: 120,
    write: (s: string) => writes.push(s),
  } as unknown as NodeJS.WriteStream;
  const view = new ProgressView(stream);
  view.draw(row("linking", 30_000_000), true);
  expect(writes[0]).toMatch(/ 75% .*linking {2}video\.mp4/);
  view.draw(row("shared", 0), true);
  expect(writes[1]).toMatch(/█{24} 100% .*shared {2}video\.mp4/);
});

test("the usage text names both commands and the share flags", () => {
  expect(USAGE).toMatch(/^ {2}large-attach share FILE\.\.\. /m);
  expect(USAGE).toMatch(/--share-over-limit/);
  for (const flag of ["--folder PATH", "--link-type TYPE", "--link-scope SCOPE"]) {
    expect(USAGE).toContain(flag);
  }
});
