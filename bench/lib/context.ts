// What every scenario gets from the runner.
import type { ClientJob, ClientKind, ClientResult } from "../clients/job";
import type { ClientRunner } from "./child";
import type { BenchEmulator } from "./emulator";
import type { BenchFile, FileSet } from "./files";

export interface BenchSettings {
  quick: boolean;
  /** Size of the "large file" (150 MiB full, 32 MiB quick). */
  largeFileBytes: number;
  /** Size of each of the eight "several files" (20 MiB full, 4 MiB quick). */
  smallFileBytes: number;
  manyFileCount: number;
  loopbackRuns: number;
  linkRuns: number;
  manyRuns: number;
  browserRuns: number;
  paneRuns: number;
  /** Rebuild dist/ when it is older than src/ (false: measure dist/ as it is). */
  buildPane: boolean;
  /** Range size for the engine and the SDK alike. */
  chunkSize: number;
}

export interface BenchContext {
  settings: BenchSettings;
  emulator: BenchEmulator;
  files: FileSet;
  clients: ClientRunner;
  log(line: string): void;
}

/** Runs one client on fresh drafts in a freshly reset emulator (bounded disk, same start state). */
export async function runClient(
  ctx: BenchContext,
  client: ClientKind,
  files: BenchFile[],
  extra: Partial<ClientJob> = {}
): Promise<ClientResult> {
  await ctx.emulator.reset();
  const itemIds = await ctx.emulator.newDrafts(files.length);
  const job: ClientJob = {
    client,
    files: files.map(({ path, name, size }) => ({ path, name, size })),
    graphUrl: ctx.emulator.graphUrl,
    token: ctx.emulator.token,
    mailbox: "me",
    itemKind: "message",
    itemIds,
    chunkSize: ctx.settings.chunkSize,
    ...extra,
  };
  const result = await ctx.clients.run(job);
  if (result.attachmentIds.some((id) => !id)) {
    throw new Error(`${client} finished without an attachment id for every file.`);
  }
  // A fast upload of the wrong bytes is no result: compare what the emulator stored.
  const stored = ctx.emulator.attachments();
  for (const file of files) {
    if (!stored.some((a) => a.name === file.name && a.sha256 === file.sha256)) {
      throw new Error(`${client}: the emulator holds no intact copy of ${file.name}.`);
    }
  }
  return result;
}
