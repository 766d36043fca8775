// `large-attach attach|share …` on the shared engine, with injectable I/O so tests can drive it in-process.
import {
  StallError,
  UploadQueue,
  canShareFile,
  shareFile,
  withUploadOrigins,
  type DriveTarget,
  type HttpStack,
  type ShareResult,
  type UploadFile,
  type UploadOptions,
  type UploadQueueOptions,
} from "../upload";
import {
  USAGE,
  UsageError,
  parseCommandLine,
  type CliConfig,
  type ShareCliConfig,
  type ShareConfig,
} from "./args";
import { appendLinksToItem } from "./body-links";
import { openUploadFile } from "./node-file";
import { nodeHttpTransport } from "./node-transport";
import { ProgressView } from "./progress";
import {
  isAttached,
  isShared,
  outcomeLine,
  summarize,
  summaryLine,
  type ErrorSummary,
  type Line,
  type Outcome,
} from "./report";

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
  return command.kind === "share" ? share(command.config, io) : attach(command.config, io);
}

type Config = CliConfig | ShareCliConfig;

/** Engine options from the flags; every request, Graph's too, through node:http. */
function engineOptions(
  config: Config,
  transport: HttpStack,
  drive: boolean
): Partial<UploadOptions> {
  return {
    // Node's fetch alone costs ≈ 40 MB of RSS.
    transport,
    allowedUploadOrigins: withUploadOrigins(...config.uploadOrigins),
    // --chunk-size is the range of the route the command is about (share: OneDrive's).
    ...(config.chunkSize ? { [drive ? "driveChunkSize" : "chunkSize"]: config.chunkSize } : {}),
    // The answer after the last byte gets twice as long (the defaults' 30 s / 60 s).
    ...(config.stallTimeoutMs
      ? { stallTimeoutMs: config.stallTimeoutMs, answerTimeoutMs: 2 * config.stallTimeoutMs }
      : {}),
    ...(config.retryDelays ? { retryDelays: config.retryDelays } : {}),
  };
}

/** The queue's drive route: the mailbox's own OneDrive (--user), the token fixed for the run. */
function shareRoute(config: Config, share: ShareConfig): NonNullable<UploadQueueOptions["share"]> {
  const target: DriveTarget = {
    graphBaseUrl: config.graphBaseUrl,
    drive: config.mailbox,
    folder: share.folder,
  };
  // The route itself, not the queue's import("./drive"): tsx/cjs, which runs the CLI, cannot import() TypeScript.
  return {
    target,
    getToken: async () => config.token,
    link: share.link,
    loadRoute: async () => ({ shareFile }),
  };
}

async function share(config: ShareCliConfig, io: CliIo): Promise<number> {
  const transport = nodeHttpTransport();
  const queue = new UploadQueue({
    // No Outlook item: a share is made for no message (resume records say so with an empty id).
    target: {
      graphBaseUrl: config.graphBaseUrl,
      mailbox: config.mailbox,
      itemKind: "message",
      itemId: "",
    },
    getToken: async () => config.token,
    concurrency: config.concurrency,
    uploadOptions: engineOptions(config, transport, true),
    share: shareRoute(config, config.share),
  });
  const { outcomes } = await runFiles(config, io, queue, { route: "drive" });
  const shared = [...outcomes.values()].filter(isShared).length;
  if (!config.json && config.files.length > 1) {
    io.stderr.write(summaryLine(outcomes.values(), config.files.length, "shared"));
  }
  return shared === config.files.length ? EXIT.ok : EXIT.failed;
}

