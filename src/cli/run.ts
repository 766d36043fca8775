// `large-attach attach …` on the shared engine, with injectable I/O so tests can drive it in-process.
import {
  StallError,
  UploadQueue,
  withUploadOrigins,
  type AttachResult,
  type UploadError,
  type UploadFile,
} from "../upload";
import { USAGE, UsageError, parseCommandLine, type CliConfig } from "./args";
import { openUploadFile } from "./node-file";
import { nodeHttpTransport } from "./node-transport";
import { ProgressView, formatBytes } from "./progress";

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Called with a function that cancels every upload (SIGINT). */
  onInterrupt?(cancel: () => void): void;
}

/** Exit statuses (documented in USAGE and the README). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`large-attach: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (command.kind === "help") {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  return attach(command.config, io);
}

/** What a failed file reports: messages of the engine's errors carry no token and no upload URL. */
interface ErrorSummary {
  name: string;
  message: string;
  status?: number;
  code?: string;
}

function summarize(error: UploadError | { name: string; message: string }): ErrorSummary {
  const { status, code } = error as { status?: unknown; code?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof status === "number" ? { status } : {}),
    ...(typeof code === "string" && code ? { code } : {}),
  };
}

async function attach(config: CliConfig, io: CliIo): Promise<number> {
  const transport = nodeHttpTransport();
  const queue = new UploadQueue({
    target: {
      graphBaseUrl: config.graphBaseUrl,
      mailbox: config.mailbox,
      itemKind: config.itemKind,
      itemId: config.itemId,
    },
    // The token is fixed for a CLI run; the engine asks per Graph request and never logs it.
    getToken: async () => config.token,
    concurrency: config.concurrency,
    uploadOptions: {
      // Every request, Graph's too, through node:http: Node's fetch alone costs ≈ 40 MB of RSS.
      transport,
      allowedUploadOrigins: withUploadOrigins(...config.uploadOrigins),
      ...(config.chunkSize ? { chunkSize: config.chunkSize } : {}),
      // The answer after the last byte gets twice as long (the defaults' 30 s / 60 s).
      ...(config.stallTimeoutMs
        ? { stallTimeoutMs: config.stallTimeoutMs, answerTimeoutMs: 2 * config.stallTimeoutMs }
        : {}),
    },
  });
  // Both streams are the terminal when the view is on: lines go above the bars, not through them.
  const view = io.stderr.isTTY ? new ProgressView(io.stderr) : undefined;
  const write = (stream: NodeJS.WriteStream, text: string) =>
    view ? view.log(stream, text, queue.getState()) : stream.write(text);

  // One outcome per FILE argument (by position: the same path may be given twice).
  const outcomes = new Map<number, AttachResult | ErrorSummary>();
  const report = (arg: number, outcome: AttachResult | ErrorSummary) => {
    if (outcomes.has(arg)) return;
    outcomes.set(arg, outcome);
    const file = config.files[arg];
    if ("attachmentId" in outcome) {
      const { bytes, route, attachmentId, ms } = outcome;
      write(
        io.stdout,
        config.json
          ? `${JSON.stringify({ file, bytes, route, attachmentId, ms })}\n`
          : `✓ ${file} (${formatBytes(bytes)}, ${route}, ${ms} ms) attachment ${attachmentId}\n`
      );
    } else if (config.json) {
      write(io.stdout, `${JSON.stringify({ file, error: outcome })}\n`);
    } else {
      write(io.stderr, `✗ ${file}: ${outcome.name}: ${outcome.message}\n`);
    }
  };

  // Open every file first: a missing file is that file's failure, not a usage error.
  const opened: { arg: number; file: UploadFile }[] = [];
  for (const [arg, path] of config.files.entries()) {
    try {
      opened.push({ arg, file: await openUploadFile(path) });
    } catch (error) {
      report(arg, { name: "FileError", message: (error as Error).message });
    }
  }

  const argOf = new Map<string, number>(); // queue id → FILE argument
  queue.add(opened.map((o) => o.file)).forEach((id, i) => argOf.set(id, opened[i].arg));
  queue.on("attached", ({ id, result }) => report(argOf.get(id)!, result));
  queue.on("failed", ({ id, error }) => report(argOf.get(id)!, summarize(error)));
  queue.on("cancelled", ({ id }) =>
    report(argOf.get(id)!, { name: "AbortError", message: "Cancelled." })
  );
  // Without bars (a pipe, a log file) a back-off would be silence: say what failed and when the
  // next try is. The bars show the same as a countdown.
  if (!view) {
    queue.on("phase", ({ id, phase, retryAt, error }) => {
      if ((phase !== "retrying" && phase !== "waiting-for-item") || retryAt === undefined) return;
      const seconds = Math.max(0, (retryAt - Date.now()) / 1000).toFixed(1);
      // A stall says it itself: "No answer from the server for 30 s. Reconnecting…"
      const why =
        error instanceof StallError
          ? error.message
          : error
            ? `${error.name}: ${error.message}`
            : "Waiting.";
      io.stderr.write(`… ${config.files[argOf.get(id)!]}: ${why} Trying again in ${seconds} s.\n`);
    });
  }
  // Restricted files (over 150 MB, no name) failed inside add(), before the listeners above.
  for (const f of queue.getState().files) {
    if (f.phase === "failed" && f.error) report(argOf.get(f.id)!, summarize(f.error));
  }

  const redraw = view ? () => view.draw(queue.getState()) : undefined;
  const unsubscribe = redraw ? queue.subscribe(redraw) : undefined;
  const ticker = redraw ? setInterval(redraw, 500) : undefined; // keeps countdowns and rates moving
  io.onInterrupt?.(() => queue.cancelAll());
  const state = await queue.whenIdle();
  clearInterval(ticker);
  unsubscribe?.();
  view?.draw(state, true);

  const attached = [...outcomes.values()].filter((o) => "attachmentId" in o).length;
  if (!config.json && config.files.length > 1) {
    io.stderr.write(`${attached} of ${config.files.length} files attached.\n`);
  }
  return attached === config.files.length ? EXIT.ok : EXIT.failed;
}
