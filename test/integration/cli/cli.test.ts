// `large-attach` end to end: the real bin script in a child process against the emulator.
import { truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bootEmulator, createItem, diskFile, tempDir, type Emulator } from "../upload/helpers";
import { runBin } from "./run-cli";

let emu: Emulator;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  emu = await bootEmulator();
  tmp = await tempDir();
});
afterAll(async () => {
  await emu?.close();
  await tmp?.cleanup();
});

const run = runBin;

test("--json: one line per file, exit 0, stored bytes equal, the token never printed", async () => {
  const itemId = await createItem(emu);
  const small = await diskFile(tmp.dir, "small.txt", 1234);
  const big = await diskFile(tmp.dir, "big.bin", 3 * 1024 * 1024 + 77);
  const token = emu.issueToken();
  const { code, stdout, stderr } = await run(
    [
      "attach",
      small.path,
      big.path,
      "--message",
      itemId,
      "--graph-url",
      emu.graphUrl,
      "--upload-origin",
      emu.uploadOrigin,
      "--token-env",
      "LA_TOKEN",
      "--json",
    ],
    { LA_TOKEN: token }
  );
  expect(code).toBe(0);
  const lines = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(2);
  const byFile = Object.fromEntries(lines.map((l) => [l.file, l]));
  expect(byFile[small.path]).toEqual({
    file: small.path,
    bytes: 1234,
    route: "post",
    attachmentId: expect.any(String),
    ms: expect.any(Number),
  });
  expect(byFile[big.path]).toMatchObject({ bytes: 3 * 1024 * 1024 + 77, route: "session" });
  const stored = emu.attachments();
  expect(stored.find((a) => a.id === byFile[small.path].attachmentId)?.sha256).toBe(small.sha256);
  expect(stored.find((a) => a.id === byFile[big.path].attachmentId)?.sha256).toBe(big.sha256);
  expect(stdout + stderr).not.toContain(token);
});

test("a failing file → its error line and exit 1; --token on the command line is not echoed", async () => {
  const itemId = await createItem(emu);
  const ok = await diskFile(tmp.dir, "ok.bin", 10);
  const huge = join(tmp.dir, "huge.bin");
  await writeFile(huge, "");
  await truncate(huge, 157_286_401); // sparse: no disk space used
  const token = emu.issueToken();
  const { code, stdout, stderr } = await run([
    "attach",
    ok.path,
    huge,
    join(tmp.dir, "missing.bin"),
    "--message",
    itemId,
    "--graph-url",
    emu.graphUrl,
    "--upload-origin",
    emu.uploadOrigin,
    "--token",
    token,
    "--json",
  ]);
  expect(code).toBe(1);
  const lines = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines.find((l) => l.file === ok.path)).toMatchObject({ route: "post", bytes: 10 });
  expect(lines.find((l) => l.file === huge)).toMatchObject({
    error: { name: "RestrictionError", message: expect.stringMatching(/150 MB/) },
  });
  expect(lines.find((l) => l.file.endsWith("missing.bin"))).toMatchObject({
    error: { name: "FileError" },
  });
  expect(stdout + stderr).not.toContain(token);
});

test("a Graph error carries status and code in the JSON line", async () => {
  const ok = await diskFile(tmp.dir, "orphan.bin", 10);
  const token = emu.issueToken();
  const { code, stdout } = await run(
    [
      "attach",
      ok.path,
      "--message",
      "NoSuchItem",
      "--graph-url",
      emu.graphUrl,
      "--upload-origin",
      emu.uploadOrigin,
      "--token-env",
      "T",
      "--json",
    ],
    { T: token }
  );
  expect(code).toBe(1);
  expect(JSON.parse(stdout.trim())).toMatchObject({
    file: ok.path,
    error: { status: 404, code: "ErrorItemNotFound" },
  });
});

test.each([
  [["attach"]],
  [["attach", "x.bin", "--token", "SECRET-CLI-TOKEN"]],
  [["attach", "x.bin", "--message", "M", "--token", "SECRET-CLI-TOKEN", "--chunk-size", "9999999"]],
])("bad usage %j → exit 2 with usage on stderr, nothing on stdout", async (args) => {
  const { code, stdout, stderr } = await run(args);
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr).toMatch(/Usage:/);
  expect(stderr).not.toContain("SECRET-CLI-TOKEN");
});

