// One trial: a fresh draft on the emulator, the trial's file through the engine with one fault
// armed at its moment, then the observation (attachments with their $value hashes, open sessions)
// and the classification. A drive trial shares the file through OneDrive instead (shareFile into
// the default folder); the same driver, resume rule and classifier judge it, from the drive's
// files (the emulator's SHA-256 of what it stored, every `rename` copy counted) and its sessions. The faults are driven from the engine's own callbacks (range k done →
// arm), so "at range k" means the same thing on a fast or a slow machine.
import {
  attachFile,
  DEFAULT_SHARE_OPTIONS,
  shareFile,
  UploadError,
  withUploadOrigins,
  type ResumeRecord,
  type ShareResult,
  type TokenProvider,
  type UploadFile,
  type UploadOptions,
  type UploadTarget,
} from "../../src/upload";
import { classify, findSecrets, type Settled } from "./classify";
import { createFaultDriver, type ChaosEmulator } from "./faults";
import { openTrialFile } from "./file-pool";
import type { TrialRecord } from "./report";
import { acceptableOutcomes, describeTrial, stallCount, successLabel, type Trial } from "./trials";

export interface TrialEnv {
  emulator: ChaosEmulator;
  poolPath: string;
  /** Unhandled rejections seen while the trial ran (the caller owns the process listener). */
  unhandled: string[];
  /** Replays print what the engine went through (phases, errors) through this. */
  trace?: (line: string) => void;
}

/**
 * Stall detection, short so a stalled trial costs seconds: no body progress for 750 ms, no answer
 * 1.5 s after the last byte. Loopback moves a 4 MiB range in milliseconds, so on 2 busy cores a
 * spurious timeout is rare — and harmless: it is retried like any dropped connection.
 */
export const CHAOS_STALL_TIMEOUTS = { stallTimeoutMs: 750, answerTimeoutMs: 1_500 };

/** Engine options for the matrix: the defaults' shape with short waits (a trial must not sleep for real). */
const CHAOS_ENGINE_OPTIONS: Partial<UploadOptions> = {
  retryDelays: [20, 40, 80, 160, 320, 640],
  maxRetryDelayMs: 2_500, // honours Retry-After up to 2 s, the largest the matrix sends
  deleteTimeoutMs: 3_000,
  ...CHAOS_STALL_TIMEOUTS,
};

/**
 * A trial that has not settled by then hangs: 30 s plus 1 s per 4 MiB, generous for 2 busy cores,
 * plus, under a stall, the longest the engine may wait on the stalled attempts (each one ends at
 * the answer timeout at most; the retry delays are inside the 30 s).
 */
export function hangBoundMs(trial: Trial): number {
  return (
    30_000 +
    Math.ceil(trial.size / (4 * 1024 * 1024)) * 1_000 +
    stallCount(trial.fault) * CHAOS_STALL_TIMEOUTS.answerTimeoutMs
  );
}

export async function runTrial(env: TrialEnv, trial: Trial): Promise<TrialRecord> {
  const started = Date.now();
  const { emulator } = env;
  await emulator.resetFaults(trial.seed, { ...trial.quirks });
  const userToken = emulator.issueToken();
  const name = `chaos-${trial.seed}.bin`;
  const { file, sha256 } = await openTrialFile(env.poolPath, trial, name);
  const expected = sha256();
  const route = trial.route === "drive" ? driveRoute(emulator) : itemRoute(emulator, trial);

  const secrets = new Set<string>([userToken]);
  const said: string[] = []; // everything the engine told us, scanned for secrets afterwards
  const driver = createFaultDriver(emulator, trial, secrets);
  const getToken: TokenProvider = (request) => driver.getToken(request);
  const controller = new AbortController();
  driver.onCancel(() => controller.abort());
  let record: ResumeRecord | null = null;
  const seenUrls = new Set<string>();

  const options: Partial<UploadOptions> = {
    ...CHAOS_ENGINE_OPTIONS,
    // The emulator's loopback upload host, both spellings (its uploadHost quirk), explicitly allowed.
    allowedUploadOrigins: withUploadOrigins(
      emulator.uploadOrigin,
      `http://localhost:${new URL(emulator.uploadOrigin).port}`
    ),
    // The drive route keeps its own range size (320 KiB multiples); the generator drew one.
    ...(trial.route === "drive"
      ? { driveChunkSize: trial.chunkSize }
      : { chunkSize: trial.chunkSize }),
    signal: controller.signal,
    ...(env.trace ? { fetch: tracedFetch(env.trace) } : {}),
    onChunkComplete: () => driver.rangeDone(),
    onPhase: (phase, detail) => {
      if (detail?.error instanceof Error) said.push(detail.error.message);
      env.trace?.(
        `  phase ${phase}${detail?.error instanceof Error ? ` (${detail.error.name}: ${detail.error.message})` : ""}`
      );
    },
    onResumeRecord: (r) => {
      if (r && r.uploadUrl !== record?.uploadUrl && !seenUrls.has(r.uploadUrl)) {
        seenUrls.add(r.uploadUrl);
        secrets.add(new URL(r.uploadUrl).searchParams.get("authtoken") ?? r.uploadUrl);
        driver.sessionCreated();
      }
      record = r;
    },
  };

  const bound = hangBoundMs(trial);
  await driver.arm();
  let settled = await settle(route.upload(file, getToken, options), bound);
  let resumed = false;
  // A retryable failure that kept its resume record is what the pane offers "Retry" for: take it
  // once, with the fault switched off, as a user would. The record must lead somewhere clean.
  const held = record as ResumeRecord | null;
  if (
    settled.kind === "error" &&
    held &&
    settled.error instanceof UploadError &&
    settled.error.retryable
  ) {
    said.push(settled.error.message);
    await driver.disarm();
    resumed = true;
    settled = await settle(
      route.upload(file, getToken, { ...options, resume: held, signal: undefined }),
      bound
    );
  }
  if (settled.kind === "hang") controller.abort(); // stop it before the next trial starts
  await driver.disarm();
  if (settled.kind === "error") {
    const error = settled.error as Error;
    said.push(String(error?.message ?? error));
    env.trace?.(`  error ${error?.name}: ${error?.message}`);
  }

  const stored = await route.observe(userToken, name);
  const outcome = classify({
    settled,
    expectedSha256: await expected,
    attachments: stored.files,
    openSessions: stored.openSessions,
    linkMissing: stored.linkMissing,
    success: successLabel(trial),
    unhandledRejections: env.unhandled.splice(0),
    leakedSecrets: said.flatMap((text) => findSecrets(text, secrets)),
    resumed,
    acceptable: acceptableOutcomes(trial),
  });
  return {
    seed: trial.seed,
    fault: trial.fault.kind,
    size: trial.size,
    outcome,
    ms: Date.now() - started,
    description: describeTrial(trial),
    route: trial.route,
  };
}

