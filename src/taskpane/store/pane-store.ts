// The pane's one store (after Uppy's @uppy/core store): the engine's UploadQueue plus the UI state
// around it — the target, offline, the learned tenant limit, resume offers, refusals, verification and
// announcements. Components read it with useSyncExternalStore and call its actions; they never own
// upload state.
import type { OutlookErrorCode } from "../../office";
import { findMissing } from "../../commands/send-guard";
import { MessageSizeExceededError, RestrictionError } from "../../upload/errors";
import { discardSession as discardUploadSession } from "../../upload/transport";
import { DEFAULT_UPLOAD_OPTIONS, withUploadOrigins } from "../../upload/options";
import { UploadQueue, type QueueFileState, type QueueState } from "../../upload/queue";
import { canResume, fingerprintMatches } from "../../upload/resume";
import { MAX_ATTACHMENT_SIZE } from "../../upload/routing";
import type { ResumeRecord, UploadFile, UploadPhase } from "../../upload/types";
import type { StringKey } from "../locales";
import type { ComposeTarget, PaneDeps, Visibility } from "./host";
import { createRateMeter, type Rate, type RateMeter } from "./rate";
import { ResumeStore, fingerprintOf } from "./resume-storage";

export type Notice = { id: number } & (
  | { kind: "too-large"; name: string; size: number }
  | { kind: "over-limit"; name: string; projected: number; limit: number; learned: boolean }
  | { kind: "duplicate"; name: string }
  | { kind: "resume-mismatch"; name: string; expected: string }
  | { kind: "empty-name" }
);

export interface ResumeOffer {
  fingerprint: string;
  name: string;
  size: number;
  offset: number;
  expired: boolean;
}

export type Verification = "checking" | Visibility;

export interface Announcement {
  seq: number;
  key: StringKey;
  values: Record<string, string | number>;
}

/** The Outlook adapter's error codes, or "unknown" for anything else getComposeTarget threw. */
export type TargetErrorCode = OutlookErrorCode | "unknown";

export interface PaneState {
  status: "loading" | "ready" | "error";
  targetError?: TargetErrorCode;
  target?: ComposeTarget;
  queue: QueueState;
  offline: boolean;
  /** Files paused because the browser went offline (resumed when it is back). */
  pausedOffline: readonly string[];
  messageSizeLimit: number;
  /** True once Graph refused with ErrorMessageSizeExceeded and the limit was lowered from it. */
  limitLearned: boolean;
  notices: readonly Notice[];
  resumeOffers: readonly ResumeOffer[];
  rates: Readonly<Record<string, Rate>>;
  verification: Readonly<Record<string, Verification>>;
  announcement?: Announcement;
  /** getComposeTarget asked whether the meeting may be saved; the UI answers with answerMeetingSave. */
  confirmingMeetingSave: boolean;
  /** False where Outlook cannot run the Send guard (then the pane watches the item itself). */
  sendGuard?: boolean;
  /** Files attached through Graph that are no longer on the server item (the form saved over them). */
  lost: Readonly<Record<string, true>>;
}

const EMPTY_QUEUE: QueueState = {
  files: [],
  total: { bytesSent: 0, bytesAcknowledged: 0, bytesTotal: 0 },
  active: 0,
  idle: true,
};

const RUNNING_PHASES: ReadonlySet<UploadPhase> = new Set<UploadPhase>([
  "queued",
  "waiting-for-item",
  "creating-session",
  "uploading",
  "retrying",
  "verifying",
]);
/** Phases whose bytes count towards the item's projected size. */
const COUNTED_PHASES: ReadonlySet<UploadPhase> = new Set<UploadPhase>([
  ...RUNNING_PHASES,
  "paused",
  "attached",
]);

/** Queued or moving: the row offers Pause, and the store pauses it when the browser goes offline. */
export function isRunning(phase: UploadPhase) {
  return RUNNING_PHASES.has(phase);
}

export type PaneStore = ReturnType<typeof createPaneStore>;

