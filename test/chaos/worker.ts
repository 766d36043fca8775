// A worker process of the matrix: owns one emulator and runs the trials the parent sends, one at
// a time, so a fault (a restart, a latency spike) never touches another trial and an unhandled
// rejection is attributed to the trial that caused it.
import { createHarness } from "./harness";
import type { TrialLimits } from "./trials";

interface RunMessage {
  type: "run";
  seed: number;
  limits: Partial<TrialLimits>;
}

async function main() {
  const harness = await createHarness({
    poolDir: process.env.CHAOS_POOL_DIR || undefined,
    trace: process.env.CHAOS_TRACE ? (line) => console.log(line) : undefined,
  });
  process.on("message", (message: RunMessage | { type: "stop" }) => {
    if (message.type === "stop") {
      void harness.close().finally(() => process.exit(0));
      return;
    }
    harness.run(message.seed, message.limits).then(
      (record) => process.send?.({ type: "record", record }),
      (error: unknown) =>
        process.send?.({
          type: "crash",
          seed: message.seed,
          error: String((error as Error)?.stack ?? error),
        })
    );
  });
  process.send?.({ type: "ready" });
}

void main().catch((error) => {
  process.send?.({ type: "fatal", error: String(error?.stack ?? error) });
  process.exit(1);
});