async function attach(config: CliConfig, io: CliIo): Promise<number> {
  const transport = nodeHttpTransport();
  const target = {
    graphBaseUrl: config.graphBaseUrl,
    mailbox: config.mailbox,
    itemKind: config.itemKind,
    itemId: config.itemId,
  };
  const getToken = async () => config.token;
  const uploadOptions = engineOptions(config, transport, false);
  const queue = new UploadQueue({
    target,
    // The token is fixed for a CLI run; the engine asks per Graph request and never logs it.
    getToken,
    concurrency: config.concurrency,
    uploadOptions,
    ...(config.share ? { share: shareRoute(config, config.share) } : {}),
  });
  // --share-over-limit: a row the item cannot take goes to OneDrive with the same file (the
  // queue's one rule, canShareFile); its line waits until its link is in the body.
  const takeOver = config.share
    ? (id: string) => {
        const row = queue.getState().files.find((f) => f.id === id);
        if (!row || !canShareFile(row)) return undefined;
        queue.shareInstead(id);
        return `the ${config.itemKind} cannot take it (${row.error?.name}). Sharing it as a OneDrive link instead.`;
      }
    : undefined;
  const { outcomes, write } = await runFiles(config, io, queue, { takeOver, holdShared: true });

  const shared = [...outcomes.entries()].filter((e): e is [number, ShareResult] => isShared(e[1]));
  let bodyOk = true;
  if (shared.length > 0) {
    const links = shared.map(([, r]) => ({ name: r.name, size: r.bytes, url: r.link.webUrl }));
    try {
      await appendLinksToItem(target, getToken, links, uploadOptions);
    } catch (error) {
      bodyOk = false;
      const why = summarize(error as ErrorSummary);
      write(
        config.json
          ? { stream: "stdout", text: `${JSON.stringify({ body: { error: why } })}\n` }
          : {
              stream: "stderr",
              text: `✗ The links could not be added to the ${config.itemKind}'s body: ${why.name}: ${why.message} Paste them yourself (below).\n`,
            }
      );
    }
    for (const [arg, result] of shared) {
      write(
        outcomeLine(config.files[arg], result, config.json, {
          added: bodyOk,
          item: config.itemKind,
        })
      );
    }
  }
  if (!config.json && (config.files.length > 1 || shared.length > 0)) {
    io.stderr.write(summaryLine(outcomes.values(), config.files.length, "attached"));
  }
  const done = [...outcomes.values()].filter((o) => isAttached(o) || isShared(o)).length;
  return done === config.files.length && bodyOk ? EXIT.ok : EXIT.failed;
}

interface RunPlan {
  /** "drive": every file is shared (the share command). */
  route?: "drive";
  /** A failed row another route may take over: when it did (not a failure yet), what to say. */
  takeOver?(id: string): string | undefined;
  /** Shared files are not printed as they finish (attach prints them once the body has their links). */
  holdShared?: boolean;
}

/**
 * Opens the FILEs, runs them through the queue with progress on stderr, and reports each one as it
 * ends. Returns one outcome per FILE argument (by position: the same path may be given twice) and
 * the writer that keeps lines above the progress bars.
 */
async function runFiles(config: Config, io: CliIo, queue: UploadQueue, plan: RunPlan) {
  // Both streams are the terminal when the view is on: lines go above the bars, not through them.
  const view = io.stderr.isTTY ? new ProgressView(io.stderr) : undefined;
  const write = ({ stream, text }: Line) => {
    const target = stream === "stdout" ? io.stdout : io.stderr;
    return view ? view.log(target, text, queue.getState()) : target.write(text);
  };

  const outcomes = new Map<number, Outcome>();
  const report = (arg: number, outcome: Outcome) => {
    if (outcomes.has(arg)) return;
    outcomes.set(arg, outcome);
    if (plan.holdShared && isShared(outcome)) return;
    write(outcomeLine(config.files[arg], outcome, config.json));
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
  const files = opened.map((o) => o.file);
  queue
    .add(files, plan.route ? { route: plan.route } : {})
    .forEach((id, i) => argOf.set(id, opened[i].arg));
  const failed = (id: string, error: Parameters<typeof summarize>[0]) => {
    const takenOver = plan.takeOver?.(id);
    if (takenOver === undefined) report(argOf.get(id)!, summarize(error));
    else if (!config.json)
      write({ stream: "stderr", text: `… ${config.files[argOf.get(id)!]}: ${takenOver}\n` });
  };
  queue.on("attached", ({ id, result }) => report(argOf.get(id)!, result));
  queue.on("shared", ({ id, result }) => report(argOf.get(id)!, result));
  queue.on("failed", ({ id, error }) => failed(id, error));
  queue.on("cancelled", ({ id }) =>
    report(argOf.get(id)!, { name: "AbortError", message: "Cancelled." })
  );
  if (!view) announceRetries(config, io, queue, argOf);
  // Restricted files (over 150 MB, no name) failed inside add(), before the listeners above.
  for (const f of queue.getState().files) {
    if (f.phase === "failed" && f.error) failed(f.id, f.error);
  }

  const redraw = view ? () => view.draw(queue.getState()) : undefined;
  const unsubscribe = redraw ? queue.subscribe(redraw) : undefined;
  const ticker = redraw ? setInterval(redraw, 500) : undefined; // keeps countdowns and rates moving
  io.onInterrupt?.(() => queue.cancelAll());
  const state = await queue.whenIdle();
  clearInterval(ticker);
  unsubscribe?.();
  view?.draw(state, true);
  return { outcomes, write };
}

/**
 * Without bars (a pipe, a log file) a back-off would be silence: say what failed and when the
 * next try is. The bars show the same as a countdown.
 */
function announceRetries(
  config: Config,
  io: CliIo,
  queue: UploadQueue,
  argOf: Map<string, number>
) {
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
