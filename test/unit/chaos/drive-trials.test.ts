// The fault matrix's drive trials, on their own rules: what the generator draws for them, what
// each may end in, how a `rename` copy is recognised, and how the shared classifier and the counts
// treat them. Pure functions; the trials themselves run in `npm run test:chaos` and the slice.
import { classify, type TrialObservation } from "../../chaos/classify";
import { renamedCopyPattern } from "../../chaos/faults";
import { trialSeed } from "../../chaos/prng";
import { countOutcomes, formatCounts, type TrialRecord } from "../../chaos/report";
import {
  acceptableOutcomes,
  DRIVE_CHUNKS,
  DRIVE_SHARE,
  FAULT_KINDS,
  generateTrial,
  type Trial,
} from "../../chaos/trials";

const trials = Array.from({ length: 2_000 }, (_, i) => generateTrial(trialSeed(5, i)));
const drive = trials.filter((t) => t.route === "drive");

describe("drive trials in the generator", () => {
  test("are about DRIVE_SHARE of a run and draw every fault kind", () => {
    expect(drive.length / trials.length).toBeGreaterThan(DRIVE_SHARE - 0.04);
    expect(drive.length / trials.length).toBeLessThan(DRIVE_SHARE + 0.04);
    expect(new Set(drive.map((t) => t.fault.kind))).toEqual(new Set(FAULT_KINDS));
  });

  test("send at least one byte in ranges OneDrive accepts, counted as the engine will send them", () => {
    for (const t of drive) {
      expect(t.size).toBeGreaterThanOrEqual(1);
      expect(DRIVE_CHUNKS).toContain(t.chunkSize);
      expect(t.chunkSize % 327_680).toBe(0);
      expect(t.ranges).toBe(Math.ceil(t.size / t.chunkSize));
      expect(t.quirks.drive).toBeDefined();
    }
    expect(new Set(drive.map((t) => t.chunkSize))).toEqual(new Set(DRIVE_CHUNKS));
    expect(trials.filter((t) => t.route !== "drive").every((t) => !t.quirks.drive)).toBe(true);
  });

  test("keep the size limit of the run", () => {
    const small = Array.from({ length: 500 }, (_, i) =>
      generateTrial(trialSeed(6, i), { maxSize: 12 * 1024 * 1024 })
    ).filter((t) => t.route === "drive");
    expect(small.length).toBeGreaterThan(0);
    expect(Math.max(...small.map((t) => t.size))).toBeLessThanOrEqual(12 * 1024 * 1024);
  });

  test("may end only shared under a transient fault, only in DriveFullError when the drive is full", () => {
    const find = (want: (t: Trial) => boolean) => drive.find(want)!;
    expect(acceptableOutcomes(find((t) => t.fault.kind === "restart"))).toEqual(["shared"]);
    expect(
      acceptableOutcomes(find((t) => t.fault.kind === "stall-mid-body" && t.fault.count === 7))
    ).toEqual(["shared after resume"]);
    expect(
      acceptableOutcomes(find((t) => t.fault.kind === "stall-create" && t.fault.count === 7))
    ).toEqual(["NetworkError"]);
    expect(acceptableOutcomes(find((t) => t.fault.kind === "size-exceeded"))).toEqual([
      "DriveFullError",
    ]);
    expect(acceptableOutcomes(find((t) => t.fault.kind === "drop"))).toBeUndefined();
  });
});

describe("renamedCopyPattern", () => {
  test("matches the name and the copies conflictBehavior rename makes, nothing else", () => {
    const p = renamedCopyPattern("chaos-1.bin");
    for (const name of ["chaos-1.bin", "chaos-1 1.bin", "CHAOS-1 12.BIN"])
      expect(p.test(name)).toBe(true);
    for (const name of [
      "chaos-12.bin",
      "chaos-1.bin.bak",
      "xchaos-1.bin",
      "chaos-1 a.bin",
      "chaos-11.bin",
    ])
      expect(p.test(name)).toBe(false);
    expect(renamedCopyPattern("notes").test("notes 2")).toBe(true);
    expect(renamedCopyPattern("a+b (1).txt").test("a+b (1) 3.txt")).toBe(true);
  });
});

describe("the classifier on a drive trial", () => {
  const shared: TrialObservation = {
    settled: { kind: "attached", attachmentId: "D1" },
    expectedSha256: "aa",
    attachments: [{ id: "D1", sha256: "aa" }],
    openSessions: 0,
    unhandledRejections: [],
    leakedSecrets: [],
    resumed: false,
    success: "shared",
    linkMissing: false,
  };

  test("labels success 'shared' (after resume too) and holds it to the same rules", () => {
    expect(classify(shared)).toEqual({ ok: true, label: "shared" });
    expect(classify({ ...shared, resumed: true })).toEqual({
      ok: true,
      label: "shared after resume",
    });
    expect(classify({ ...shared, acceptable: ["shared after resume"] }).label).toBe(
      "wrong-outcome"
    );
  });

  test.each<[string, Partial<TrialObservation>, string]>([
    [
      "a rename copy beside the file",
      {
        attachments: [
          { id: "D1", sha256: "aa" },
          { id: "D2", sha256: "aa" },
        ],
      },
      "duplicate",
    ],
    ["a drive session left open", { openSessions: 1 }, "leftover-session"],
    ["wrong bytes in the drive", { attachments: [{ id: "D1", sha256: "bb" }] }, "corrupted"],
    ["a returned link the file does not have", { linkMissing: true }, "missing-link"],
  ])("fails %s", (_name, change, label) => {
    expect(classify({ ...shared, ...change }).label).toBe(label);
  });
});

test("the counts keep a row per route beside the rows per fault", () => {
  const record = (route: Trial["route"], label: string): TrialRecord => ({
    seed: 1,
    fault: "drop",
    route,
    size: 1,
    ms: 1,
    description: "",
    outcome: { ok: true, label },
  });
  const counts = countOutcomes([
    record("drive", "shared"),
    record("session", "attached"),
    record("post", "attached"),
  ]);
  expect(counts.byRoute).toEqual({ drive: { shared: 1 }, item: { attached: 2 } });
  expect(formatCounts(counts)).toMatch(/^route drive\s+1 {2}shared 1$/m);
});