test("--help prints usage and exits 0", async () => {
  const { code, stdout } = await run(["--help"]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/large-attach attach FILE\.\.\. \(--message ID \| --event ID\)/);
});

test("human output: a ✓ line per attached file on stdout, plain ✗ sentences for bad FILEs, a summary, exit 1", async () => {
  const itemId = await createItem(emu);
  const ok = await diskFile(tmp.dir, "human.bin", 3 * 1024 * 1024 + 5);
  const token = emu.issueToken();
  const { code, stdout, stderr } = await run(
    [
      "attach",
      ok.path,
      join(tmp.dir, "missing.bin"),
      tmp.dir, // a directory
      "--message",
      itemId,
      "--graph-url",
      emu.graphUrl,
      "--upload-origin",
      emu.uploadOrigin,
      "--token-env",
      "LA_TOKEN",
    ],
    { LA_TOKEN: token }
  );
  expect(code).toBe(1);
  expect(stdout).toMatch(
    new RegExp(`^✓ ${ok.path} \\(3\\.0 MiB, session, \\d+ ms\\) attachment \\S+\\n$`)
  );
  expect(stderr).toContain(`✗ ${join(tmp.dir, "missing.bin")}: FileError: No such file.\n`);
  expect(stderr).toContain(`✗ ${tmp.dir}: FileError: This is a directory, not a file.\n`);
  expect(stderr).toMatch(/1 of 3 files attached\.\n$/);
  expect(stderr).not.toContain("ENOENT"); // Node's wording stays out of the user's way
  const id = /attachment (\S+)\n/.exec(stdout)![1];
  expect(emu.attachments().find((a) => a.id === id)?.sha256).toBe(ok.sha256);
});

test("the same FILE given twice is attached twice and counted twice (exit 0)", async () => {
  const itemId = await createItem(emu);
  const ok = await diskFile(tmp.dir, "twice.bin", 2000);
  const { code, stdout } = await run(
    [
      "attach",
      ok.path,
      ok.path,
      "--message",
      itemId,
      "--graph-url",
      emu.graphUrl,
      "--upload-origin",
      emu.uploadOrigin,
      "--token-env",
      "T",
      "--json",
    ],
    { T: emu.issueToken() }
  );
  expect(code).toBe(0);
  const ids = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).attachmentId);
  expect(ids).toHaveLength(2);
  expect(new Set(ids).size).toBe(2);
});

test("a back-off is not silence: without a terminal, each retry is announced on stderr", async () => {
  const itemId = await createItem(emu);
  const big = await diskFile(tmp.dir, "retried.bin", 3 * 1024 * 1024 + 9);
  emu.configure({
    faults: {
      // 2 s: longer than any jittered first back-off (≤ 1 s), so the line shows Retry-After was read.
      script: [{ status: 503, count: 1, retryAfterSeconds: 2, target: "upload", methods: ["PUT"] }],
    },
  });
  const token = emu.issueToken();
  const { code, stdout, stderr } = await run(
    [
      "attach",
      big.path,
      "--message",
      itemId,
      "--graph-url",
      emu.graphUrl,
      "--upload-origin",
      emu.uploadOrigin,
      "--token",
      token,
    ],
    {}
  );
  expect(code).toBe(0);
  expect(stderr).toMatch(
    new RegExp(
      `… ${big.path}: HttpError: Uploading a range failed with HTTP 503.* Trying again in (2\\.0|1\\.9) s\\.`
    )
  );
  expect(stdout).toMatch(/^✓ /);
  expect(stdout + stderr).not.toContain(token);
  expect(stdout + stderr).not.toContain(emu.uploadOrigin);
});

