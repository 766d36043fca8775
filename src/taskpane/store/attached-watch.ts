// What the pane does after a file went through Graph rather than the compose form: the compose form
// may save its own copy of the draft over it (src/office/README.md). The pane tells the Send guard
// (event runtime) what to look for, and where Outlook runs no Send guard it watches the server item
// itself while it is open and says loudly when a file it attached is gone.
import { findMissing } from "../../commands/send-guard";
import { RestrictionError } from "../../upload/errors";
import type { UploadFile } from "../../upload/types";
import type { ComposeTarget, PaneDeps } from "./host";

interface GraphFile {
  attachmentId?: string;
  name: string;
  size: number;
}

export interface WatchState {
  /** False where Outlook cannot run the Send guard (then the pane watches the item itself). */
  sendGuard?: boolean;
  /** Files attached through Graph that are no longer on the server item (the form saved over them). */
  lost: Readonly<Record<string, true>>;
}

interface WatchDeps {
  pane: Pick<PaneDeps, "host" | "config" | "getToken" | "watchIntervalMs">;
  get(): WatchState;
  set(patch: Partial<WatchState>): void;
  /** Called once per file found missing. */
  onLost(name: string): void;
}

/** Each check is bounded: a Graph that does not answer must not pile up checks. */
const CHECK_TIMEOUT_MS = 10_000;

export function createAttachedWatch(deps: WatchDeps, target: ComposeTarget) {
  const files = new Map<string, GraphFile>();
  let timer: ReturnType<typeof setInterval> | undefined;

  /** Tells the Send guard what to look for on the server item before the message leaves. */
  async function remember(file: GraphFile) {
    const recorded = await deps.pane.host.recordAttached?.(target, file).catch(() => false);
    if (recorded === false && deps.get().sendGuard !== false) deps.set({ sendGuard: false });
  }

  function watchIfUnguarded() {
    const interval = deps.pane.watchIntervalMs ?? 15_000;
    if (timer || interval <= 0 || deps.pane.host.canGuardSend?.() !== false) return;
    if (deps.get().sendGuard !== false) deps.set({ sendGuard: false });
    timer = setInterval(() => void check(), interval);
  }

  async function check() {
    const entries = [...files.entries()].filter(([id]) => !deps.get().lost[id]);
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
          graphBaseUrl: deps.pane.config.graphBaseUrl,
          tokenFor: () => deps.pane.getToken,
          fetch: (...a) => fetch(...a),
        },
        AbortSignal.timeout(CHECK_TIMEOUT_MS)
      );
    } catch {
      return; // offline or Graph slow: the next tick tries again
    }
    const lostIds = entries.filter(([, f]) => missing.some((m) => m.name === f.name));
    if (lostIds.length === 0) return;
    const lost = { ...deps.get().lost };
    for (const [id] of lostIds) lost[id] = true;
    deps.set({ lost });
    for (const [, file] of lostIds) deps.onLost(file.name);
  }

  return {
    /** A file landed through Graph (not the compose form): record it and, unguarded, watch it. */
    attachedThroughGraph(id: string, file: GraphFile) {
      files.set(id, file);
      void remember(file);
      watchIfUnguarded();
    },
    forget(id: string) {
      files.delete(id);
    },
  };
}

/** The compose form's own attach API where the adapter offers it; its refusal becomes a row's RestrictionError. */
export function composeFormStrategy(host: PaneDeps["host"], target: ComposeTarget) {
  const route = host.composeFormRoute?.(target);
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
