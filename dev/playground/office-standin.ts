// A stand-in for office.js inside the playground's task pane iframe. It implements the Office.js
// calls src/office makes, against a draft that lives in the Graph emulator: saveAsync creates the
// message or event through Graph with a dev token, getItemIdAsync answers its id, getAttachmentsAsync
// lists what the emulator holds. The compose fields (To, Subject, body, message/meeting) come from the
// playground page around the iframe; opened on its own, taskpane.html takes them from the query string
// (?kind=event&subject=…&item=…&lang=…&theme=dark).
// Bundled by esbuild when the playground starts; never part of the production build.
import { createDevTokenProvider } from "../naa-bridge/dev-token-provider";

interface StandinConfig {
  emulatorUrl: string;
  graphUrl: string;
  user: string;
}

/** What the playground page exposes to the iframe (same origin). */
export interface PlaygroundCompose {
  kind(): "message" | "event";
  subject(): string;
  to(): string[];
  body(): string;
  itemKey(): string;
  displayLanguage(): string;
  theme(): "light" | "dark";
  itemSaved(itemKey: string, kind: "message" | "event", id: string): void;
}

type Callback<T> = (result: {
  status: "succeeded" | "failed";
  value: T;
  error?: { code: number; name: string; message: string };
  asyncContext?: unknown;
}) => void;

const config = readConfig();
const params = new URLSearchParams(location.search);
const compose = findCompose();

function readConfig(): StandinConfig {
  const text = document.getElementById("playground-standin-config")?.textContent ?? "{}";
  return JSON.parse(text) as StandinConfig;
}

function findCompose(): PlaygroundCompose | undefined {
  try {
    if (window.parent !== window) {
      return (window.parent as unknown as { playgroundCompose?: PlaygroundCompose })
        .playgroundCompose;
    }
  } catch {
    // A cross-origin parent: fall back to the query string.
  }
  return undefined;
}

const kind = (): "message" | "event" =>
  compose?.kind() ?? (params.get("kind") === "event" ? "event" : "message");
const itemKey = () => compose?.itemKey() ?? params.get("item") ?? `standalone-${kind()}`;
const subjectText = () => compose?.subject() ?? params.get("subject") ?? "";
const recipients = () =>
  compose?.to() ??
  (params.get("to") ?? "")
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);
const storageKey = () => `playground:item:${itemKey()}`;
const savedId = () => sessionStorage.getItem(storageKey());

// The draft is the signed-in user's: Graph calls carry a dev token from the emulator's issuer.
const devToken = createDevTokenProvider({
  tokenUrl: `${config.emulatorUrl}/_emulator/token`,
  user: config.user,
  expiresInSec: 3600,
});

async function graph<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${config.graphUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await devToken()}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function succeed<T>(callback: Callback<T> | undefined, value: T) {
  setTimeout(() => callback?.({ status: "succeeded", value }), 0);
}

function fail<T>(callback: Callback<T> | undefined, code: number, name: string, message: string) {
  setTimeout(
    () => callback?.({ status: "failed", value: undefined as T, error: { code, name, message } }),
    0
  );
}

/** Office's overloads put the callback last, after optional options. */
function lastCallback<T>(args: unknown[]): Callback<T> | undefined {
  const last = args[args.length - 1];
  return typeof last === "function" ? (last as Callback<T>) : undefined;
}

async function saveDraft(): Promise<string> {
  const existing = savedId();
  if (existing) return existing;
  // Read the compose window once, before the request: the user may switch to a new item (or kind)
  // while it runs, and this pane's save must not be filed under the next item's key.
  const key = storageKey();
  const itemKind = kind();
  const forItem = itemKey();
  const subject = subjectText();
  const to = recipients();
  const created =
    itemKind === "event"
      ? await graph<{ id: string }>("POST", "/me/events", {
          subject,
          body: { contentType: "text", content: compose?.body() ?? "" },
          start: {
            dateTime: new Date(Date.now() + 86_400_000).toISOString().slice(0, 19),
            timeZone: "UTC",
          },
          end: {
            dateTime: new Date(Date.now() + 90_000_000).toISOString().slice(0, 19),
            timeZone: "UTC",
          },
          attendees: to.map((address) => ({ emailAddress: { address }, type: "required" })),
        })
      : await graph<{ id: string }>("POST", "/me/messages", {
          subject,
          body: { contentType: "text", content: compose?.body() ?? "" },
          toRecipients: to.map((address) => ({ emailAddress: { address } })),
        });
  sessionStorage.setItem(key, created.id);
  compose?.itemSaved(forItem, itemKind, created.id);
  return created.id;
}

