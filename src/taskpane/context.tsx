// The composition root hands the store and the strings to every component through one context, so
// no component reaches for Office, MSAL or storage globals.
import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from "react";
import type { Strings } from "./locales";
import type { PaneState, PaneStore } from "./store/pane-store";

interface PaneContextValue {
  store: PaneStore;
  strings: Strings;
}

type Subscribe = PaneStore["subscribe"];

/**
 * React hears of store changes in a task of its own, one per batch of changes. Told at once,
 * React renders synchronously inside the change (useSyncExternalStore's rule), so each phase the
 * engine reports — session created, uploading, linking — put 5–10 ms of rendering between one
 * Graph request and the next (traced in bench/analysis.md). A task later, the next request is on
 * the wire while the pane renders; the state React reads is always the store's latest.
 */
function renderTaskSubscribe(store: PaneStore): Subscribe {
  const listeners = new Set<() => void>();
  let unsubscribe: (() => void) | undefined;
  let pending = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    pending = false;
    listeners.forEach((listener) => listener());
  };
  const changed = () => {
    if (pending) return;
    pending = true;
    channel.port2.postMessage(null);
  };
  return (listener) => {
    listeners.add(listener);
    unsubscribe ??= store.subscribe(changed);
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      unsubscribe?.();
      unsubscribe = undefined;
    };
  };
}

interface PaneContextInternal extends PaneContextValue {
  subscribe: Subscribe;
}

const PaneContext = createContext<PaneContextInternal | null>(null);

export function PaneProvider({
  store,
  strings,
  children,
}: PaneContextValue & { children: ReactNode }) {
  const subscribe = useMemo(() => renderTaskSubscribe(store), [store]);
  const value = useMemo(() => ({ store, strings, subscribe }), [store, strings, subscribe]);
  return <PaneContext.Provider value={value}>{children}</PaneContext.Provider>;
}

function usePaneContext(): PaneContextInternal {
  const value = useContext(PaneContext);
  if (!value) throw new Error("PaneProvider is missing");
  return value;
}

export function useStore(): PaneStore {
  return usePaneContext().store;
}

export function useStrings(): Strings {
  return usePaneContext().strings;
}

/** Subscribes to the store; `select` must return stable values (store fields) for React to skip renders. */
// eslint-disable-next-line no-unused-vars -- a parameter name in a function type, not a variable
export function usePaneState<T>(select: (state: PaneState) => T): T {
  const { store, subscribe } = usePaneContext();
  return useSyncExternalStore(subscribe, () => select(store.getState()));
}
