// `npm run test:chaos -- --trials N [--seed S] [--parallel P] [--max-size BYTES] [--json]`
// `npm run test:chaos -- --replay SEED` (one trial, with its description)
// Runs seeded trials on P worker processes (default 2: the machine's cores), prints every failure
// with its seed and replay command as it happens, then the counts per fault kind × outcome.
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensurePool } from "./file-pool";
import { trialSeed } from "./prng";
import { countOutcomes, formatCounts, type TrialRecord } from "./report";
import { hangBoundMs } from "./run-trial";
import { describeTrial, generateTrial, type TrialLimits } from "./trials";

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "100" },
    seed: { type: "string" },
    replay: { type: "string" },
    parallel: { type: "string" },
    "max-size": { type: "string" },
    json: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

const limits: Partial<TrialLimits> = values["max-size"]
  ? { maxSize: Number(values["max-size"]) }
  : {};
const runSeed =
  values.seed !== undefined ? Number(values.seed) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
const seeds =
  values.replay !== undefined
    ? [Number(values.replay) >>> 0]
    : Array.from({ length: Number(values.trials) }, (_, i) => trialSeed(runSeed, i));
const parallel = Math.max(
  1,
  Math.min(seeds.length, Number(values.parallel ?? Math.min(2, availableParallelism())))
);

function replayCommand(seed: number) {
  return `npm run test:chaos -- --replay ${seed}${values["max-size"] ? ` --max-size ${values["max-size"]}` : ""}`;
}

interface Worker {
  child: ChildProcess;
  busy?: { seed: number; watchdog: NodeJS.Timeout };
}

async function main() {
  const started = Date.now();
  if (values.replay === undefined)
    console.log(`chaos: ${seeds.length} trials, run seed ${runSeed}, ${parallel} workers`);
  await ensurePool(); // once, before the workers race for it
  const records: TrialRecord[] = [];
  const pending = [...seeds];

  await new Promise<void>((resolveAll) => {
    let live = 0;
    const finish = (worker: Worker, record: TrialRecord) => {
      if (worker.busy) clearTimeout(worker.busy.watchdog);
      worker.busy = undefined;
      records.push(record);
      if (values.replay !== undefined || values.verbose || !record.outcome.ok) {
        const problems = record.outcome.ok ? [] : record.outcome.problems;
        console.log(
          `${record.outcome.ok ? "ok  " : "FAIL"} ${record.description} → ${record.outcome.label} (${record.ms} ms)`
        );
        for (const p of problems) console.log(`       ${p}`);
        if (!record.outcome.ok) console.log(`       replay: ${replayCommand(record.seed)}`);
      } else if (records.length % 25 === 0) {
        console.log(
          `  ${records.length}/${seeds.length} trials, ${Math.round((Date.now() - started) / 1000)} s`
        );
      }
    };
    const crashRecord = (seed: number, label: "hang" | "crash", text: string): TrialRecord => {
      const trial = generateTrial(seed, limits);
      return {
        seed,
        fault: trial.fault.kind,
        size: trial.size,
        ms: 0,
        description: describeTrial(trial),
        route: trial.route,
        outcome: { ok: false, label, problems: [`${label}: ${text}`] },
      };
    };
    const next = (worker: Worker) => {
      const seed = pending.shift();
      if (seed === undefined) {
        worker.child.send({ type: "stop" });
        return;
      }
      // The worker's own bound (hangBoundMs) reports a hang; this watchdog catches a wedged worker.
      const watchdog = setTimeout(
        () => {
          finish(worker, crashRecord(seed, "hang", "the worker stopped answering; killed"));
          worker.child.kill("SIGKILL");
        },
        hangBoundMs(generateTrial(seed, limits)) * 2 + 30_000
      );
      worker.busy = { seed, watchdog };
      worker.child.send({ type: "run", seed, limits });
    };
    const spawn = () => {
      live++;
      const child = fork(join(__dirname, "worker.ts"), [], {
        // A replay traces what the engine went through: phases, Graph calls, the error.
        env: { ...process.env, CHAOS_TRACE: values.replay !== undefined ? "1" : "" },
        execArgv: ["--import", "tsx"],
        stdio: "inherit",
      });
      const worker: Worker = { child };
      child.on(
        "message",
        (message: { type: string; record?: TrialRecord; seed?: number; error?: string }) => {
          if (message.type === "ready") next(worker);
          else if (message.type === "record") {
            finish(worker, message.record!);
            next(worker);
          } else if (message.type === "crash") {
            finish(worker, crashRecord(message.seed!, "crash", message.error ?? "unknown"));
            next(worker);
          } else if (message.type === "fatal")
            console.error(`chaos worker failed to start: ${message.error}`);
        }
      );
      child.on("exit", () => {
        live--;
        if (worker.busy)
          finish(worker, crashRecord(worker.busy.seed, "crash", "the worker process exited"));
        // A killed worker is replaced while trials remain.
        if (pending.length > 0 && records.length < seeds.length) spawn();
        else if (live === 0) resolveAll();
      });
    };
    for (let i = 0; i < parallel; i++) spawn();
  });

  const counts = countOutcomes(records);
  const wallSeconds = (Date.now() - started) / 1000;
  const summary = {
    runSeed,
    trials: seeds.length,
    wallSeconds,
    byFault: counts.byFault,
    byRoute: counts.byRoute,
    failures: counts.failures,
  };
  if (values.replay === undefined) {
    // The latest run's numbers, for docs/RELIABILITY.md (test-results/ is not committed).
    const dir = join(__dirname, "../../test-results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "chaos-last.json"), `${JSON.stringify(summary, null, 2)}\n`);
  }
  if (values.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`\n${formatCounts(counts)}`);
    console.log(
      `wall time ${wallSeconds.toFixed(1)} s${values.replay === undefined ? ` (run seed ${runSeed})` : ""}`
    );
    for (const f of counts.failures)
      console.log(`failed: ${f.description} → ${replayCommand(f.seed)}`);
  }
  process.exitCode = counts.failures.length === 0 && records.length === seeds.length ? 0 : 1;
}

void main();
