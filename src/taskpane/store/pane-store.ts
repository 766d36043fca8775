// The pane's one store (after Uppy's @uppy/core): a small subscribe/getState store over the engine's
// UploadQueue, with the parts around it in modules of their own — restrictions.ts (refusals on pick
// and the learned tenant limit), resume-offers.ts, offline.ts, verification.ts and progress.ts (what
// a row may truthfully show). Components read it with useSyncExternalStore and call its actions;
// they never own upload state.
import type { OutlookErrorCode } from "../../office";
import { MessageSizeExceededError } from "../../upload/errors";
import { DEFAULT_CHUNK_SIZE, DEFAULT_SHARE_OPTIONS, withUploadOrigins } from "../../upload/options";
import {
  UploadQueue,
  canRetryFile,
  type QueueFileState,
  type QueueState,
} from "../../upload/queue";
import { fingerprintMatches } from "../../upload/resume";
import type {
  DriveTarget,
  LinkChoice,
  LinkType,
  ResumeRecord,
  ShareResult,
  TokenProvider,
  UploadFile,
  UploadOptions,
  UploadPhase,
} from "../../upload/types";
import type { StringKey } from "../locales";
import { composeFormStrategy, createAttachedWatch, type WatchState } from "./attached-watch";
import type { ComposeTarget, PaneDeps } from "./host";
import type { RuntimeConfig } from "../config";
import { createOfflinePause } from "./offline";
import { createProgressTracker, type FileProgressView } from "./progress";
import {
  checkPick,
  learnLimit,
  type Notice,
  type NoticeInput,
  type TenantLimit,
} from "./restrictions";
import { createResumeOffers, type ResumeOffer, type ResumeOffers } from "./resume-offers";
import { fingerprintOf, sweepResumeRecords } from "./resume-storage";
import {
  failureShareReason,
  linkToInsert,
  pickShareReason,
  type LinkPlacement,
  type ShareReason,
  type ShareSetting,
  type ShareView,
} from "./share";
import { verifyAttachment, type Verification } from "./verification";

export type {
  LinkPlacement,
  Notice,
  ResumeOffer,
  ShareReason,
  ShareSetting,
  ShareView,
  Verification,
};

export interface Announcement {
  seq: number;
  key: StringKey;
  values: Record<string, string | number>;
}

/** The Outlook adapter's error codes, or "unknown" for anything else getComposeTarget threw. */
export type TargetErrorCode = OutlookErrorCode | "unknown";

export interface PaneState extends TenantLimit, WatchState {
  status: "loading" | "ready" | "error";
  targetError?: TargetErrorCode;
  target?: ComposeTarget;
  queue: QueueState;
  /** Per file: the bytes, percent, speed and finish time a row may show (see progress.ts). */
  progress: Readonly<Record<string, FileProgressView>>;
  offline: boolean;
  /** Files paused because the browser went offline (resumed when it is back). */
  pausedOffline: readonly string[];
  notices: readonly Notice[];
  resumeOffers: readonly ResumeOffer[];
  verification: Readonly<Record<string, Verification>>;
  announcement?: Announcement;
  /** getComposeTarget asked whether the meeting may be saved; the UI answers with answerMeetingSave. */
  confirmingMeetingSave: boolean;
  /** The OneDrive route: whether it is offered, the per-user setting, the link type asked for. */
  share: ShareView;
  /** Per OneDrive row: why it went there instead of onto the item. */
  shareReasons: Readonly<Record<string, ShareReason>>;
  /** Per shared row: its link's way into the message body. */
  links: Readonly<Record<string, LinkPlacement>>;
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
  "linking",
]);
/** Phases whose file is in the list for good (a second pick of it is a duplicate). */
const PRESENT_PHASES: ReadonlySet<UploadPhase> = new Set<UploadPhase>([
  ...RUNNING_PHASES,
  "paused",
  "attached",
  "shared",
]);