/** Where a trial's file goes and what is read back from there afterwards. */
interface TrialRoute {
  /** Resolves with the id of what was stored (attachment id, or driveItem id). */
  upload(
    file: UploadFile,
    getToken: TokenProvider,
    options: Partial<UploadOptions>
  ): Promise<string>;
  observe(
    token: string,
    name: string
  ): Promise<{
    files: { id: string; sha256: string }[];
    openSessions: number;
    linkMissing?: boolean;
  }>;
}

/** attachFile to a fresh draft or event; read back: its attachments' $value, its open sessions. */
function itemRoute(emulator: ChaosEmulator, trial: Trial): TrialRoute {
  const itemId = emulator.createItem(trial.itemKind);
  const target: UploadTarget = {
    graphBaseUrl: emulator.graphUrl,
    mailbox: "me",
    itemKind: trial.itemKind,
    itemId,
  };
  return {
    upload: (file, getToken, options) =>
      attachFile(file, target, getToken, options).then((r) => r.attachmentId),
    observe: async (token, name) => ({
      files: await emulator.attachmentsNamed(token, trial.itemKind, itemId, name),
      openSessions: emulator.openSessionsFor(itemId),
    }),
  };
}

/**
 * shareFile into the default folder; read back: the folder's files of that name or a `rename` of
 * it (a retried session must not leave "name 1.bin"), the open drive sessions, and whether the
 * link the engine returned is one the stored file has.
 */
function driveRoute(emulator: ChaosEmulator): TrialRoute {
  const folder = DEFAULT_SHARE_OPTIONS.folder;
  let shared: ShareResult | undefined;
  return {
    async upload(file, getToken, options) {
      shared = await shareFile(
        file,
        { graphBaseUrl: emulator.graphUrl, drive: "me", folder },
        getToken,
        options
      );
      return shared.driveItemId;
    },
    async observe(_token, name) {
      const files = emulator.driveFilesNamed(folder, name);
      const link = shared?.link.webUrl;
      return {
        files,
        openSessions: emulator.openDriveSessions(),
        linkMissing: shared !== undefined && !files.some((f) => link && f.linkUrls.includes(link)),
      };
    },
  };
}

async function settle(promise: Promise<string>, boundMs: number): Promise<Settled> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "hang", boundMs }), boundMs);
  });
  const result = promise.then(
    (id): Settled => ({ kind: "attached", attachmentId: id }),
    (error: unknown): Settled => ({ kind: "error", error })
  );
  try {
    return await Promise.race([result, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Requests as a replay shows them: method, Graph path or "[upload-url]" (a secret), Content-Range, status. */
function tracedFetch(trace: (line: string) => void): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const where = url.pathname.startsWith("/v1.0/") ? url.pathname : "[upload-url]";
    const range = new Headers(init?.headers).get("content-range");
    try {
      const response = await fetch(input, init);
      trace(`  ${init?.method ?? "GET"} ${where}${range ? ` ${range}` : ""} → ${response.status}`);
      return response;
    } catch (error) {
      trace(
        `  ${init?.method ?? "GET"} ${where}${range ? ` ${range}` : ""} → ${(error as Error).name}`
      );
      throw error;
    }
  };
}
