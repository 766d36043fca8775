// Entry point of a client child process: `node client.cjs` with a ClientJob as JSON on stdin. One client per
// process, so the peak RSS it reports is its own. Prints one JSON line (ClientResult) on stdout.
import { runEngine, runEngineQueue } from "./engine";
import type { ClientJob, ClientResult } from "./job";
import { nodeHttpTransport } from "./node-http-transport";
import { runLimit } from "./limit";
import { runSdk } from "./sdk";

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += String(chunk);
  const job = JSON.parse(input) as ClientJob;
  const run = {
    limit: (j: ClientJob) => runLimit(j, "http"),
    "limit-fetch": (j: ClientJob) => runLimit(j, "fetch"),
    engine: (j: ClientJob) => runEngine(j),
    "engine-node-http": (j: ClientJob) => runEngine(j, nodeHttpTransport()),
    "engine-queue": runEngineQueue,
    "sdk-stream": (j: ClientJob) => runSdk(j, "stream"),
    "sdk-buffer": (j: ClientJob) => runSdk(j, "buffer"),
  }[job.client];
  if (!run) throw new Error(`Unknown client ${String(job.client)}`);
  const measured = await run(job);
  const result: ClientResult = {
    ...measured,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Upload URLs are secrets: strip query strings from anything printed.
  process.stderr.write(`${message.replace(/\?[^\s"']*/g, "?…")}\n`);
  process.exit(1);
});
