// The CLI's output — stdout and stderr, with and without --json, on success and on failure — never
// contains the Graph token, an upload URL's authtoken, or an upload URL at all.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "../../../dev/graph-emulator";
import { MiB, patternBytes } from "../hostile/fixture";

const BIN = path.resolve(__dirname, "../../../bin/large-attach.cjs");

let emulator: RunningEmulator;
let dir: string;
let token: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, uploadPort: 0 });
  token = emulator.issueToken();
  dir = await mkdtemp(path.join(tmpdir(), "large-attach-cli-secrets-"));
  await writeFile(path.join(dir, "small.txt"), patternBytes(64 * 1024, 31));
  await writeFile(path.join(dir, "large.bin"), patternBytes(5 * MiB, 32));
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** The upload URL is never printed whole or in part: no authtoken, no upload origin, no session path. */
function expectClean(out: string, secrets: string[]) {
  for (const s of secrets) expect(out).not.toContain(s);
  expect(out).not.toMatch(/authtoken=(?!\[redacted\])/i);
  expect(out).not.toMatch(/Bearer\s+(?!\[redacted\])\S{8,}/);
  expect(out).not.toContain(emulator.uploadOrigin);
  expect(out).not.toMatch(/AttachmentSessions\('/i);
}

const files = () => [path.join(dir, "small.txt"), path.join(dir, "large.bin")];

/** `attach PATHS --message ID --graph-url URL`, then the token and output flags. */
const attachArgs = (paths: string[], itemId: string, ...flags: string[]) => [
  "attach",
  ...paths,
  "--message",
  itemId,
  "--graph-url",
  emulator.graphUrl,
  "--upload-origin",
  emulator.uploadOrigin,
  ...flags,
];

describe.each([["--json"], ["(human output)"]])("%s", (mode) => {
  const json = mode === "--json" ? ["--json"] : [];

  test("success: both files attached, nothing secret printed", async () => {
    const itemId = emulator.createItem({ kind: "message" }).id;
    const { code, out } = await runCli(
      attachArgs(files(), itemId, "--token-env", "LA_TOKEN", ...json),
      { LA_TOKEN: token }
    );
    expect(code).toBe(0);
    expect(emulator.attachments().filter((a) => a.itemId === itemId)).toHaveLength(2);
    expectClean(out, [token]);
  });

  test("failure part-way (message size exceeded after a session exists): nothing secret printed", async () => {
    const itemId = emulator.createItem({ kind: "message" }).id;
    emulator.configure({ maxMessageSizeBytes: 4 * MiB });
    try {
      const { code, out } = await runCli(
        attachArgs([path.join(dir, "large.bin")], itemId, "--token-env", "LA_TOKEN", ...json),
        { LA_TOKEN: token }
      );
      expect(code).toBe(1);
      expect(out).toMatch(/MessageSizeExceeded/);
      expectClean(out, [token]);
    } finally {
      emulator.configure({ maxMessageSizeBytes: 157_286_400 });
    }
  });

  test("a rejected token: exit 1, the token is not echoed", async () => {
    const bogus = "emu.bogus-token-abcdefghijklmnop";
    const itemId = emulator.createItem({ kind: "message" }).id;
    const { code, out } = await runCli(attachArgs(files(), itemId, "--token", bogus, ...json), {});
    expect(code).toBe(1);
    expect(out).toMatch(/401/);
    expectClean(out, [bogus, token]);
  });
});