/** The screen a terminal would show after `writes`: only what the progress view emits (ESC[nA, ESC[J, ESC[2K, \r, \n). */
function screenAfter(writes: string[]): string[] {
  const ESC = String.fromCharCode(27);
  const screen: string[] = [];
  let row = 0;
  for (const token of writes
    .join("")
    .split(new RegExp(`(${ESC}\\[\\d*A|${ESC}\\[J|${ESC}\\[2K|\r|\n)`))) {
    const up = new RegExp(`^${ESC}\\[(\\d*)A$`).exec(token);
    if (up) row -= Number(up[1] || 1);
    else if (token === `${ESC}[J`) screen.length = row;
    else if (token === `${ESC}[2K`) screen[row] = "";
    else if (token === "\n") row++;
    else if (token && token !== "\r") screen[row] = (screen[row] ?? "") + token;
  }
  return screen;
}

test("on a terminal, result lines stay above the bars; the bars end at 100 %", async () => {
  const { runCli } = await import("../../../src/cli/run");
  const itemId = await createItem(emu);
  const small = await diskFile(tmp.dir, "tty-small.txt", 500);
  const big = await diskFile(tmp.dir, "tty-big.bin", 5 * 1024 * 1024);
  const terminal: string[] = []; // stdout and stderr are the same terminal
  const stream = (isTTY: boolean) =>
    ({
      isTTY,
      columns: 200,
      write: (s: string) => terminal.push(s),
    }) as unknown as NodeJS.WriteStream;
  const code = await runCli(
    [
      "attach",
      small.path,
      big.path,
      join(tmp.dir, "absent.bin"),
      "--message",
      itemId,
      "--graph-url",
      emu.graphUrl,
      "--upload-origin",
      emu.uploadOrigin,
      "--token-env",
      "T",
      "--chunk-size",
      String(1024 * 1024),
    ],
    { stdout: stream(true), stderr: stream(true), env: { T: emu.issueToken() } }
  );
  expect(code).toBe(1);
  const screen = screenAfter(terminal);
  expect(screen).toHaveLength(6);
  expect(screen[0]).toBe(`✗ ${join(tmp.dir, "absent.bin")}: FileError: No such file.`);
  // The two results in the order they finished, then the two bars, then the summary.
  expect(screen.slice(1, 3).sort()).toEqual([
    expect.stringMatching(new RegExp(`^✓ ${big.path} \\(5\\.0 MiB, session,`)),
    expect.stringMatching(new RegExp(`^✓ ${small.path} \\(500 B, post,`)),
  ]);
  expect(screen[3]).toMatch(/^█{24} 100% .* attached {2}tty-small\.txt$/);
  expect(screen[4]).toMatch(/^█{24} 100% .* attached {2}tty-big\.bin$/);
  expect(screen[5]).toBe("2 of 3 files attached.");
});

test("Ctrl+C (SIGINT) mid-upload cancels: the session is deleted, nothing attached, exit 1", async () => {
  const itemId = await createItem(emu);
  const big = await diskFile(tmp.dir, "interrupted.bin", 12 * 1024 * 1024);
  emu.configure({ faults: { bandwidthBytesPerSec: 2 * 1024 * 1024 } }); // ~6 s: time to interrupt
  try {
    const { code, stdout, stderr } = await run(
      [
        "attach",
        big.path,
        "--message",
        itemId,
        "--graph-url",
        emu.graphUrl,
        "--upload-origin",
        emu.uploadOrigin,
        "--token-env",
        "T",
        "--json",
      ],
      { T: emu.issueToken() },
      (child) => {
        // Interrupt once the session has received bytes (polling the emulator, not a clock).
        const poll = setInterval(() => {
          if (emu.openSessions().some((s) => s.itemId === itemId && s.received > 0)) {
            clearInterval(poll);
            child.kill("SIGINT");
          }
        }, 20);
        child.on("exit", () => clearInterval(poll));
      }
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout.trim())).toEqual({
      file: big.path,
      error: { name: "AbortError", message: "Cancelled." },
    });
    expect(stderr).toMatch(/Cancelling \(deleting upload sessions\)/);
    expect(emu.openSessions().filter((s) => s.itemId === itemId)).toEqual([]);
    expect(emu.attachments().filter((a) => a.itemId === itemId)).toEqual([]);
  } finally {
    emu.configure({ faults: { bandwidthBytesPerSec: 0 } });
  }
});
