// Many files: a small store (subscribe/getState, read by the task pane with useSyncExternalStore)
// over attachFile. Files run concurrently up to `concurrency`; each file's ranges stay sequential.
import { attachFile } from "./attach";
import {
  AbortError,
  HttpError,
  MessageSizeExceededError,
  NetworkError,
  PauseRequest,
  RestrictionError,
  SharedMailboxForbiddenError,
  UploadError,
  canRetry,
} from "./errors";
import { StallError } from "./stall";
import { discardSession } from "./transport";
import type {
  AttachResult,
  DriveTarget,
  LinkChoice,
  ResumeRecord,
  ShareResult,
  TokenProvider,
  UploadFile,
  UploadOptions,
  UploadPhase,
  UploadProgress,
  UploadRoute,
  UploadTarget,
} from "./types";
import { MAX_DRIVE_FILE_SIZE, checkDriveFile, chooseRoute } from "./routing";

/** The OneDrive route's engine code (drive.ts), which a queue loads the first time it shares a file. */
export type DriveRoute = Pick<typeof import("./drive"), "shareFile">;

/**
 * By default `import("./drive")`: in the task pane's build that is the "share" chunk (with the
 * share settings and the body insertion, src/taskpane/share-chunk.ts), fetched after the pane is
 * interactive (bench scenario "pane"), so a first script without the drive route.
 */
const importDriveRoute = (): Promise<DriveRoute> =>
  import(/* webpackChunkName: "share" */ "./drive");

/**
 * Three files at a time: browsers open at most six HTTP/1.1 connections per origin, and three
 * leaves room for Graph calls and the page; on one uplink more parallel streams do not add
 * throughput, they only hold more ranges in flight.
 */
export const DEFAULT_CONCURRENCY = 3;

export interface QueueFileState {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly route?: UploadRoute;
  readonly phase: UploadPhase;
  readonly progress: UploadProgress;
  readonly error?: UploadError;
  readonly result?: AttachResult;
  /** Route "drive", phase "shared": where the file went and its link. */
  readonly shared?: ShareResult;
  /** When the engine will try again (phase "retrying" / "waiting-for-item"), ms since epoch. */
  readonly retryAt?: number;
  /** What the engine is retrying after (phase "retrying"): the pane words the row from it. */
  readonly retryReason?: RetryReason;
  /** With retryReason "stall": how long nothing moved before the request was given up, ms. */
  readonly stalledMs?: number;
  /** A resumable session exists (pause, reload). */
  readonly resumable: boolean;
}

/** A silent connection (StallError), a dropped one, the server asking to slow down, or anything else. */
export type RetryReason = "stall" | "network" | "throttled" | "other";

/** The row's retry fields for an engine phase report: set only while "retrying". */
export function retryFields(
  phase: UploadPhase,
  error: unknown
): Pick<QueueFileState, "retryReason" | "stalledMs"> {
  if (phase !== "retrying") return { retryReason: undefined, stalledMs: undefined };
  if (error instanceof StallError) return { retryReason: "stall", stalledMs: error.ms };
  const reason: RetryReason =
    error instanceof NetworkError
      ? "network"
      : error instanceof HttpError && (error.status === 429 || error.status === 503)
        ? "throttled"
        : "other";
  return { retryReason: reason, stalledMs: undefined };
}

/**
 * Whether a row may be retried: a cancelled file, or a failed one whose error says retrying can
 * help (`canRetry`). A file refused before any network call (no route) never. The queue's
 * `retry`/`retryAll`, the pane's row Retry and Retry all read this one rule.
 */
export function canRetryFile(file: Pick<QueueFileState, "phase" | "error" | "route">): boolean {
  if (file.route === undefined) return false;
  return file.phase === "cancelled" || (file.phase === "failed" && canRetry(file.error));
}

/**
 * Whether a row may go to OneDrive as a link instead: it failed because the item cannot take it —
 * the tenant's message size (ErrorMessageSizeExceeded, part-way or at creation), over 150 MB at
 * pick, or a shared mailbox Graph will not attach to — and OneDrive can take it (1 byte … 250 GB).
 * The queue still holds its File, so
 * `shareInstead(id)` needs no re-pick. The pane's "Share as a link (instead)" reads this one rule.
 */
