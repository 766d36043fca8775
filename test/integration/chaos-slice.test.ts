// The fixed-seed slice of the chaos matrix that runs inside `npm test`: two small trials of every
// fault kind through the real engine against the real emulator, plus the classifier's own rules.
// Stalls in the slice are the transient ones (1–2 silent requests, seconds each); a stall on every
// attempt is left to the matrix and to the engine's own stall tests.
// The full matrix is `npm run test:chaos -- --trials 500` (docs/RELIABILITY.md).
import { createHash } from "node:crypto";
import { startEmulator, type RunningEmulator } from "../../dev/graph-emulator";
import { classify, findSecrets, type TrialObservation } from "../chaos/classify";
import { chaosEmulator } from "../chaos/faults";
import { createHarness, type Harness } from "../chaos/harness";
import { createRng, trialSeed } from "../chaos/prng";
import type { TrialRecord } from "../chaos/report";
import {
  acceptableOutcomes,
  FAULT_KINDS,
  generateTrial,
  isTransient,
  MiB,
  stallCount,
  type Fault,
  type FaultKind,
  type Trial,
} from "../chaos/trials";
import { AbortError, HttpError, NetworkError } from "../../src/upload";

const SLICE_SEED = 20_260_401;
const LIMITS = { maxSize: 12 * MiB };

/** Distinct variants a kind's trials in the slice must cover: a stalled answer with and without its range stored. */
function variant(fault: Fault): string | undefined {
  return fault.kind === "stall-answer" ? `commit=${fault.commit}` : undefined;
}

/** Two trials per fault kind: the first seeds of the fixed run that draw it. */
function sliceSeeds(perKind = 2): number[] {
  const picked = new Map<FaultKind, number[]>(FAULT_KINDS.map((k) => [k, []]));
  for (let i = 0; [...picked.values()].some((s) => s.length < perKind); i++) {
    const seed = trialSeed(SLICE_SEED, i);
    const { fault } = generateTrial(seed, LIMITS);
    const list = picked.get(fault.kind)!;
    const taken = list.map((s) => variant(generateTrial(s, LIMITS).fault));
    const wanted = stallCount(fault) === 0 || isTransient(fault);
    const v = variant(fault);
    if (list.length < perKind && wanted && (v === undefined || !taken.includes(v))) list.push(seed);
  }
  return [...picked.values()].flat();
}