const item = {
  get itemType() {
    return kind() === "event" ? "appointment" : "message";
  },
  saveAsync(...args: unknown[]) {
    const callback = lastCallback<string>(args);
    saveDraft().then(
      (id) => succeed(callback, id),
      (error: unknown) => fail(callback, 9002, "InternalServerError", String(error))
    );
  },
  getItemIdAsync(...args: unknown[]) {
    const callback = lastCallback<string>(args);
    const id = savedId();
    if (id) succeed(callback, id);
    else fail(callback, 9041, "ItemNotSaved", "The item has not been saved yet.");
  },
  getAttachmentsAsync(...args: unknown[]) {
    const callback = lastCallback<unknown[]>(args);
    const id = savedId();
    if (!id) return succeed(callback, []);
    const collection = kind() === "event" ? "events" : "messages";
    graph<{
      value: { id: string; name: string; size: number; contentType?: string; isInline?: boolean }[];
    }>("GET", `/me/${collection}/${encodeURIComponent(id)}/attachments`).then(
      (list) =>
        succeed(
          callback,
          list.value.map((a) => ({
            id: a.id,
            name: a.name,
            size: a.size,
            attachmentType: "file",
            isInline: !!a.isInline,
            contentType: a.contentType,
          }))
        ),
      (error: unknown) => fail(callback, 9002, "InternalServerError", String(error))
    );
  },
  getSharedPropertiesAsync(...args: unknown[]) {
    const callback = lastCallback<unknown>(args);
    const shared = params.get("shared");
    if (shared)
      succeed(callback, { targetMailbox: shared, targetRestUrl: config.graphUrl, permissions: 7 });
    else fail(callback, 9050, "NotSharedItem", "The item is not in a shared folder.");
  },
  subject: {
    getAsync(...args: unknown[]) {
      succeed(lastCallback<string>(args), subjectText());
    },
  },
  requiredAttendees: {
    getAsync(...args: unknown[]) {
      const list =
        kind() === "event"
          ? recipients().map((emailAddress) => ({ emailAddress, displayName: emailAddress }))
          : [];
      succeed(lastCallback<unknown[]>(args), list);
    },
  },
  optionalAttendees: {
    getAsync(...args: unknown[]) {
      succeed(lastCallback<unknown[]>(args), []);
    },
  },
};

const dark = () => (compose?.theme() ?? params.get("theme")) === "dark";
const identity = (id: string) => id;

const office = {
  HostType: { Outlook: "Outlook" },
  PlatformType: { OfficeOnline: "OfficeOnline" },
  AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
  EventType: { ItemChanged: "olkItemSelectedChanged" },
  MailboxEnums: {
    ItemType: { Message: "message", Appointment: "appointment" },
    RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" },
  },
  context: {
    get displayLanguage() {
      return compose?.displayLanguage() ?? params.get("lang") ?? "en-US";
    },
    get officeTheme() {
      return dark()
        ? {
            bodyBackgroundColor: "#292929",
            bodyForegroundColor: "#ffffff",
            controlBackgroundColor: "#1f1f1f",
            controlForegroundColor: "#ffffff",
            isDarkTheme: true,
          }
        : {
            bodyBackgroundColor: "#ffffff",
            bodyForegroundColor: "#000000",
            controlBackgroundColor: "#ffffff",
            controlForegroundColor: "#000000",
            isDarkTheme: false,
          };
    },
    diagnostics: { host: "Outlook", platform: "OfficeOnline", version: "playground" },
    requirements: {
      isSetSupported(name: string, version?: string) {
        // Versions compare part by part ("1.8" < "1.14"), not as decimals.
        if (name === "Mailbox") return (Number((version ?? "1.1").split(".")[1]) || 0) <= 14;
        return name === "NestedAppAuth";
      },
    },
    mailbox: {
      item,
      userProfile: { emailAddress: config.user, displayName: "Adele Vance", timeZone: "UTC" },
      diagnostics: { hostName: "OutlookWebApp", hostVersion: "playground" },
      convertToRestId: identity,
      convertToEwsId: identity,
      addHandlerAsync(...args: unknown[]) {
        succeed(lastCallback<undefined>(args), undefined);
      },
      removeHandlerAsync(...args: unknown[]) {
        succeed(lastCallback<undefined>(args), undefined);
      },
    },
  },
  onReady(callback?: (info: { host: string; platform: string }) => void) {
    const info = { host: "Outlook", platform: "OfficeOnline" };
    return new Promise((resolve) =>
      setTimeout(() => {
        callback?.(info);
        resolve(info);
      }, 0)
    );
  },
};

(window as unknown as { Office: unknown }).Office = office;
