// `large-attach` on a silent network: the real bin in a child process, the emulator's stall
// faults, a small --stall-timeout. It says what happens, carries on and attaches the right bytes;
// a stall on every attempt ends in a clear error and exit 1. The test's timeout is the only bound.
// --retry-delays (the CLI's testing flag: the engine's retryDelays, six retries as by default, each
// under 50 ms) keeps real backoff out of the suite's time.
import type { StallFault } from "../../../dev/graph-emulator/config";
import {
  bootEmulator,
  createItem,
  diskFile,
  sha256OfValue,
  targetFor,
  tempDir,
  type Emulator,
} from "../upload/helpers";
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
afterEach(() => emu.configure({ faults: { stall: null } }));

const RETRY_DELAYS = "10,20,30,40,50,50";

function attach(path: string, itemId: string) {
  const args = [
    "attach",
    path,
    "--message",
    itemId,
    "--graph-url",
    emu.graphUrl,
    "--upload-origin",
    emu.uploadOrigin,
    "--token-env",
    "LA_TOKEN",
    "--chunk-size",
    String(2 * 1024 * 1024),
    "--stall-timeout",
    "0.4",
    "--retry-delays",
    RETRY_DELAYS,
    "--json",
  ];
  return runBin(args, { LA_TOKEN: emu.issueToken() });
}

const stalls: Array<[string, StallFault]> = [
  ["stall-create", { on: "create" }],
  ["stall-answer", { on: "answer", putNumber: 2 }],
  ["stall-mid-body", { on: "mid-body", putNumber: 1, afterBytes: 100_000 }],
];

test.each(stalls)(
  "%s: says so, reconnects, attaches the right bytes, exit 0",
  async (name, stall) => {
    emu.configure({ faults: { stall } });
    const itemId = await createItem(emu);
    const file = await diskFile(tmp.dir, `${name}.bin`, 5 * 1024 * 1024 + 11);
    const { code, stdout, stderr } = await attach(file.path, itemId);
    expect(code).toBe(0);
    expect(stderr).toMatch(/No answer from the server for \d+ ms\. Reconnecting… Trying again in/);
    const line = JSON.parse(stdout.trim()) as { attachmentId: string };
    expect(await sha256OfValue(emu, targetFor(emu, itemId), line.attachmentId)).toBe(file.sha256);
  }
);

test("a stall on every attempt: a clear NetworkError, exit 1", async () => {
  emu.configure({ faults: { stall: { on: "mid-body", count: 1000, afterBytes: 0 } } });
  const itemId = await createItem(emu);
  const file = await diskFile(tmp.dir, "always.bin", 4 * 1024 * 1024);
  const { code, stdout } = await attach(file.path, itemId);
  expect(code).toBe(1);
  const line = JSON.parse(stdout.trim()) as { error: { name: string; message: string } };
  expect(line.error.name).toBe("NetworkError");
  expect(line.error.message).toMatch(/no answer from the server for \d+ ms, on every attempt/);
  // Seven attempts (six retries), each given up after 0.4 s of silence.
  expect(emu.faultLog().filter((f) => f.kind === "stall")).toHaveLength(7);
});
