// The composition root hands the store and the strings to every component through one context, so
// no component reaches for Office, MSAL or storage globals.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { Strings } from "./locales";
import type { PaneState, PaneStore } from "./store/pane-store";

interface PaneContextValue {
  store: PaneStore;
  strings: Strings;
}

const PaneContext = createContext<PaneContextValue | null>(null);

export function PaneProvider({
  store,
  strings,
  children,
}: PaneContextValue & { children: ReactNode }) {
  return <PaneContext.Provider value={{ store, strings }}>{children}</PaneContext.Provider>;
}

function usePaneContext(): PaneContextValue {
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
  const { store } = usePaneContext();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
