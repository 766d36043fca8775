/**
 * The per-user sharing preferences (issue #12): through Office.context.roamingSettings (get/set/saveAsync) on an
 * office-addin-mock Outlook, and through localStorage — or, without it, memory — where roamingSettings is missing.
 */
import {
  DEFAULT_SHARE_PREFERENCES,
  loadSharePreferences,
  loadShareSetting,
  saveSharePreferences,
  saveShareSetting,
  SettingNotSavedError,
  SHARE_PREFERENCES_KEY,
} from "../../../src/office";
import { outlookMock } from "./helpers/outlook-mock";

/** A roaming store as Outlook keeps it: set changes the copy in memory, saveAsync persists it (or fails). */
function roaming(initial: Record<string, unknown> = {}, saveFails = false) {
  const memory: Record<string, unknown> = { ...initial };
  const persisted: Array<Record<string, unknown>> = [];
  return {
    memory,
    persisted,
    api: {
      get: (name: string) => memory[name],
      set: (name: string, value: unknown) => void (memory[name] = value),
      remove: (name: string) => void delete memory[name],
      saveAsync: (cb: (r: unknown) => void) => {
        if (saveFails)
          return cb({
            status: "failed",
            error: { code: 4001, name: "Save Settings Error", message: "not saved" },
          });
        persisted.push(JSON.parse(JSON.stringify(memory)));
        cb({ status: "succeeded" });
      },
    },
  };
}

const officeWithRoaming = (store: ReturnType<typeof roaming>) =>
  outlookMock({ item: { itemType: "message" }, context: { roamingSettings: store.api } });

class MemoryStorage {
  items = new Map<string, string>();
  failWrites = false;
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => {
    if (this.failWrites) throw new Error("QuotaExceededError");
    this.items.set(k, String(v));
  };
  removeItem = (k: string) => void this.items.delete(k);
}
const g = globalThis as { localStorage?: unknown };

describe("with roamingSettings", () => {
  test("nothing stored: ask, view links", () => {
    expect(loadSharePreferences(officeWithRoaming(roaming()))).toEqual(DEFAULT_SHARE_PREFERENCES);
    expect(loadShareSetting(officeWithRoaming(roaming()))).toBe("ask");
  });

  test("saveShareSetting sets one record under one key and saves it; the link type is kept", async () => {
    const store = roaming();
    const office = officeWithRoaming(store);
    await saveSharePreferences(office, { linkType: "edit" });
    await saveShareSetting(office, "always");
    expect(store.persisted.at(-1)).toEqual({
      [SHARE_PREFERENCES_KEY]: { whenCannotAttach: "always", linkType: "edit" },
    });
    expect(loadShareSetting(office)).toBe("always");
    expect(loadSharePreferences(office).linkType).toBe("edit");
  });

  test("a record another version wrote, or garbage: each unknown field falls back to its default", () => {
    const office = officeWithRoaming(
      roaming({ [SHARE_PREFERENCES_KEY]: { whenCannotAttach: "sometimes", linkType: "edit" } })
    );
    expect(loadSharePreferences(office)).toEqual({ whenCannotAttach: "ask", linkType: "edit" });
    expect(
      loadSharePreferences(officeWithRoaming(roaming({ [SHARE_PREFERENCES_KEY]: "always" })))
    ).toEqual(DEFAULT_SHARE_PREFERENCES);
  });

  test("saveAsync failing: SettingNotSavedError, and the choice still applies in this pane", async () => {
    const store = roaming({}, true);
    const office = officeWithRoaming(store);
    const error = await saveShareSetting(office, "always").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingNotSavedError);
    expect(error).toMatchObject({ code: "setting-not-saved" });
    expect(store.persisted).toEqual([]);
    expect(loadShareSetting(office)).toBe("always");
  });

  test("roamingSettings wins over an older localStorage fallback value", async () => {
    const storage = new MemoryStorage();
    storage.setItem(SHARE_PREFERENCES_KEY, JSON.stringify({ whenCannotAttach: "always" }));
    g.localStorage = storage;
    try {
      expect(loadShareSetting(officeWithRoaming(roaming()))).toBe("ask");
    } finally {
      delete g.localStorage;
    }
  });
});

describe("without roamingSettings", () => {
  afterEach(() => delete g.localStorage);

  test("localStorage keeps the record (JSON under the same key)", async () => {
    const storage = new MemoryStorage();
    g.localStorage = storage;
    const office = outlookMock({ item: { itemType: "message" } });
    expect(loadShareSetting(office)).toBe("ask");
    await saveShareSetting(office, "always");
    expect(JSON.parse(storage.getItem(SHARE_PREFERENCES_KEY)!)).toEqual({
      whenCannotAttach: "always",
      linkType: "view",
    });
    expect(loadShareSetting(undefined)).toBe("always"); // no Office at all: the same fallback
  });

  test("no storage (or a refused write): SettingNotSavedError, the choice kept in memory until a write succeeds", async () => {
    const error = await saveShareSetting(undefined, "always").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingNotSavedError);
    expect(loadShareSetting(undefined)).toBe("always");

    const storage = new MemoryStorage();
    storage.failWrites = true;
    g.localStorage = storage;
    await expect(saveSharePreferences(undefined, { linkType: "edit" })).rejects.toBeInstanceOf(
      SettingNotSavedError
    );
    expect(loadSharePreferences(undefined)).toEqual({
      whenCannotAttach: "always",
      linkType: "edit",
    });

    storage.failWrites = false;
    await saveShareSetting(undefined, "ask");
    storage.items.set(SHARE_PREFERENCES_KEY, JSON.stringify({ whenCannotAttach: "always" }));
    expect(loadShareSetting(undefined)).toBe("always"); // read from storage again, not from memory
  });
});
