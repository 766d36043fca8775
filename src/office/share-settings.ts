// The user's sharing preferences, kept where Office add-ins keep per-user settings: Office.context.roamingSettings
// (Mailbox 1.1; per user and add-in, stored in the user's mailbox, so they follow the user to every Outlook; at most
// 32 KB per add-in). Where there is none (a page outside Outlook, a host without it) they fall back to this
// origin's localStorage, and where that is unavailable too, to memory for the life of the pane.
// Source: https://learn.microsoft.com/javascript/api/outlook/office.roamingsettings,
// https://learn.microsoft.com/office/dev/add-ins/outlook/metadata-for-an-outlook-add-in (roaming settings).
import { asyncResultToPromise } from "./async-result";
import { SettingNotSavedError } from "./errors";
import type { OfficeLike } from "./office-types";

/** What to do with a file that cannot be attached: ask each time (offer "Share as a link"), or always share it. */
export type ShareSetting = "ask" | "always";
/** The kind of sharing link to create (Graph createLink `type`). Same values as the engine's LinkType. */
export type ShareLinkType = "view" | "edit";

/** Both choices are "how I share files", per user: one record, one roaming key. */
export interface SharePreferences {
  whenCannotAttach: ShareSetting;
  linkType: ShareLinkType;
}

export const DEFAULT_SHARE_PREFERENCES: SharePreferences = {
  whenCannotAttach: "ask",
  linkType: "view",
};

export const SHARE_PREFERENCES_KEY = "largeAttach.share";

interface RoamingLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  saveAsync(callback: (result: Office.AsyncResult<void>) => void): void;
}

function roamingOf(office: OfficeLike | undefined): RoamingLike | undefined {
  const roaming = (office?.context as { roamingSettings?: Partial<RoamingLike> } | undefined)
    ?.roamingSettings;
  return typeof roaming?.get === "function" &&
    typeof roaming.set === "function" &&
    typeof roaming.saveAsync === "function"
    ? (roaming as RoamingLike)
    : undefined;
}

// The last value written when neither roamingSettings nor localStorage could keep it (cleared by a stored one).
let inMemory: unknown;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // a sandboxed frame without storage access throws on the getter
  }
}

function readFallback(): unknown {
  if (inMemory !== undefined) return inMemory;
  try {
    const text = storage()?.getItem(SHARE_PREFERENCES_KEY);
    if (text) return JSON.parse(text);
  } catch {
    // unreadable or not JSON: the defaults (or the in-memory copy)
  }
  return undefined;
}

/** A stored record, field by field: an unknown value falls back to the default for that field only. */
export function parseSharePreferences(value: unknown): SharePreferences {
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  return {
    whenCannotAttach:
      record.whenCannotAttach === "always" || record.whenCannotAttach === "ask"
        ? record.whenCannotAttach
        : DEFAULT_SHARE_PREFERENCES.whenCannotAttach,
    linkType:
      record.linkType === "edit" || record.linkType === "view"
        ? record.linkType
        : DEFAULT_SHARE_PREFERENCES.linkType,
  };
}

export function loadSharePreferences(office?: OfficeLike): SharePreferences {
  const roaming = roamingOf(office);
  if (roaming) {
    try {
      return parseSharePreferences(roaming.get(SHARE_PREFERENCES_KEY));
    } catch {
      return { ...DEFAULT_SHARE_PREFERENCES };
    }
  }
  return parseSharePreferences(readFallback());
}

/**
 * Merges `change` into the stored record and saves it. A failed save rejects with SettingNotSavedError; the
 * new value still applies for this pane (roamingSettings.set changes the in-memory copy; the fallback keeps it
 * in memory).
 */
export async function saveSharePreferences(
  office: OfficeLike | undefined,
  change: Partial<SharePreferences>
): Promise<void> {
  const next = parseSharePreferences({ ...loadSharePreferences(office), ...change });
  const roaming = roamingOf(office);
  if (roaming) {
    try {
      roaming.set(SHARE_PREFERENCES_KEY, { ...next });
      await asyncResultToPromise<void>("roamingSettings.saveAsync", (cb) => roaming.saveAsync(cb));
    } catch (error) {
      throw new SettingNotSavedError({ cause: error });
    }
    return;
  }
  const store = storage();
  try {
    if (!store) throw new Error("no localStorage here");
    store.setItem(SHARE_PREFERENCES_KEY, JSON.stringify(next));
    inMemory = undefined;
  } catch (error) {
    inMemory = { ...next };
    throw new SettingNotSavedError({ cause: error });
  }
}

/** The contract's shorthand for the one choice the pane asks about. */
export function loadShareSetting(office?: OfficeLike): ShareSetting {
  return loadSharePreferences(office).whenCannotAttach;
}

export function saveShareSetting(
  office: OfficeLike | undefined,
  value: ShareSetting
): Promise<void> {
  return saveSharePreferences(office, { whenCannotAttach: value });
}
