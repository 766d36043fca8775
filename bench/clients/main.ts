// Entry point of a client child process: `node client.cjs` with a ClientJob as JSON on stdin. One client per
// process, so the peak RSS it reports is its own. Prints one JSON line (ClientResult) on stdout.
import { runEngine, runEngineQueue } from "./engine";
import type { ClientJob, ClientResult } from "./job";
import { runDriveEngine } from "./drive";
import { runDriveLimit, runLimit } from "./limit";
import { runSdk } from "./sdk";
import { STALLED } from "./job";

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += String(chunk);
  const job = JSON.parse(input) as ClientJob;
  const run = {
    limit: (j: ClientJob) => runLimit(j, "http"),
    "limit-fetch": (j: ClientJob) => runLimit(j, "fetch"),
    engine: (j: ClientJob) => runEngine(j, "cli"),
    "engine-fetch": (j: ClientJob) => runEngine(j, "fetch"),
    "engine-queue": (j: ClientJob) => runEngineQueue(j, "cli"),
    "sdk-stream": (j: ClientJob) => runSdk(j, "stream"),
    "sdk-buffer": (j: ClientJob) => runSdk(j, "buffer"),
    "drive-engine": (j: ClientJob) => runDriveEngine(j, "cli"),
    "drive-limit": (j: ClientJob) => runDriveLimit(j),
  }[job.client];
  if (!run) throw new Error(`Unknown client ${String(job.client)}`);
  const measured = await run(job);
  const result: ClientResult = {
    ...measured,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// The Graph SDK's StreamUpload sometimes waits for a "readable" event that never comes: the
// upload promise never settles and Node would exit 0 with no answer.
// Say so, so the runner can tell this stall from a crash and run that client again.
let answered = false;
process.on("beforeExit", () => {
  if (answered) return;
  answered = true;
  process.stderr.write(`${STALLED}: the upload promise never settled (the event loop ran dry)\n`);
  process.exitCode = 1;
});

main()
  .finally(() => (answered = true))
  .catch((error: unknown) => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // Upload URLs are secrets: strip query strings from anything printed.
    process.stderr.write(`${message.replace(/\?[^\s"']*/g, "?…")}\n`);
    process.exit(1);
  });
