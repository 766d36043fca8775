// Offline pause (navigator.onLine and the online/offline events): what runs is paused while the
// browser is offline and resumed when it is back — only what this module paused, never a file the
// user paused themselves.
import type { UploadQueue } from "../../upload/queue";

export interface OfflineState {
  offline: boolean;
  /** Files paused because the browser went offline (resumed when it is back). */
  pausedOffline: readonly string[];
}

export function createOfflinePause(options: {
  queue: () => UploadQueue | undefined;
  get: () => OfflineState;
  set: (patch: Partial<OfflineState>) => void;
  runningIds: () => string[];
}) {
  const { queue, get, set } = options;
  return {
    /** Returns true when the state changed (the caller announces it). */
    setOffline(offline: boolean): boolean {
      if (offline === get().offline) return false;
      if (offline) {
        const ids = options.runningIds();
        set({ offline: true, pausedOffline: [...get().pausedOffline, ...ids] });
        ids.forEach((id) => queue()?.pause(id));
      } else {
        const ids = get().pausedOffline;
        set({ offline: false, pausedOffline: [] });
        ids.forEach((id) => queue()?.resume(id));
      }
      return true;
    },
    /** Files added while offline wait for the connection like the rest. */
    added(ids: string[]) {
      if (!get().offline) return;
      ids.forEach((id) => queue()?.pause(id));
      set({ pausedOffline: [...get().pausedOffline, ...ids] });
    },
    /** The user took the file over (resume, cancel): it is no longer this module's to resume. */
    release(id: string) {
      set({ pausedOffline: get().pausedOffline.filter((x) => x !== id) });
    },
    releaseAll() {
      set({ pausedOffline: [] });
    },
  };
}
