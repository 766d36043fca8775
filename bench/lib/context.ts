// What every scenario gets from the runner.
import { STALLED, type ClientJob, type ClientKind, type ClientResult } from "../clients/job";
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
  /** Range size for the engine and the SDK alike (the attachment route; the drive route keeps its own). */
  chunkSize: number;
  /** The OneDrive route's big file (1 GiB full, 256 MiB quick), beside largeFileBytes. */
  hugeFileBytes: number;
  /** Runs per client and size of the OneDrive loopback scenario. */
  driveRuns: number;
}

export interface BenchContext {
  settings: BenchSettings;
  emulator: BenchEmulator;
  files: FileSet;
  clients: ClientRunner;
  log(line: string): void;
  /** Runs of a client that stalled and were run again (the SDK's StreamUpload), by client. */
  stalls?: Map<ClientKind, number>;
}

/** A stalled client is run again, at most this many times per measurement. */
const STALL_RETRIES = 3;

/** Runs one client on fresh drafts in a freshly reset emulator (bounded disk, same start state). */
export async function runClient(
  ctx: BenchContext,
  client: ClientKind,
  files: BenchFile[],
  extra: Partial<ClientJob> = {}
): Promise<ClientResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runClientOnce(ctx, client, files, extra);
    } catch (error) {
      const stalled = error instanceof Error && error.message.includes(STALLED);
      if (!stalled || attempt >= STALL_RETRIES) throw error;
      ctx.stalls ??= new Map();
      ctx.stalls.set(client, (ctx.stalls.get(client) ?? 0) + 1);
      ctx.log(`  ${client} stalled (its upload promise never settled); running it again`);
    }
  }
}

/** A note for a scenario's results when one of its clients stalled and was run again. */
export function stallNotes(ctx: BenchContext, clients: ClientKind[]): string[] {
  return clients.flatMap((client) => {
    const count = ctx.stalls?.get(client) ?? 0;
    return count
      ? [
          `${client} stalled ${count} time(s) in this run (its upload promise never settled: ` +
            `StreamUpload waits for a "readable" event that never comes) and was run again; ` +
            `the stalled attempts are not in the times.`,
        ]
      : [];
  });
}

async function runClientOnce(
  ctx: BenchContext,
  client: ClientKind,
  files: BenchFile[],
  extra: Partial<ClientJob>
): Promise<ClientResult> {
  await ctx.emulator.reset();
  const itemIds = await ctx.emulator.newDrafts(files.length);
  const job: ClientJob = {
    client,
    files: files.map(({ path, name, size }) => ({ path, name, size })),
    graphUrl: ctx.emulator.graphUrl,
    uploadOrigin: ctx.emulator.uploadOrigin,
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
  const stored = client.startsWith("drive-")
    ? ctx.emulator.driveFiles()
    : ctx.emulator.attachments();
  for (const file of files) {
    if (!stored.some((a) => a.name === file.name && a.sha256 === file.sha256)) {
      throw new Error(`${client}: the emulator holds no intact copy of ${file.name}.`);
    }
  }
  return result;
}