const KNOWN_TARGET_ERRORS: readonly TargetErrorCode[] = [
  "read-mode",
  "item-id-unavailable",
  "meeting-save-declined",
  "office-call-failed",
];

/** Queued or moving: the row offers Pause, and the store pauses it when the browser goes offline. */
export function isRunning(phase: UploadPhase) {
  return RUNNING_PHASES.has(phase);
}

export type PaneStore = ReturnType<typeof createPaneStore>;

export function createPaneStore(deps: PaneDeps) {
  const now = deps.now ?? Date.now;
  const chunkSize = deps.uploadOptions?.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const listeners = new Set<() => void>();
  let queue: UploadQueue | undefined;
  let offers: ResumeOffers | undefined;
  const fingerprints = new Map<string, string>();
  /** Files that reached "uploading" on a session: a size refusal then answered a range. */
  const sentRanges = new Set<string>();
  const tracker = createProgressTracker({ chunkSize, now });
  let noticeSeq = 0;
  let announceSeq = 0;
  let meetingAnswer: ((ok: boolean) => void) | undefined;

  let state: PaneState = {
    status: "loading",
    queue: EMPTY_QUEUE,
    progress: {},
    offline: false,
    pausedOffline: [],
    messageSizeLimit: deps.config.messageSizeLimit,
    limitLearned: false,
    notices: [],
    resumeOffers: [],
    verification: {},
    confirmingMeetingSave: false,
    lost: {},
    share: { available: Boolean(deps.share), ...readPreferences(deps) },
    shareReasons: {},
    links: {},
  };
  /** What createLink is asked for; the user picks the type, the scope stays the default (organization). */
  // The queue reads it as each file starts, so a change applies to the files shared after it.
  const linkChoice: LinkChoice = { ...DEFAULT_SHARE_OPTIONS.link, type: state.share.linkType };
  /** Files refused on pick whose notice offers Share as a link: the pane keeps them (no re-pick). */
  const held = new Map<number, UploadFile>();
  let watch: ReturnType<typeof createAttachedWatch> | undefined;

  function set(patch: Partial<PaneState>) {
    state = { ...state, ...patch };
    listeners.forEach((listener) => listener());
  }

  function announce(key: StringKey, values: Record<string, string | number>) {
    set({ announcement: { seq: ++announceSeq, key, values } });
  }

  /**
   * A notice replaces an older one of the same kind and file, so repeats do not pile up. With the
   * refused `file`, a notice the OneDrive route answers offers Share as a link.
   */
  function notify(notice: NoticeInput, file?: UploadFile) {
    const same = (n: Notice) =>
      n.kind === notice.kind &&
      ("name" in n ? n.name : "") === ("name" in notice ? notice.name : "");
    const id = ++noticeSeq;
    const shareable = Boolean(file && state.share.available && pickShareReason(notice));
    if (shareable) {
      held.set(id, file!);
      deps.share?.preload?.();
    }
    state.notices.filter(same).forEach((n) => held.delete(n.id));
    set({ notices: [...state.notices.filter((n) => !same(n)), { ...notice, id, shareable }] });
  }

  const present = () => state.queue.files.filter((f) => PRESENT_PHASES.has(f.phase));
  /** What the item holds or will hold: files in the list that are not going to OneDrive. */
  const counted = (excludeId?: string) =>
    present().filter((f) => f.id !== excludeId && f.route !== "drive" && f.phase !== "shared");
  const projectedBytes = (excludeId?: string) =>
    counted(excludeId).reduce((sum, f) => sum + f.size, 0);
  /** Rows still waiting their first turn (no byte sent, nothing to resume): not on the item yet. */
  const waiting = (f: QueueFileState) =>
    f.phase === "queued" && f.progress.bytesSent === 0 && !f.resumable;

  const offline = createOfflinePause({
    queue: () => queue,
    get: () => state,
    set,
    runningIds: () => state.queue.files.filter((f) => isRunning(f.phase)).map((f) => f.id),
  });

  let pendingFlush: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;
  /**
   * XHR reports progress many times a second per file; rendering each one costs the upload CPU on a
   * busy machine. Progress is published at most every `progressIntervalMs`; anything else at once.
   * The tracker sees every update all the same: each acknowledgement and refusal counts.
   */
  function onQueueChange() {
    if (!queue) return;
    const snapshot = queue.getState();
    for (const file of snapshot.files) {
      tracker.observe(file);
      if (file.phase === "uploading" && file.route === "session") sentRanges.add(file.id);
    }
    const interval = deps.progressIntervalMs ?? 0;
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
    const progress: Record<string, FileProgressView> = {};
    for (const file of snapshot.files) progress[file.id] = tracker.view(file);
    set({ queue: snapshot, progress });
  }

  function createQueue(target: ComposeTarget) {
    const q = new UploadQueue({
      target: {
        graphBaseUrl: deps.config.graphBaseUrl,
        mailbox: target.mailbox,
        itemKind: target.kind,
        itemId: target.restId,
      },
      getToken: afterYield(deps.getToken),
      attach: deps.attach,
      attachThroughForm: composeFormStrategy(deps.host, target),
      uploadOptions: {
        transport: deps.transport,
        allowedUploadOrigins: withUploadOrigins(...(deps.config.uploadOrigins ?? [])),
        // A draft may take seconds to minutes to reach the server (cached mode), whoever saved it:
        // the wait is armed on the first 404 of the item.
        itemWaitMs: 120_000,
        ...silenceBounds(deps.config),
        ...deps.uploadOptions,
      },
      onResumeRecord: (_id, file, record) => offers?.onRecord(file, record),
      ...(deps.share ? { share: shareOptions() } : {}),
    });
    q.subscribe(onQueueChange);
    q.on("attached", ({ id, result }) => {
      const name = q.getState().files.find((f) => f.id === id)?.name ?? "";
      announce("announceAttached", { name });
      if (result.route !== "form") {
        const { attachmentId, bytes: size } = result;
        watch?.attachedThroughGraph(id, { ...(attachmentId ? { attachmentId } : {}), name, size });
      }
      void verify(id, result.attachmentId, name);
    });
    // What a size refusal proves is learned at once, before the queue starts its next file (which
    // the limit may rule out). The rest after the queue's own add/emit has returned: a file refused
    // as it is added (the shared mailbox's form-route refusal) fails before the queue's state lists it.
    q.on("failed", ({ id, error }) => {
      if (error instanceof MessageSizeExceededError) learnFromRefusal(q, id);
      queueMicrotask(() => onFailed(q, id));
    });
    q.on("shared", ({ id, result }) => void placeLink(id, result));
    return q;
  }

  function learnFromRefusal(q: UploadQueue, id: string) {
    const file = q.getState().files.find((f) => f.id === id);
    if (!file) return;
    learnFrom(file);
    withdrawOverLimit();
  }

  function onFailed(q: UploadQueue, id: string) {
    const file = q.getState().files.find((f) => f.id === id);
    if (!file || file.phase !== "failed") return; // removed or moving again since
    const shareReason = state.share.available ? failureShareReason(file) : undefined;
    // "Always share": the file the item refused goes to OneDrive without the question.
    if (state.share.setting === "always" && shareReason) return store.shareInstead(id);
    if (shareReason) deps.share?.preload?.(); // its row offers "Share as a link instead"
    announce("announceFailed", { name: file.name });
  }

  /** The drive route's target and link: the user's own OneDrive (Files.ReadWrite reaches no other). */
  function shareOptions() {
    return { target: driveTarget(), getToken: afterYield(deps.share!.getToken), link: linkChoice };
  }

  function driveTarget(): DriveTarget {
    const folder = deps.share?.folder ?? DEFAULT_SHARE_OPTIONS.folder;
    return { graphBaseUrl: deps.config.graphBaseUrl, drive: "me", folder };
  }

  /** Only a finished share reaches here: nothing goes into the message for a file not in OneDrive. */
  async function placeLink(id: string, result: ShareResult) {
    const setLink = (placement: LinkPlacement) =>
      set({ links: { ...state.links, [id]: placement } });
    setLink({ state: "inserting" });
    try {
      const { coercion } = await deps.share!.insertLink(linkToInsert(result));
      setLink({ state: "inserted", coercion });
      announce("announceShared", { name: result.name });
    } catch {
      setLink({ state: "failed" });
      announce("announceSharedNotInserted", { name: result.name });
    }
  }

  /** Files to OneDrive, each with why (and a resume record where one continues it). */
  function addToDrive(
    files: UploadFile[],
    reasons: (ShareReason | undefined)[],
    resume?: (ResumeRecord | undefined)[]
  ) {
    if (!queue || files.length === 0) return [];
    const ids = queue.add(files, { route: "drive", ...(resume ? { resume } : {}) });
    const shareReasons = { ...state.shareReasons };
    ids.forEach((id, i) => {
      if (reasons[i]) shareReasons[id] = reasons[i]!;
      fingerprints.set(id, fingerprintOf(files[i]));
      if (resume?.[i]) tracker.seed(id, resume[i]!.offset);
    });
    set({ shareReasons });
    publishQueue();
    offline.added(ids);
    return ids;
  }

  /**
   * Graph refused this item's size: learn the tightest limit it proves, for every later pick. The
   * rows still waiting were not on the item when it refused, so they are not counted in what it held.
   */
  function learnFrom(file: QueueFileState) {
    const held = counted(file.id).filter((f) => !waiting(f));
    set(
      learnLimit(state, {
        itemBytes: held.reduce((sum, f) => sum + f.size, 0),
        size: file.size,
        accepted: file.progress.bytesAcknowledged,
        duringRanges: sentRanges.has(file.id),
        chunkSize,
      })
    );
  }

  /**
   * A learned limit holds for the rows still waiting their turn too: each that would now take the
   * item over it leaves the queue before sending a byte and is answered as a pick would be — the
   * over-limit notice with Share as a link, or with "always" straight to OneDrive — instead of
   * being refused part-way through its own upload.
   */
  function withdrawOverLimit() {
    const limit = state.messageSizeLimit;
    const withdrawn: { file: UploadFile; projected: number }[] = [];
    // All withdrawn before any goes to OneDrive: adding a drive row starts the queue's next turn.
    for (const row of counted().filter(waiting)) {
      const projected = projectedBytes(row.id) + row.size;
      const file = projected > limit ? queue?.withdraw(row.id) : undefined;
      if (!file) continue;
      forget(row.id);
      withdrawn.push({ file, projected });
    }
    if (state.share.available && state.share.setting === "always") {
      addToDrive(
        withdrawn.map((w) => w.file),
        withdrawn.map(() => "over-limit")
      );
      return;
    }
    for (const { file, projected } of withdrawn)
      notify({ kind: "over-limit", name: file.name, projected, limit, learned: true }, file);
  }

  async function verify(id: string, attachmentId: string, name: string) {
    set({ verification: { ...state.verification, [id]: "checking" } });
    const result = await verifyAttachment(deps.host, { attachmentId, name }, deps.verifyRecheckMs);
    set({ verification: { ...state.verification, [id]: result } });
  }

  /** The resume record a picked file continues (only for a file an offer was made for). */
  function resumeFor(file: UploadFile): ResumeRecord | undefined {
    const fingerprint = fingerprintOf(file);
    if (!state.resumeOffers.some((o) => o.fingerprint === fingerprint)) return undefined;
    set({ resumeOffers: state.resumeOffers.filter((o) => o.fingerprint !== fingerprint) });
    return offers?.take(file);
  }

  /** The resume offer a picked file continues on the drive route (a file the item could not take). */
  const driveOffer = (file: UploadFile) =>
    state.resumeOffers.find((o) => o.route === "drive" && o.fingerprint === fingerprintOf(file));

  function addChecked(picked: UploadFile[]) {
    if (!queue) return;
    const resumingOnDrive = picked.filter((f) => driveOffer(f));
    addToDrive(
      resumingOnDrive,
      resumingOnDrive.map(() => undefined),
      resumingOnDrive.map(resumeFor)
    );
    const files = picked.filter((f) => !resumingOnDrive.includes(f));
    const { accepted, refused } = checkPick(files, {
      limit: state,
      projected: projectedBytes(),
      present: new Set(present().map((f) => fingerprints.get(f.id) ?? "")),
      fingerprintOf,
    });
    const always = state.share.available && state.share.setting === "always";
    const toDrive = always ? refused.filter(({ notice }) => pickShareReason(notice)) : [];
    refused.filter((r) => !toDrive.includes(r)).forEach(({ notice, file }) => notify(notice, file));
    addToDrive(
      toDrive.map((r) => r.file),
      toDrive.map((r) => pickShareReason(r.notice)!)
    );
    if (accepted.length === 0) return;
    const resumes = accepted.map(resumeFor);
    const ids = queue.add(accepted, { resume: resumes });
    ids.forEach((id, i) => {
      fingerprints.set(id, fingerprintOf(accepted[i]));
      if (resumes[i]) tracker.seed(id, resumes[i]!.offset);
    });
    publishQueue();
    announce("announceAdded_other", { count: ids.length });
    offline.added(ids);
  }

  function forget(id: string) {
    fingerprints.delete(id);
    sentRanges.delete(id);
    tracker.forget(id);
    watch?.forget(id);
  }

  const store = {
    getState: (): PaneState => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    /** Sweeps stale and other users' resume records, asks Outlook for the open item, makes its queue. */
    async start() {
      set({ status: "loading", targetError: undefined });
      sweepResumeRecords(deps.storage, deps.host.signedInUser(), now());
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
        const code = (error as { code?: string })?.code as TargetErrorCode;
        set({
          status: "error",
          confirmingMeetingSave: false,
          targetError: KNOWN_TARGET_ERRORS.includes(code) ? code : "unknown",
        });
      }
    },

    setTarget(target: ComposeTarget) {
      queue = createQueue(target);
      watch = createAttachedWatch(
        {
          pane: deps,
          get: () => state,
          set,
          onLost: (name) => announce("announceLost", { name }),
        },
        target
      );
      offers = createResumeOffers(
        {
          storage: deps.storage,
          user: deps.host.signedInUser(),
          transport: deps.transport,
          now,
          resumeSafetyMarginMs: deps.uploadOptions?.resumeSafetyMarginMs,
          deleteTimeoutMs: deps.uploadOptions?.deleteTimeoutMs,
          ...(deps.share ? { drive: driveTarget() } : {}),
        },
        target
      );
      set({
        status: "ready",
        target,
        resumeOffers: offers.load(),
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
      const record = offers?.recordFor(fingerprint);
      if (!record || !fingerprintMatches(record, file)) {
        notify({ kind: "resume-mismatch", name: file.name, expected: offer.name });
        return;
      }
      addChecked([file]);
    },

    discardOffer(fingerprint: string) {
      offers?.discard(fingerprint);
      set({ resumeOffers: state.resumeOffers.filter((o) => o.fingerprint !== fingerprint) });
    },

    dismissNotice(id: number) {
      held.delete(id);
      set({ notices: state.notices.filter((n) => n.id !== id) });
    },

    /** Share as a link, from a pick-time notice: the file the pane kept goes to OneDrive. */
    shareRefused(noticeId: number) {
      const file = held.get(noticeId);
      const notice = state.notices.find((n) => n.id === noticeId);
      if (!file || !notice) return;
      store.dismissNotice(noticeId);
      addToDrive([file], [pickShareReason(notice)]);
    },

    /** Share as a link instead, on a row the item refused: the same File, no re-pick. */
    shareInstead(id: string) {
      const file = state.queue.files.find((f) => f.id === id);
      const reason = file && state.share.available ? failureShareReason(file) : undefined;
      if (!queue || !file || !reason) return;
      set({ shareReasons: { ...state.shareReasons, [id]: reason } });
      queue.shareInstead(id);
    },

    /** Ask, or always share files that cannot be attached (kept per user by src/office). */
    setShareSetting(setting: ShareSetting) {
      set({ share: { ...state.share, setting } });
      // A failed save still applies for this pane (src/office keeps the value in memory).
      void deps.share?.savePreferences({ whenCannotAttach: setting }).catch(() => undefined);
    },

    /** View or edit links for the files shared from now on. */
    setLinkType(linkType: LinkType) {
      linkChoice.type = linkType;
      set({ share: { ...state.share, linkType } });
      void deps.share?.savePreferences({ linkType }).catch(() => undefined);
    },

    pause(id: string) {
      queue?.pause(id);
    },
    resume(id: string) {
      offline.release(id);
      queue?.resume(id);
    },
    cancel(id: string) {
      offline.release(id);
      queue?.cancel(id);
    },
    retry(id: string) {
      const file = state.queue.files.find((f) => f.id === id);
      if (file && canRetryFile(file)) queue?.retry(id);
    },
    remove(id: string) {
      // Discard, not just forget: a failed or paused row's server session is DELETEd and its
      // resume record removed (the queue's one session-delete path, bounded by deleteTimeoutMs).
      void queue?.discard(id);
      forget(id);
    },
    /** The same rule as each row's Retry: failures retrying cannot fix are left alone. */
    retryAll() {
      for (const file of state.queue.files) if (canRetryFile(file)) queue?.retry(file.id);
    },
    cancelAll() {
      offline.releaseAll();
      queue?.cancelAll();
    },
    /** Removes attached and cancelled rows, and the notices about earlier picks with them. */
    clearFinished() {
      for (const file of state.queue.files) {
        if (["attached", "shared", "cancelled"].includes(file.phase)) store.remove(file.id);
      }
      set({ notices: [] });
    },

    /** navigator.onLine and the online/offline events: pause what runs, resume it when back. */
    setOffline(isOffline: boolean) {
      if (offline.setOffline(isOffline))
        announce(isOffline ? "announceOffline" : "announceOnline", {});
    },

    /** Something is queued or moving: closing the pane now would lose it. */
    hasActiveUploads() {
      return state.queue.files.some((f) => isRunning(f.phase));
    },
  };
  return store;
}

/** The saved choices; ask and view when the host has none or cannot read them. */
function readPreferences(deps: PaneDeps): Pick<ShareView, "setting" | "linkType"> {
  const fallback = { setting: "ask", linkType: DEFAULT_SHARE_OPTIONS.link.type } as const;
  try {
    const saved = deps.share?.loadPreferences();
    return saved ? { setting: saved.whenCannotAttach, linkType: saved.linkType } : fallback;
  } catch {
    return fallback;
  }
}

/**
 * A token provider whose first call yields the main thread where the browser offers a way to
 * (scheduler.yield, Chromium 129+): a pick or a click starts the upload in the task that handled
 * it, and the first token may load and start MSAL — together one task of 60–120 ms on a busy
 * machine (bench/analysis.md, 2026-12-02). Later calls find MSAL started and its cache warm: a
 * yield there only held each Graph request back behind whatever else was queued. Elsewhere
 * (jsdom, older engines) nothing changes.
 */
function afterYield(getToken: TokenProvider): TokenProvider {
  let yielded = false;
  return async (request) => {
    const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
    if (!yielded && typeof scheduler?.yield === "function") {
      yielded = true;
      await scheduler.yield();
    }
    return getToken(request);
  };
}

/** The runtime config's silence bounds, only those it sets (the engine's defaults otherwise). */
function silenceBounds(config: RuntimeConfig): Partial<UploadOptions> {
  const { stallTimeoutMs, answerTimeoutMs } = config;
  return {
    ...(stallTimeoutMs ? { stallTimeoutMs } : {}),
    ...(answerTimeoutMs ? { answerTimeoutMs } : {}),
  };
}