describe("the generator", () => {
  test("is a pure function of the seed", () => {
    expect(generateTrial(12345)).toEqual(generateTrial(12345));
    expect(generateTrial(12345)).not.toEqual(generateTrial(12346));
    expect(createRng(7).next()).toBe(createRng(7).next());
  });

  test("gives neighbouring run seeds different trials (500-trial runs share none)", () => {
    const run = (seed: number) =>
      new Set(Array.from({ length: 500 }, (_, i) => trialSeed(seed, i)));
    for (const [a, b] of [
      [8, 9],
      [0, 1],
      [1, 2],
      [20_260_401, 20_260_402],
    ]) {
      const first = run(a);
      expect(first.size).toBe(500);
      expect([...run(b)].filter((seed) => first.has(seed))).toEqual([]);
    }
  });

  test("draws sizes from 0 to 150 MiB, mostly 3–40 MiB, and every fault kind", () => {
    const trials = Array.from({ length: 2_000 }, (_, i) => generateTrial(trialSeed(1, i)));
    const sizes = trials.map((t) => t.size);
    expect(Math.min(...sizes)).toBe(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(150 * MiB);
    expect(Math.max(...sizes)).toBeGreaterThan(100 * MiB);
    const typical = sizes.filter((s) => s >= 3 * MiB && s <= 40 * MiB).length / sizes.length;
    expect(typical).toBeGreaterThan(0.7);
    expect(new Set(trials.map((t) => t.fault.kind))).toEqual(new Set(FAULT_KINDS));
    // A single POST has no range to drop or stall and no session to expire or create.
    expect(
      trials.filter(
        (t) =>
          t.route === "post" &&
          (["drop", "session-expiry"].includes(t.fault.kind) || stallCount(t.fault) > 0)
      )
    ).toEqual([]);
    // Stalls come short (a hand-over) and on every attempt (past the retry budget of 7 attempts).
    const stalls = trials.map((t) => stallCount(t.fault)).filter((n) => n > 0);
    expect(new Set(stalls)).toEqual(new Set([1, 2, 7]));
  });

  test("allows a transient fault only to attach; a stall on every attempt only its one outcome", () => {
    const trials = Array.from({ length: 2_000 }, (_, i) => generateTrial(trialSeed(3, i)));
    // Attachment trials (a drive trial's outcomes are "shared": test/unit/chaos/drive-trials.test.ts).
    const find = (want: (t: Trial) => boolean) =>
      trials.find((t) => t.route !== "drive" && want(t))!;
    expect(acceptableOutcomes(find((t) => t.fault.kind === "restart"))).toEqual(["attached"]);
    expect(
      acceptableOutcomes(find((t) => t.fault.kind === "stall-answer" && t.fault.count === 1))
    ).toEqual(["attached"]);
    expect(
      acceptableOutcomes(find((t) => t.fault.kind === "stall-create" && t.fault.count === 7))
    ).toEqual(["NetworkError"]);
    expect(
      acceptableOutcomes(find((t) => t.fault.kind === "stall-mid-body" && t.fault.count === 7))
    ).toEqual(["attached after resume"]);
    expect(acceptableOutcomes(find((t) => t.fault.kind === "server-error"))).toBeUndefined();
    // A committed range whose every answer is lost is not drawn (see trials.ts), the others are.
    const answers = trials.filter((t) => t.fault.kind === "stall-answer");
    const drawn = (commit: boolean, count: number) =>
      answers.some(
        (t) =>
          t.fault.kind === "stall-answer" && t.fault.commit === commit && t.fault.count === count
      );
    expect([drawn(true, 1), drawn(true, 2), drawn(false, 7), drawn(true, 7)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe("the classifier", () => {
  const base: TrialObservation = {
    settled: { kind: "attached", attachmentId: "A1" },
    expectedSha256: "aa",
    attachments: [{ id: "A1", sha256: "aa" }],
    openSessions: 0,
    unhandledRejections: [],
    leakedSecrets: [],
    resumed: false,
  };

  test("accepts exactly one attachment with the right bytes, or a typed error with nothing left", () => {
    expect(classify(base)).toEqual({ ok: true, label: "attached" });
    expect(
      classify({ ...base, settled: { kind: "error", error: new AbortError() }, attachments: [] })
    ).toEqual({
      ok: true,
      label: "AbortError",
    });
    expect(
      classify({
        ...base,
        settled: { kind: "error", error: new NetworkError("x") },
        attachments: [],
        resumed: true,
      })
    ).toEqual({ ok: true, label: "NetworkError after resume" });
  });

  test.each<[string, Partial<TrialObservation>, string]>([
    ["wrong bytes", { attachments: [{ id: "A1", sha256: "bb" }] }, "corrupted"],
    [
      "two attachments",
      {
        attachments: [
          { id: "A1", sha256: "aa" },
          { id: "A2", sha256: "aa" },
        ],
      },
      "duplicate",
    ],
    ["a session left open", { openSessions: 1 }, "leftover-session"],
    ["no outcome in time", { settled: { kind: "hang", boundMs: 1 } }, "hang"],
    ["an unhandled rejection", { unhandledRejections: ["boom"] }, "unhandled-rejection"],
    ["success without the attachment", { attachments: [] }, "missing-attachment"],
    [
      "a plain Error",
      { settled: { kind: "error", error: new Error("x") }, attachments: [] },
      "untyped-error",
    ],
    [
      "an error although the file is attached",
      { settled: { kind: "error", error: new HttpError("x", { status: 500 }) } },
      "attached-despite-error",
    ],
    ["a leaked token", { leakedSecrets: ["contains secret abcd…"] }, "leaked-secret"],
    [
      "a transient fault that ended in an error",
      {
        settled: { kind: "error", error: new NetworkError("x") },
        attachments: [],
        acceptable: ["attached"],
      },
      "wrong-outcome",
    ],
    [
      "a stall on every attempt that attached anyway (the stall never happened)",
      { acceptable: ["NetworkError"] },
      "wrong-outcome",
    ],
  ])("fails %s", (_name, change, label) => {
    const outcome = classify({ ...base, ...change });
    expect(outcome.ok).toBe(false);
    expect(outcome.label).toBe(label);
  });

  test("finds tokens, Bearer credentials and authtokens in text", () => {
    expect(
      findSecrets("all fine: Bearer [redacted], authtoken=[redacted]", ["emu.secretvalue"])
    ).toEqual([]);
    expect(findSecrets("oops emu.secretvalue", ["emu.secretvalue"])).toHaveLength(1);
    expect(findSecrets("Authorization: Bearer abcdefghijkl", [])).toHaveLength(1);
    expect(findSecrets("https://x/y?authtoken=abcdef", [])).toHaveLength(1);
  });
});

describe("the harness's own check", () => {
  let running: RunningEmulator;
  beforeAll(async () => {
    running = await startEmulator({ port: 0, uploadPort: 0 });
  });
  afterAll(async () => {
    await running?.close();
  });

  // One trial in 500 crashed in attachmentsNamed with "fetch failed": its read met a socket a
  // restart destroyed. The check reads on a connection of its own and retries a failed read.
  test("reads an attachment's $value through a restart that cuts the read", async () => {
    const emulator = chaosEmulator(running);
    const token = emulator.issueToken();
    const itemId = emulator.createItem("message");
    const bytes = Buffer.from("the bytes a trial uploaded");
    const posted = await fetch(
      `${emulator.graphUrl}/me/messages/${encodeURIComponent(itemId)}/attachments`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          "@odata.type": "#microsoft.graph.fileAttachment",
          name: "cut.bin",
          contentBytes: bytes.toString("base64"),
        }),
      }
    );
    expect(posted.status).toBe(201);
    // Each Graph request waits 300 ms in the emulator: the restart lands while the read is open.
    emulator.configure({ faults: { latencyMs: 300 } });
    const read = emulator.attachmentsNamed(token, "message", itemId, "cut.bin");
    await new Promise((r) => setTimeout(r, 100));
    await emulator.restart();
    await expect(read).resolves.toEqual([
      { id: expect.any(String), sha256: createHash("sha256").update(bytes).digest("hex") },
    ]);
  });
});

describe("fixed-seed slice of the matrix", () => {
  let harness: Harness;
  const records: TrialRecord[] = [];
  beforeAll(async () => {
    harness = await createHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  test.each(sliceSeeds().map((seed) => [generateTrial(seed, LIMITS).fault.kind, seed] as const))(
    "%s (seed %d) ends attached or in a clean typed error",
    async (_kind, seed) => {
      const record = await harness.run(seed, LIMITS);
      records.push(record);
      // On failure the message names the seed: npm run test:chaos -- --replay SEED --max-size 12582912
      expect({ seed, description: record.description, outcome: record.outcome }).toEqual({
        seed,
        description: record.description,
        outcome: { ok: true, label: expect.any(String) },
      });
    }
  );

  test("the slice attached files under faults, and also ended some in typed errors", () => {
    expect(records.filter((r) => r.outcome.label.startsWith("attached")).length).toBeGreaterThan(3);
    expect(records.filter((r) => !r.outcome.label.startsWith("attached")).length).toBeGreaterThan(
      0
    );
  });
});