export function createPaneStore(deps: PaneDeps) {
  const now = deps.now ?? Date.now;
  const listeners = new Set<() => void>();
  let queue: UploadQueue | undefined;
  let resumeStore: ResumeStore | undefined;
  const records = new Map<string, ResumeRecord>();
  const fingerprints = new Map<string, string>();
  const meters = new Map<string, RateMeter>();
  let noticeSeq = 0;
  let announceSeq = 0;
  let meetingAnswer: ((ok: boolean) => void) | undefined;

  let state: PaneState = {
    status: "loading",
    queue: EMPTY_QUEUE,
    offline: false,
    pausedOffline: [],
    messageSizeLimit: deps.config.messageSizeLimit,
    limitLearned: false,
    notices: [],
    resumeOffers: [],
    rates: {},
    verification: {},
    confirmingMeetingSave: false,
    lost: {},
  };
  const graphFiles = new Map<string, { attachmentId?: string; name: string; size: number }>();
  let watcher: ReturnType<typeof setInterval> | undefined;

  function set(patch: Partial<PaneState>) {
    state = { ...state, ...patch };
    listeners.forEach((listener) => listener());
  }

  function announce(key: StringKey, values: Record<string, string | number>) {
    set({ announcement: { seq: ++announceSeq, key, values } });
  }

  function notify(
    notice: Notice extends infer N ? (N extends { id: number } ? Omit<N, "id"> : never) : never
  ) {
    set({ notices: [...state.notices, { ...notice, id: ++noticeSeq } as Notice] });
  }

  function projectedBytes(excludeId?: string) {
    return state.queue.files
      .filter((f) => f.id !== excludeId && COUNTED_PHASES.has(f.phase))
      .reduce((sum, f) => sum + f.size, 0);
  }

  let pendingFlush: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;
  /**
   * XHR reports progress many times a second per file; rendering each one costs the upload CPU on a
   * busy machine. Progress is published at most every `progressIntervalMs`; anything else at once.
   */
  function onQueueChange() {
    if (!queue) return;
    const interval = deps.progressIntervalMs ?? 0;
    const snapshot = queue.getState();
    const onlyProgress =
      snapshot.files.length === state.queue.files.length &&
      snapshot.files.every(
        (f, i) => f.id === state.queue.files[i].id && f.phase === state.queue.files[i].phase
      );
    const wait = lastFlush + interval - now();
    if (interval > 0 && onlyProgress && wait > 0) {
      pendingFlush ??= setTimeout(() => {
        pendingFlush = undefined;
        publishQueue();
      }, wait);
      return;
    }
    publishQueue();
  }

  function publishQueue() {
    if (!queue) return;
    if (pendingFlush) clearTimeout(pendingFlush);
    pendingFlush = undefined;
    lastFlush = now();
    const snapshot = queue.getState();
    const at = now();
    const rates: Record<string, Rate> = {};
    for (const file of snapshot.files) {
      let meter = meters.get(file.id);
      if (file.phase !== "uploading") {
        meter?.reset();
        continue;
      }
      if (!meter) meters.set(file.id, (meter = createRateMeter()));
      const rate = meter.sample(file.progress.bytesAcknowledged, file.progress.bytesTotal, at);
      if (rate) rates[file.id] = rate;
    }
    set({ queue: snapshot, rates });
  }

  function createQueue(target: ComposeTarget) {
    const q = new UploadQueue({
      target: {
        graphBaseUrl: deps.config.graphBaseUrl,
        mailbox: target.mailbox,
        itemKind: target.kind,
        itemId: target.restId,
      },
      getToken: deps.getToken,
      attach: deps.attach,
      attachThroughForm: formStrategy(target),
      uploadOptions: {
        transport: deps.transport,
        allowedUploadOrigins: withUploadOrigins(...(deps.config.uploadOrigins ?? [])),
        // A draft may take seconds to minutes to reach the server (cached mode), whoever saved it:
        // the wait is armed on the first 404 of the item.
        itemWaitMs: 120_000,
        ...deps.uploadOptions,
      },
      onResumeRecord: (id, file, record) => {
        if (record) {
          records.set(id, record);
          resumeStore?.put(record);
        } else {
          records.delete(id);
          resumeStore?.remove(fingerprintOf(file));
        }
      },
    });
    q.subscribe(onQueueChange);
    q.on("attached", ({ id, result }) => {
      const name = q.getState().files.find((f) => f.id === id)?.name ?? "";
      announce("announceAttached", { name });
      if (result.route !== "form") {
        graphFiles.set(id, {
          ...(result.attachmentId ? { attachmentId: result.attachmentId } : {}),
          name,
          size: result.bytes,
        });
        void remember(target, result.attachmentId, name, result.bytes);
      }
      void verify(id, result.attachmentId, name);
      if (result.route !== "form") watchIfUnguarded(target);
    });
    q.on("failed", ({ id, error }) => {
      const file = q.getState().files.find((f) => f.id === id);
      if (error instanceof MessageSizeExceededError && file) learnLimit(file);
      announce("announceFailed", { name: file?.name ?? "" });
    });
    return q;
  }

  /** The compose form's own attach API where the adapter offers it; its refusal becomes a row's RestrictionError. */
  function formStrategy(target: ComposeTarget) {
    const route = deps.host.composeFormRoute?.(target);
    if (!route) return undefined;
    return {
      plan(file: UploadFile) {
        try {
          return route.plan(file);
        } catch (error) {
          throw new RestrictionError("shared-mailbox", (error as Error).message);
        }
      },
      attach: (file: UploadFile, signal: AbortSignal) => route.attach(file, signal),
    };
  }

  /** Tells the Send guard (event runtime) what to look for on the server item before the message leaves. */
  async function remember(target: ComposeTarget, attachmentId: string, name: string, size: number) {
    const file = { ...(attachmentId ? { attachmentId } : {}), name, size };
    const recorded = await deps.host.recordAttached?.(target, file).catch(() => false);
    if (recorded === false && state.sendGuard !== false) set({ sendGuard: false });
  }

  /**
   * Where Outlook runs no Send guard, the open pane watches instead: it lists the server item's attachments now
   * and then and says loudly when one it attached is gone. Each check is bounded (10 s).
   */
  function watchIfUnguarded(target: ComposeTarget) {
    const interval = deps.watchIntervalMs ?? 15_000;
    if (watcher || interval <= 0 || deps.host.canGuardSend?.() !== false) return;
    if (state.sendGuard !== false) set({ sendGuard: false });
    watcher = setInterval(() => void checkStillAttached(target), interval);
  }

  async function checkStillAttached(target: ComposeTarget) {
    const entries = [...graphFiles.entries()].filter(([id]) => !state.lost[id]);
    if (entries.length === 0) return;
    const record = {
      version: 1 as const,
      target: {
        kind: target.kind,
        restId: target.restId,
        mailbox: target.mailbox,
        isShared: target.isShared,
      },
      files: entries.map(([, file]) => file),
    };
    let missing: { name: string }[];
    try {
      missing = await findMissing(
        record,
        {
          graphBaseUrl: deps.config.graphBaseUrl,
          tokenFor: () => deps.getToken,
          fetch: (...a) => fetch(...a),
        },
        AbortSignal.timeout(10_000)
      );
    } catch {
      return; // offline or Graph slow: the next tick tries again
    }
    const lostIds = entries
      .filter(([, f]) => missing.some((m) => m.name === f.name))
      .map(([id]) => id);
    if (lostIds.length === 0) return;
    set({
      lost: { ...state.lost, ...Object.fromEntries(lostIds.map((id) => [id, true as const])) },
    });
    for (const id of lostIds) announce("announceLost", { name: graphFiles.get(id)?.name ?? "" });
  }

  /** Graph refused this item's size: its limit lies below the total that included this file. */
  function learnLimit(file: QueueFileState) {
    const refusedTotal = projectedBytes(file.id) + file.size;
    set({
      messageSizeLimit: Math.min(state.messageSizeLimit, refusedTotal - 1),
      limitLearned: true,
    });
  }

  async function verify(id: string, attachmentId: string, name: string) {
    set({ verification: { ...state.verification, [id]: "checking" } });
    let result: Verification;
    try {
      result = await deps.host.verifyAttachmentVisible({ attachmentId, name });
      if (result === "not-yet-visible") {
        // Outlook refreshes its attachment well on its own schedule; ask once more before advising.
        await new Promise((resolve) => setTimeout(resolve, deps.verifyRecheckMs ?? 2000));
        result = await deps.host.verifyAttachmentVisible({ attachmentId, name });
      }
    } catch {
      result = "unsupported";
    }
    set({ verification: { ...state.verification, [id]: result } });
  }

  function loadResumeOffers(target: ComposeTarget) {
    resumeStore = new ResumeStore(deps.storage, {
      mailbox: target.mailbox,
      itemKind: target.kind,
      itemId: target.restId,
    });
    const at = now();
    const margin =
      deps.uploadOptions?.resumeSafetyMarginMs ?? DEFAULT_UPLOAD_OPTIONS.resumeSafetyMarginMs;
    const offers = resumeStore.list().map((record) => ({
      fingerprint: fingerprintOf(record.file),
      name: record.file.name,
      size: record.file.size,
      offset: record.offset,
      expired: !(Date.parse(record.expirationDateTime) - at > margin),
    }));
    return offers;
  }

  function addChecked(files: UploadFile[]) {
    if (!queue) return;
    const accepted: UploadFile[] = [];
    const resumes: (ResumeRecord | undefined)[] = [];
    let projected = projectedBytes();
    const active = new Set(
      state.queue.files
        .filter((f) => COUNTED_PHASES.has(f.phase))
        .map((f) => fingerprints.get(f.id))
    );
    for (const file of files) {
      const fingerprint = fingerprintOf(file);
      const offer = state.resumeOffers.find((o) => o.fingerprint === fingerprint);
      if (!file.name || !file.name.trim()) {
        notify({ kind: "empty-name" });
        continue;
      }
      if (file.size > MAX_ATTACHMENT_SIZE) {
        notify({ kind: "too-large", name: file.name, size: file.size });
        continue;
      }
      if (active.has(fingerprint)) {
        notify({ kind: "duplicate", name: file.name });
        continue;
      }
      if (projected + file.size > state.messageSizeLimit) {
        notify({
          kind: "over-limit",
          name: file.name,
          projected: projected + file.size,
          limit: state.messageSizeLimit,
          learned: state.limitLearned,
        });
        continue;
      }
      let resume: ResumeRecord | undefined;
      if (offer) {
        const record = resumeStore?.list().find((r) => fingerprintOf(r.file) === fingerprint);
        set({ resumeOffers: state.resumeOffers.filter((o) => o !== offer) });
        const target = state.target!;
        const item = { mailbox: target.mailbox, itemKind: target.kind, itemId: target.restId };
        const margin = deps.uploadOptions?.resumeSafetyMarginMs;
        if (record && canResume(record, file, item, now(), margin)) resume = record;
        else resumeStore?.remove(fingerprint); // expired: start over cleanly
      }
      projected += file.size;
      active.add(fingerprint);
      accepted.push(file);
      resumes.push(resume);
    }
    if (accepted.length === 0) return;
    const ids = queue.add(accepted, { resume: resumes });
    ids.forEach((id, i) => fingerprints.set(id, fingerprintOf(accepted[i])));
    announce("announceAdded", { count: ids.length });
    if (state.offline) {
      ids.forEach((id) => queue!.pause(id));
      set({ pausedOffline: [...state.pausedOffline, ...ids] });
    }
  }

  /** Best effort, bounded by the engine's deleteTimeoutMs: an abandoned session would hold its bytes until it expires. */
  async function discardSession(record: ResumeRecord | undefined) {
    if (!record) return;
    await discardUploadSession(record.uploadUrl, {
      transport: deps.transport,
      ...deps.uploadOptions,
    });
  }

  const store = {
    getState: (): PaneState => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    /** Asks Outlook for the open item, then makes the queue for it. */
    async start() {
      try {
        const target = await deps.host.getComposeTarget({
          confirmMeetingSave: () =>
            new Promise<boolean>((resolve) => {
              meetingAnswer = resolve;
              set({ confirmingMeetingSave: true });
            }),
        });
        store.setTarget(target);
      } catch (error) {
        const code = (error as { code?: string })?.code;
        const known: TargetErrorCode[] = [
          "read-mode",
          "item-id-unavailable",
          "meeting-save-declined",
          "office-call-failed",
        ];
        set({
          status: "error",
          confirmingMeetingSave: false,
          targetError: known.includes(code as TargetErrorCode)
            ? (code as TargetErrorCode)
            : "unknown",
        });
      }
    },

    setTarget(target: ComposeTarget) {
      queue = createQueue(target);
      set({
        status: "ready",
        target,
        resumeOffers: loadResumeOffers(target),
        confirmingMeetingSave: false,
      });
    },

    answerMeetingSave(ok: boolean) {
      meetingAnswer?.(ok);
      meetingAnswer = undefined;
      set({ confirmingMeetingSave: false });
    },

    addFiles(files: Iterable<UploadFile> | ArrayLike<UploadFile>) {
      addChecked(Array.from(files as ArrayLike<UploadFile>));
    },

    /** The user picked a file for a resume offer: it must be the same file (name, size, last-modified). */
    resumeWith(fingerprint: string, file: UploadFile) {
      const offer = state.resumeOffers.find((o) => o.fingerprint === fingerprint);
      if (!offer) return;
      const record = resumeStore?.list().find((r) => fingerprintOf(r.file) === fingerprint);
      if (!record || !fingerprintMatches(record, file)) {
        notify({ kind: "resume-mismatch", name: file.name, expected: offer.name });
        return;
      }
      addChecked([file]);
    },

    discardOffer(fingerprint: string) {
      const record = resumeStore?.list().find((r) => fingerprintOf(r.file) === fingerprint);
      resumeStore?.remove(fingerprint);
      set({ resumeOffers: state.resumeOffers.filter((o) => o.fingerprint !== fingerprint) });
      void discardSession(record);
    },

    dismissNotice(id: number) {
      set({ notices: state.notices.filter((n) => n.id !== id) });
    },

    pause(id: string) {
      queue?.pause(id);
    },
    resume(id: string) {
      set({ pausedOffline: state.pausedOffline.filter((x) => x !== id) });
      queue?.resume(id);
    },
    cancel(id: string) {
      set({ pausedOffline: state.pausedOffline.filter((x) => x !== id) });
      queue?.cancel(id);
    },
    retry(id: string) {
      queue?.retry(id);
    },
    remove(id: string) {
      // Discard, not just forget: a paused or failed row's server session is DELETEd too.
      void queue?.discard(id);
      graphFiles.delete(id);
      fingerprints.delete(id);
      meters.delete(id);
    },
    retryAll() {
      queue?.retryAll();
    },
    cancelAll() {
      set({ pausedOffline: [] });
      queue?.cancelAll();
    },
    clearFinished() {
      for (const file of state.queue.files) {
        if (file.phase === "attached" || file.phase === "cancelled") store.remove(file.id);
      }
    },

    /** navigator.onLine and the online/offline events: pause what runs, resume it when back. */
    setOffline(offline: boolean) {
      if (offline === state.offline) return;
      if (offline) {
        const ids = state.queue.files.filter((f) => isRunning(f.phase)).map((f) => f.id);
        set({ offline: true, pausedOffline: [...state.pausedOffline, ...ids] });
        ids.forEach((id) => queue?.pause(id));
        announce("announceOffline", {});
      } else {
        const ids = state.pausedOffline;
        set({ offline: false, pausedOffline: [] });
        ids.forEach((id) => queue?.resume(id));
        announce("announceOnline", {});
      }
    },

    /** Something is queued or moving: closing the pane now would lose it. */
    hasActiveUploads() {
      return state.queue.files.some((f) => isRunning(f.phase));
    },
  };
  return store;
}
