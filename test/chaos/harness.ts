// A trial harness: one emulator (in this process), the byte pool, and an unhandled-rejection
// listener, running trials one at a time. Worker processes each own one (run.ts); the fixed-seed
// slice in `npm test` uses one in-process.
import { startEmulator } from "../../dev/graph-emulator";
import { chaosEmulator } from "./faults";
import { ensurePool } from "./file-pool";
import type { TrialRecord } from "./report";
import { runTrial } from "./run-trial";
import { generateTrial, type TrialLimits } from "./trials";

export interface Harness {
  run(seed: number, limits?: Partial<TrialLimits>): Promise<TrialRecord>;
  close(): Promise<void>;
}

export async function createHarness(
  options: { poolDir?: string; log?: (line: string) => void; trace?: (line: string) => void } = {}
): Promise<Harness> {
  const poolPath = await ensurePool(options.poolDir);
  // The emulator's fast paths: no latency, no bandwidth cap unless a fault asks for one.
  const running = await startEmulator({ port: 0, uploadPort: 0, log: options.log });
  const emulator = chaosEmulator(running);
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown) => {
    unhandled.push(String((reason as Error)?.stack ?? reason).slice(0, 2_000));
  };
  process.on("unhandledRejection", onUnhandled);
  return {
    run: (seed, limits) =>
      runTrial(
        { emulator, poolPath, unhandled, trace: options.trace },
        generateTrial(seed, limits)
      ),
    async close() {
      process.off("unhandledRejection", onUnhandled);
      await running.close();
    },
  };
}
