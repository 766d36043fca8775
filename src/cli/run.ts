// `large-attach attach …` on the shared engine, with injectable I/O so tests can drive it in-process.
import { UploadQueue, type AttachResult, type UploadError, type UploadFile } from "../upload";
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

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`large-attach: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.kind === "help") {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return attach(command.config, io);
}

interface ErrorLine {
  file: string;
  error: { name: string; message: string; status?: number; code?: string };
}

async function attach(config: CliConfig, io: CliIo): Promise<number> {
  const results: (AttachResult | ErrorLine["error"])[] = [];
  const print = (line: { file: string } & (AttachResult | { error: ErrorLine["error"] })) => {
    if (config.json) {
      if ("error" in line) io.stdout.write(`${JSON.stringify(line)}\n`);
      else
        io.stdout.write(
          `${JSON.stringify({ file: line.file, bytes: line.bytes, route: line.route, attachmentId: line.attachmentId, ms: line.ms })}\n`
        );
    } else if ("error" in line) {
      io.stderr.write(`✗ ${line.file}: ${line.error.name}: ${line.error.message}\n`);
    } else {
      io.stdout.write(
        `✓ ${line.file} (${formatBytes(line.bytes)}, ${line.route}, ${line.ms} ms) attachment ${line.attachmentId}\n`
      );
    }
  };

  // Open every file first: a missing file is that file's failure, not a usage error.
  const opened: { path: string; file: UploadFile }[] = [];
  for (const path of config.files) {
    try {
      opened.push({ path, file: await openUploadFile(path) });
    } catch (error) {
      const e = { name: "FileError", message: (error as Error).message };
      results.push(e);
      print({ file: path, error: e });
    }
  }

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
      transport: nodeHttpTransport(),
      ...(config.chunkSize ? { chunkSize: config.chunkSize } : {}),
    },
  });
  const paths = new Map<string, string>();
  queue.on("attached", ({ id, result }) => {
    results.push(result);
    print({ file: paths.get(id)!, ...result });
  });
  const failed = ({ id, error }: { id: string; error: UploadError }) => {
    // Files refused inside add() fail before their path is known; they are reported after add().
    if (!paths.has(id)) return;
    const e = {
      name: error.name,
      message: error.message,
      ...("status" in error ? { status: (error as { status: number }).status } : {}),
      ...("code" in error && (error as { code?: string }).code
        ? { code: (error as { code: string }).code }
        : {}),
    };
    results.push(e);
    print({ file: paths.get(id)!, error: e });
  };
  queue.on("failed", failed);
  queue.on("cancelled", ({ id }) =>
    failed({ id, error: { name: "AbortError", message: "Cancelled." } as UploadError })
  );

  const view = io.stderr.isTTY ? new ProgressView(io.stderr) : undefined;
  const unsubscribe = view ? queue.subscribe(() => view.draw(queue.getState())) : undefined;
  io.onInterrupt?.(() => queue.cancelAll());

  const ids = queue.add(opened.map((o) => o.file));
  ids.forEach((id, i) => paths.set(id, opened[i].path));
  // Restricted files fail inside add() before the listener knew their path: report them now.
  for (const f of queue.getState().files) {
    if (f.phase === "failed" && f.error && !results.some((r) => r === f.error))
      failed({ id: f.id, error: f.error });
  }
  const state = await queue.whenIdle();
  unsubscribe?.();
  view?.draw(state, true);
  const allAttached =
    results.length === config.files.length && results.every((r) => "attachmentId" in r);
  return allAttached ? 0 : 1;
}
