// A silent network never hangs an upload: the emulator's stall faults (a createUploadSession never
// answered, a range whose answer never comes, a range the server stops reading part-way) against
// the engine over Node's fetch (the default stack) and over the CLI's node:http stack. Small
// stallTimeoutMs / answerTimeoutMs; no time assertions — the test's own timeout is the bound.
import { nodeHttpTransport } from "../../../src/cli/node-transport";
import {
  NetworkError,
  StallError,
  attachFile,
  type HttpStack,
  type UploadOptions,
  type UploadPhaseDetail,
} from "../../../src/upload";
import type { StallFault } from "../../../dev/graph-emulator/config";
import {
  bootEmulator,
  createItem,
  fastRetries,
  memoryFile,
  sha256OfValue,
  targetFor,
  type Emulator,
} from "./helpers";

const MiB = 1024 * 1024;
let emu: Emulator;
beforeAll(async () => {
  emu = await bootEmulator();
});
afterAll(() => emu?.close());
afterEach(() => emu.configure({ faults: { stall: null } }));

const QUICK_STALLS: Partial<UploadOptions> = { stallTimeoutMs: 400, answerTimeoutMs: 800 };

const stacks: Array<[string, () => HttpStack | undefined]> = [
  ["fetch (the default)", () => undefined],
  ["node:http (the CLI's)", () => nodeHttpTransport()],
];

const stalls: Array<[string, StallFault]> = [
  ["stall-create", { on: "create" }],
  ["stall-answer", { on: "answer", putNumber: 2 }],
  ["stall-answer on the committed last range", { on: "answer", putNumber: 3, commit: true }],
  ["stall-mid-body", { on: "mid-body", putNumber: 2, afterBytes: 200_000 }],
];

describe.each(stacks)("over %s", (_name, stack) => {
  test.each(stalls)("%s: recovers and attaches the right bytes", async (_fault, stall) => {
    emu.configure({ faults: { stall } });
    const target = targetFor(emu, await createItem(emu));
    const file = memoryFile(3 * MiB - 100_000 + 2 * MiB, "stalled.bin", 5); // 3 ranges of 2 MiB at most
    const said: UploadPhaseDetail[] = [];
    const result = await attachFile(file, target, async () => emu.issueToken(), {
      ...fastRetries,
      ...QUICK_STALLS,
      chunkSize: 2 * MiB,
      transport: stack(),
      onPhase: (phase, detail) => {
        if (phase === "retrying" && detail) said.push(detail);
      },
    });
    expect(await sha256OfValue(emu, target, result.attachmentId)).toBe(file.sha256);
    expect(emu.faultLog().filter((e) => e.kind === "stall")).toHaveLength(1);
    // The row and the CLI are told what is going on before the retry.
    const stallSaid = said.map((d) => d.error).find((e) => e instanceof StallError);
    if (stall.commit) {
      // The committed last range: its session answers 404 afterwards; the item lists the attachment.
      expect(emu.attachments().filter((a) => a.itemId === target.itemId)).toHaveLength(1);
    } else {
      expect((stallSaid as Error).message).toMatch(
        /^No answer from the server for \d+ ms\. Reconnecting…$/
      );
    }
    expect(emu.openSessions().filter((x) => x.itemId === target.itemId)).toEqual([]);
  });

  test("a stall on every attempt ends in a clear NetworkError, not in waiting", async () => {
    emu.configure({ faults: { stall: { on: "mid-body", count: 1000, afterBytes: 0 } } });
    const target = targetFor(emu, await createItem(emu));
    const error = await attachFile(memoryFile(4 * MiB), target, async () => emu.issueToken(), {
      ...fastRetries,
      ...QUICK_STALLS,
      retryDelays: [10, 20],
      chunkSize: 2 * MiB,
      transport: stack(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(
      /^Uploading bytes 0-2097151 failed: no answer from the server for \d+ ms, on every attempt\.$/
    );
    expect(emu.attachments().filter((a) => a.itemId === target.itemId)).toEqual([]);
    // Its session is kept on purpose: a NetworkError is retryable, and Retry resumes it.
  });

  test("createUploadSession silent on every attempt: a clear NetworkError", async () => {
    emu.configure({ faults: { stall: { on: "create", count: 1000 } } });
    const target = targetFor(emu, await createItem(emu));
    const error = await attachFile(memoryFile(4 * MiB), target, async () => emu.issueToken(), {
      ...fastRetries,
      ...QUICK_STALLS,
      retryDelays: [10],
      transport: stack(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(
      /^Creating the upload session failed: no answer from the server for 800 ms, on every attempt\.$/
    );
    expect(emu.openSessions().filter((x) => x.itemId === target.itemId)).toEqual([]);
  });
});