export function canShareFile(
  file: Pick<QueueFileState, "phase" | "error" | "route" | "size">
): boolean {
  if (file.phase !== "failed" || file.route === "drive") return false;
  if (!(file.size > 0 && file.size <= MAX_DRIVE_FILE_SIZE)) return false; // OneDrive's own limits
  const error = file.error;
  return (
    error instanceof MessageSizeExceededError ||
    error instanceof SharedMailboxForbiddenError ||
    (error instanceof RestrictionError &&
      (error.reason === "too-large" || error.reason === "shared-mailbox"))
  );
}

export interface QueueState {
  readonly files: readonly QueueFileState[];
  /** Sum over files that are not cancelled. */
  readonly total: UploadProgress;
  readonly active: number;
  /** Nothing queued or running. */
  readonly idle: boolean;
}

export interface QueueEvents {
  added: { id: string };
  /** `retryAt` and `error` come with "retrying" and "waiting-for-item": when, and what failed. */
  phase: { id: string; phase: UploadPhase; retryAt?: number; error?: UploadError };
  attached: { id: string; result: AttachResult };
  /** Route "drive": the file is in OneDrive and has its link. */
  shared: { id: string; result: ShareResult };
  failed: { id: string; error: UploadError };
  cancelled: { id: string };
  idle: QueueState;
}

/** The drive route of a queue (DESIGN.md §2b). */
export interface QueueShareOptions {
  target: DriveTarget;
  /** Its own provider: Files.ReadWrite is asked for only when a file is first shared. */
  getToken: TokenProvider;
  link: LinkChoice;
  /**
   * Where the drive route's code comes from (default: `import("./drive")` when a file is first
   * shared). Node run through `tsx/cjs` (the CLI) cannot import() a TypeScript module and passes it
   * in. A failed load (the pane offline) fails the row with a NetworkError; Retry loads it again.
   */
  loadRoute?: () => Promise<DriveRoute>;
}

export interface UploadQueueOptions {
  target: UploadTarget;
  getToken: TokenProvider;
  /** The OneDrive link route; without it `add(…, { route: "drive" })` and `shareInstead` throw. */
  share?: QueueShareOptions;
  concurrency?: number;
  /** Engine options for every file (signal, resume and callbacks are the queue's own). */
  uploadOptions?: Partial<
    Omit<UploadOptions, "signal" | "resume" | "onProgress" | "onPhase" | "onResumeRecord">
  >;
  /** Persist resume records (e.g. localStorage); null = delete. */
  onResumeRecord?(id: string, file: UploadFile, record: ResumeRecord | null): void;
  /** For tests: the engine entry point. */
  attach?: typeof attachFile;
  /**
   * The one per-file strategy besides the engine: the compose form's own attach API (the pane injects it from
   * src/office). `plan` says "form" or "graph" before any network call (or throws an UploadError to refuse);
   * `attach` resolves null when the form refused the file after all, and the engine then takes it.
   */
  attachThroughForm?: {
    plan(file: UploadFile): "form" | "graph";
    attach(file: UploadFile, signal: AbortSignal): Promise<{ attachmentId: string } | null>;
  };
}

interface Entry {
  state: QueueFileState;
  file: UploadFile;
  target: UploadTarget;
  record?: ResumeRecord;
  controller?: AbortController;
  running: boolean;
}

type Listener<K extends keyof QueueEvents> = (payload: QueueEvents[K]) => void;

/** Queued and never begun: no byte sent, no session to continue (so nothing on the server). */
function notStarted(entry: Entry): boolean {
  const { phase, progress, resumable } = entry.state;
  return (
    !entry.running && phase === "queued" && progress.bytesSent === 0 && !resumable && !entry.record
  );
}

