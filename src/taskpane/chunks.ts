// The task pane's lazily loaded chunks: what the pane does not need before it is interactive (bench
// scenario "pane": JS before interactive ≤ 150 KB gzipped). root.tsx fetches them once the pane is
// ready; whatever needs one first — a pick before the rows arrived, a click on "Share as a link" —
// waits for the same load. A failed load (offline) is remembered, so the pane can say so instead of
// showing nothing, and the next load tries again (webpack forgets a chunk that failed).
import { useSyncExternalStore } from "react";

export interface ChunkState<T> {
  module?: T;
  /** The last load failed (and none is under way). */
  failed: boolean;
}

export interface LazyChunk<T> {
  load(): Promise<T>;
  /** The module once loaded, or whether its last load failed; loads nothing by itself. */
  use(): ChunkState<T>;
}

export function lazyChunk<T>(importer: () => Promise<T>): LazyChunk<T> {
  let state: ChunkState<T> = { failed: false };
  let loading: Promise<T> | undefined;
  const listeners = new Set<() => void>();
  const set = (next: ChunkState<T>) => {
    state = next;
    for (const listener of listeners) listener();
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return {
    load() {
      if (state.failed) set({ failed: false });
      return (loading ??= importer().then(
        (module) => {
          set({ module, failed: false });
          return module;
        },
        (error: unknown) => {
          loading = undefined;
          set({ failed: true });
          throw error;
        }
      ));
    },
    use: () => useSyncExternalStore(subscribe, () => state),
  };
}

/**
 * "share": the share settings, a shared row's link, the body insertion, and the engine's drive
 * route (src/upload/queue.ts imports src/upload/drive.ts under the same chunk name).
 */
export const shareChunk = lazyChunk(() => import(/* webpackChunkName: "share" */ "./share-chunk"));

/** "rows": the file rows and the total bar (progress, actions, error details, file-type icons), needed from the first pick. */
export const rowsChunk = lazyChunk(() => import(/* webpackChunkName: "rows" */ "./rows-chunk"));
