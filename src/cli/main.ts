// Entry point of `large-attach` (bin/large-attach.cjs loads this through tsx).
import { runCli } from "./run";

let interrupt: (() => void) | undefined;
let interrupted = false;
process.on("SIGINT", () => {
  if (interrupted || !interrupt) process.exit(130);
  interrupted = true;
  process.stderr.write(
    "\nCancelling (deleting upload sessions)… press Ctrl+C again to quit at once.\n"
  );
  interrupt();
});

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onInterrupt: (cancel) => (interrupt = cancel),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `large-attach: unexpected failure: ${(error as Error)?.name ?? "Error"}\n`
    );
    process.exitCode = 1;
  }
);