export class UploadQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Map<keyof QueueEvents, Set<Listener<never>>>();
  private readonly concurrency: number;
  private readonly attach: typeof attachFile;
  private nextId = 0;
  private snapshot: QueueState = {
    files: [],
    total: { bytesSent: 0, bytesAcknowledged: 0, bytesTotal: 0 },
    active: 0,
    idle: true,
  };

  constructor(private readonly options: UploadQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.attach = options.attach ?? attachFile;
  }

  /**
   * Adds files (optionally with a resume record each); returns their ids. Restricted files fail at
   * once. `route: "drive"` shares them as OneDrive links (the `share` option); a resume record
   * whose route is "drive" takes that route too.
   */
  add(
    files: UploadFile | UploadFile[],
    extra: {
      target?: UploadTarget;
      resume?: (ResumeRecord | undefined)[];
      route?: "drive";
    } = {}
  ) {
    const list = Array.isArray(files) ? files : [files];
    const ids = list.map((file, index) => {
      const id = `file-${++this.nextId}`;
      const record = extra.resume?.[index];
      const drive = extra.route === "drive" || record?.route === "drive";
      if (drive) this.requireShare(); // a setup mistake, not a row's failure
      let route: UploadRoute | undefined;
      let error: UploadError | undefined;
      try {
        route = drive ? this.driveRoute(file) : this.planRoute(file);
      } catch (e) {
        error = e as UploadError;
      }
      this.entries.set(id, {
        file,
        target: extra.target ?? this.options.target,
        record,
        running: false,
        state: {
          id,
          name: file.name,
          size: file.size,
          route,
          phase: error ? "failed" : "queued",
          progress: { bytesSent: 0, bytesAcknowledged: 0, bytesTotal: file.size },
          error,
          resumable: record !== undefined,
        },
      });
      this.emit("added", { id });
      if (error) this.emit("failed", { id, error });
      return id;
    });
    this.commit();
    this.pump();
    return ids;
  }

  /**
   * Shares a row as a OneDrive link instead (when `canShareFile` says so), with the File the queue
   * already holds: no re-pick. The row keeps its id and starts over on the drive route.
   */
  shareInstead(id: string) {
    const entry = this.entries.get(id);
    if (!entry || entry.running || !canShareFile(entry.state)) return;
    const route = this.driveRoute(entry.file);
    // An attachment session's record is of no use to the drive route (a size refusal DELETEd it).
    if (entry.record) this.setRecord(entry, null);
    this.update(entry, {
      route,
      phase: "queued",
      error: undefined,
      retryAt: undefined,
      progress: { bytesSent: 0, bytesAcknowledged: 0, bytesTotal: entry.file.size },
    });
    this.pump();
  }

  private planRoute(file: UploadFile): UploadRoute {
    return this.options.attachThroughForm?.plan(file) === "form" ? "form" : chooseRoute(file);
  }

  /** The drive route for a file, or a RestrictionError (no name, over OneDrive's 250 GB). */
  private driveRoute(file: UploadFile): "drive" {
    this.requireShare();
    checkDriveFile(file);
    return "drive";
  }

  private requireShare() {
    if (!this.options.share) {
      throw new Error("UploadQueue: the drive route needs the `share` option.");
    }
  }

  getState = (): QueueState => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  on<K extends keyof QueueEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.eventListeners.get(event);
    if (!set) this.eventListeners.set(event, (set = new Set()));
    const stored = listener as Listener<never>;
    set.add(stored);
    return () => set.delete(stored);
  }

  /** Resolves when nothing is queued or running (at once if already so). */
  whenIdle(): Promise<QueueState> {
    if (this.snapshot.idle) return Promise.resolve(this.snapshot);
    return new Promise((resolve) => {
      const off = this.on("idle", (state) => {
        off();
        resolve(state);
      });
    });
  }

  pause(id: string) {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.running) entry.controller?.abort(new PauseRequest());
    else if (entry.state.phase === "queued") this.update(entry, { phase: "paused" });
  }

  resume(id: string) {
    const entry = this.entries.get(id);
    if (!entry || entry.state.phase !== "paused") return;
    this.update(entry, { phase: "queued" });
    this.pump();
  }

  cancel(id: string) {
    const entry = this.entries.get(id);
    if (!entry || ["attached", "cancelled"].includes(entry.state.phase)) return;
    if (entry.running) {
      entry.controller?.abort();
      return;
    }
    if (entry.record) void this.discardRecord(entry.record);
    this.setRecord(entry, null);
    this.update(entry, { phase: "cancelled", retryAt: undefined });
    this.emit("cancelled", { id });
  }

  retry(id: string) {
    const entry = this.entries.get(id);
    if (!entry || !canRetryFile(entry.state)) return;
    const start = entry.record?.offset ?? 0;
    this.update(entry, {
      phase: "queued",
      error: undefined,
      retryAt: undefined,
      progress: { bytesSent: start, bytesAcknowledged: start, bytesTotal: entry.file.size },
    });
    this.pump();
  }

  /**
   * Takes back a file still waiting its first turn (queued, never started, no session): its row
   * leaves the queue and the File is returned, for a caller that learned it cannot go this way —
   * the pane, when a refusal taught it the tenant's limit. Undefined for any other row.
   */
  withdraw(id: string): UploadFile | undefined {
    const entry = this.entries.get(id);
    if (!entry || !notStarted(entry)) return undefined;
    this.entries.delete(id);
    this.commit();
    return entry.file;
  }

  /** Forgets a file that is not running (cancel it first). Its server session, if any, stays: see discard. */
  remove(id: string) {
    const entry = this.entries.get(id);
    if (!entry || entry.running) return;
    this.entries.delete(id);
    this.commit();
  }

  /**
   * The one way to throw a file away: a running upload is cancelled (the engine DELETEs its
   * session); a paused or failed one has its session DELETEd here (bounded by `deleteTimeoutMs`);
   * either way the resume record is dropped (`onResumeRecord(null)`) and the row removed.
   */
  async discard(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.running) {
      const settled = new Promise<void>((resolve) => {
        const offs = (["cancelled", "failed", "attached"] as const).map((event) =>
          this.on(event, (payload) => {
            if (payload.id !== id) return;
            offs.forEach((off) => off());
            resolve();
          })
        );
      });
      entry.controller?.abort();
      await settled;
    }
    const record = entry.record;
    if (record || entry.state.resumable) this.setRecord(entry, null);
    this.entries.delete(id);
    this.commit();
    if (record) await this.discardRecord(record);
  }

  /** DELETEs the session of a record the queue does not run (a resume offer the user declined). */
  discardRecord(record: ResumeRecord): Promise<void> {
    return discardSession(record.uploadUrl, this.options.uploadOptions);
  }

  pauseAll = () => this.ids().forEach((id) => this.pause(id));
  resumeAll = () => this.ids().forEach((id) => this.resume(id));
  cancelAll = () => this.ids().forEach((id) => this.cancel(id));
  retryAll = () => this.ids().forEach((id) => this.retry(id));

  private ids() {
    return [...this.entries.keys()];
  }

  private pump() {
    for (const entry of this.entries.values()) {
      if (this.snapshot.active >= this.concurrency) break;
      if (entry.state.phase === "queued" && !entry.running) this.start(entry);
    }
    this.checkIdle();
  }

  private start(entry: Entry) {
    const { id } = entry.state;
    const controller = new AbortController();
    entry.controller = controller;
    entry.running = true;
    this.update(entry, {
      phase:
        entry.state.route === "session" || entry.state.route === "drive"
          ? "creating-session"
          : "uploading",
    });
    const engineOptions: Partial<UploadOptions> = {
      ...this.options.uploadOptions,
      signal: controller.signal,
      resume: entry.record,
      onProgress: (progress) => this.update(entry, { progress }),
      onPhase: (phase, detail) => {
        if (phase === "attached" || phase === "shared") return; // set with the result below
        this.update(entry, {
          phase,
          retryAt: detail?.retryAt,
          ...retryFields(phase, detail?.error),
        });
        const error = detail?.error instanceof UploadError ? detail.error : undefined;
        this.emit("phase", { id, phase, retryAt: detail?.retryAt, error });
      },
      onResumeRecord: (record) => this.setRecord(entry, record),
    };
    const run: Promise<AttachResult | ShareResult> =
      entry.state.route === "drive"
        ? this.runToDrive(entry, engineOptions)
        : entry.state.route === "form"
          ? this.runThroughForm(entry, controller.signal, engineOptions)
          : this.attach(entry.file, entry.target, this.options.getToken, engineOptions);
    run.then(
      (result) => {
        entry.running = false;
        const done = {
          retryAt: undefined,
          progress: {
            bytesSent: result.bytes,
            bytesAcknowledged: result.bytes,
            bytesTotal: result.bytes,
          },
        };
        if (result.route === "drive") {
          this.update(entry, { ...done, phase: "shared", shared: result });
          this.emit("shared", { id, result });
        } else {
          this.update(entry, { ...done, phase: "attached", result });
          this.emit("attached", { id, result });
        }
        this.pump();
      },
      (error: unknown) => {
        entry.running = false;
        if (error instanceof AbortError && error.paused) {
          this.update(entry, { phase: "paused", retryAt: undefined });
        } else if (error instanceof AbortError) {
          this.update(entry, { phase: "cancelled", retryAt: undefined });
          this.emit("cancelled", { id });
        } else {
          const uploadError =
            error instanceof UploadError
              ? error
              : new UploadError("Unexpected failure.", { cause: error });
          this.update(entry, { phase: "failed", error: uploadError, retryAt: undefined });
          this.emit("failed", { id, error: uploadError });
        }
        this.pump();
      }
    );
  }

  /** The drive route: the item the link is for goes into its resume records (kept per item). */
  private async runToDrive(
    entry: Entry,
    engineOptions: Partial<UploadOptions>
  ): Promise<ShareResult> {
    const share = this.options.share!;
    const { mailbox, itemKind, itemId } = entry.target;
    const { shareFile } = await (share.loadRoute ?? importDriveRoute)().catch((cause: unknown) => {
      throw new NetworkError("The OneDrive route's code could not be loaded.", { cause });
    });
    return shareFile(
      entry.file,
      { ...share.target, item: { mailbox, itemKind, itemId } },
      share.getToken,
      { ...engineOptions, link: share.link }
    );
  }

  /** The compose form's attach API: no byte progress (it takes the whole file); the engine if the form refuses. */
  private async runThroughForm(
    entry: Entry,
    signal: AbortSignal,
    engineOptions: Partial<UploadOptions>
  ): Promise<AttachResult> {
    const started = Date.now();
    let added: { attachmentId: string } | null;
    try {
      added = await this.options.attachThroughForm!.attach(entry.file, signal);
    } catch (error) {
      if (signal.aborted) throw new AbortError(signal.reason instanceof PauseRequest);
      throw error instanceof UploadError
        ? error
        : new UploadError("The compose form could not add the file.", { cause: error });
    }
    if (added)
      return {
        attachmentId: added.attachmentId,
        route: "form",
        bytes: entry.file.size,
        ms: Date.now() - started,
      };
    const route = chooseRoute(entry.file);
    this.update(entry, { route, phase: route === "session" ? "creating-session" : "uploading" });
    return this.attach(entry.file, entry.target, this.options.getToken, engineOptions);
  }

  private setRecord(entry: Entry, record: ResumeRecord | null) {
    entry.record = record ?? undefined;
    if (entry.state.resumable !== (record !== null))
      this.update(entry, { resumable: record !== null });
    this.options.onResumeRecord?.(entry.state.id, entry.file, record);
  }

  private update(entry: Entry, patch: Partial<QueueFileState>) {
    const next = { ...entry.state, ...patch };
    const changed = (Object.keys(patch) as (keyof QueueFileState)[]).some((key) =>
      key === "progress"
        ? !sameProgress(entry.state.progress, next.progress)
        : entry.state[key] !== next[key]
    );
    if (!changed) return;
    entry.state = next;
    this.commit();
  }

  /** A new snapshot object only when something changed, so useSyncExternalStore re-renders exactly then. */
  private commit() {
    const files = [...this.entries.values()].map((e) => e.state);
    const total = { bytesSent: 0, bytesAcknowledged: 0, bytesTotal: 0 };
    let active = 0;
    let pending = 0;
    for (const entry of this.entries.values()) {
      if (entry.running) active++;
      if (entry.state.phase === "queued" || entry.running) pending++;
      if (entry.state.phase === "cancelled") continue;
      total.bytesSent += entry.state.progress.bytesSent;
      total.bytesAcknowledged += entry.state.progress.bytesAcknowledged;
      total.bytesTotal += entry.state.progress.bytesTotal;
    }
    this.snapshot = Object.freeze({
      files: Object.freeze(files),
      total: Object.freeze(total),
      active,
      idle: pending === 0,
    });
    for (const listener of this.listeners) listener();
  }

  private wasIdle = true;
  private checkIdle() {
    if (this.snapshot.idle && !this.wasIdle) this.emit("idle", this.snapshot);
    this.wasIdle = this.snapshot.idle;
  }

  private emit<K extends keyof QueueEvents>(event: K, payload: QueueEvents[K]) {
    const set = this.eventListeners.get(event) as Set<Listener<K>> | undefined;
    set?.forEach((listener) => listener(payload));
  }
}

function sameProgress(a: UploadProgress, b: UploadProgress) {
  return (
    a.bytesSent === b.bytesSent &&
    a.bytesAcknowledged === b.bytesAcknowledged &&
    a.bytesTotal === b.bytesTotal
  );
}
