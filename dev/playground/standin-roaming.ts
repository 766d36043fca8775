// The stand-in's Office.context.roamingSettings, like Outlook's: per user and add-in, loaded once when the add-in
// starts; get/set/remove change this pane's copy only, saveAsync writes it to the store (here this origin's
// localStorage under the playground user, standing in for the user's mailbox), so another pane sees it only after
// it loads again. At most 32 KB per add-in (error 9057, "Size Limit Exceeded"). Under `?roaming=fail` saveAsync
// fails (4001, "Save Settings Error"). Sources: https://learn.microsoft.com/javascript/api/outlook/office.roamingsettings,
// Office Common API error codes (9057, 4001).
import { fail, lastCallback, succeed } from "./standin-async";

const MAX_BYTES = 32 * 1024;

export function createRoamingSettings(user: string, failSaves: () => boolean) {
  const key = `playground:roaming:${user}`;
  const values = load(key);
  return {
    get(name: string): unknown {
      return values[name];
    },
    set(name: string, value: unknown) {
      values[name] = value;
    },
    remove(name: string) {
      delete values[name];
    },
    saveAsync(...args: unknown[]) {
      const callback = lastCallback<undefined>(args);
      const text = JSON.stringify(values);
      if (new TextEncoder().encode(text).length > MAX_BYTES)
        return fail(callback, 9057, "Size Limit Exceeded", "A maximum of 32KB is available.");
      if (failSaves())
        return fail(callback, 4001, "Save Settings Error", "The settings could not be saved.");
      localStorage.setItem(key, text);
      succeed(callback, undefined);
    },
  };
}

function load(key: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(localStorage.getItem(key) ?? "{}") as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
