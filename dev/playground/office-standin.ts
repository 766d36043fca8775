// A stand-in for office.js inside the playground's task pane iframe (and its event runtime,
// /commands.html). It models real Outlook where it matters (issue #16): the compose form keeps its own
// copy of the draft — its own attachment list and ids (EWS-style on the web, indexes in classic Windows
// and Mac) — lists attachments added on the server only after *Reopen draft*, and its later saves
// overwrite the server copy (classic) or first conflict, then overwrite (web). Item ids are EWS-style;
// convertToRestId converts them (null on the Mac switch, as office-js #5875 reports). The draft itself
// lives in the Graph emulator: the first saveAsync creates it through Graph with a dev token. The compose fields (To, Subject, body, message/meeting) come from the
// playground page around the iframe; opened on its own, taskpane.html takes them from the query string
// (?kind=event&subject=…&item=…&lang=…&theme=dark).
// Bundled by esbuild when the playground starts; never part of the production build.
import { createDevTokenProvider } from "../naa-bridge/dev-token-provider";
import type { ComposeBody } from "./compose-body";
import { fail, lastCallback, succeed, type Callback } from "./standin-async";
import { createBodyApi, createSelectedDataApi, standaloneBody } from "./standin-body";
import { createRoamingSettings } from "./standin-roaming";

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
  /** The compose body the page shows (HTML or plain text). */
  body(): ComposeBody;
  /**
   * Where setSelectedDataAsync puts data when the task pane has the focus (undocumented, `?cursor=`): "kept" —
   * at the body's last caret, replacing a selection (as Outlook on the web and Windows are reported to do,
   * office-js #6919); "lost" — at the top unless the body has the focus now (the docs: "if the body of the item
   * lost focus in the UI, the string will be inserted at the top"; new Outlook for Mac, #6919).
   */
  cursor(): CursorMode;
  /** `?roaming=`: "on", "none" (no Office.context.roamingSettings) or "fail" (saveAsync fails). */
  roaming(): RoamingMode;
  itemKey(): string;
  displayLanguage(): string;
  theme(): "light" | "dark";
  itemSaved(itemKey: string, kind: "message" | "event", id: string): void;
  /** Which Outlook the page plays. */
  client(): OutlookClient;
  /** Highest Mailbox requirement set the client claims, e.g. "1.14". */
  mailboxVersion(): string;
  /** `?shared=owner@…`: the draft is in that shared mailbox, which the signed-in user is a delegate of. */
  sharedMailbox(): string | null;
  /** The compose form's own state for an item (kept in the page: the pane and event frames share it). */
  form(itemKey: string): FormState;
  formChanged(itemKey: string): void;
}

/**
 * "web" (the default) and three more model real clients; "idealised" is the old, kind stand-in (the form
 * lists what the server holds, no form attach API, saves change nothing), which the Graph-focused browser
 * suites ask for explicitly (`client=idealised`, test/browser/pane-support.ts) so every file takes Graph.
 */
export type OutlookClient = "idealised" | "web" | "classic-online" | "classic-cached" | "mac";
export type CursorMode = "kept" | "lost";
export type RoamingMode = "on" | "none" | "fail";

/** The default cursor behaviour per client: new Outlook for Mac inserts at the top (office-js #6919). */
export const defaultCursor = (client: OutlookClient): CursorMode =>
  client === "mac" ? "lost" : "kept";

export interface FormAttachment {
  /** Compose-mode id as this client hands it out: EWS-style (web) or an index (classic, Mac). */
  id: string;
  name: string;
  size: number;
  /** The server attachment this entry stands for (listed after a reopen), if any. */
  serverId?: string;
}

export interface FormState {
  attachments: FormAttachment[];
  nextIndex: number;
  /** Web: the next save after a server change answers a conflict once. */
  conflictReported: boolean;
  sessionData: Record<string, string>;
}

/** The platform Office.context.diagnostics reports for each client (new Outlook reports OfficeOnline too). */
const PLATFORM: Record<OutlookClient, string> = {
  idealised: "OfficeOnline",
  web: "OfficeOnline",
  "classic-online": "PC",
  "classic-cached": "PC",
  mac: "Mac",
};

/** EWS ids are base64; REST ids the same text made URL-safe. The emulator hands out REST ids. */
export const restToEws = (id: string) => id.replace(/-/g, "/").replace(/_/g, "+");
export const ewsToRest = (id: string) => id.replace(/\//g, "-").replace(/\+/g, "_");

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
const client = (): OutlookClient =>
  compose?.client() ?? ((params.get("client") as OutlookClient | null) || "web");
const idealised = () => client() === "idealised";
const standaloneForm: FormState = {
  attachments: [],
  nextIndex: 0,
  conflictReported: false,
  sessionData: {},
};
const form = (): FormState => compose?.form(itemKey()) ?? standaloneForm;
const formChanged = () => compose?.formChanged(itemKey());
const collection = () => (kind() === "event" ? "events" : "messages");
/** `?shared=owner@…` (page or pane): the item is in the owner's mailbox, opened as a delegate. */
const sharedOwner = (): string | null => (compose ? compose.sharedMailbox() : params.get("shared"));
/** Where the draft lives in Graph: the signed-in user's mailbox, or the shared one. */
const mailboxPath = () => {
  const owner = sharedOwner();
  return owner ? `/users/${encodeURIComponent(owner)}` : "/me";
};

// The compose body: the page's editor, or (taskpane.html opened on its own) a string, `?body=text` for plain text.
const standalone = standaloneBody(params.get("body") === "text" ? "text" : "html");
const composeBody = () => compose?.body() ?? standalone;
const cursorMode = (): CursorMode =>
  compose?.cursor() ?? (params.get("cursor") === "lost" ? "lost" : defaultCursor(client()));
const roamingMode = (): RoamingMode =>
  compose?.roaming() ?? ((params.get("roaming") as RoamingMode | null) || "on");
const bodyApi = createBodyApi(composeBody, cursorMode);
const getSelectedData = createSelectedDataApi(composeBody, cursorMode);
const roamingSettings = () => createRoamingSettings(config.user, () => roamingMode() === "fail");

/** The draft's body as Graph gets it when the first save creates the draft. */
const draftBody = () => {
  const type = composeBody().type();
  return { contentType: type, content: composeBody().read(type) };
};

/** A compose-mode attachment id as this client would hand it out. */
function formAttachmentId(serverId?: string): string {
  const state = form();
  if (client() !== "web") return String(state.nextIndex++);
  state.nextIndex++;
  return serverId ? restToEws(serverId) : `AAMkForm/${state.nextIndex}+local=`;
}

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
  return (response.status === 204 ? undefined : await response.json()) as T;
}

type ServerAttachment = { id: string; name: string; size: number };

async function serverAttachments(id: string): Promise<ServerAttachment[]> {
  const list = await graph<{ value: ServerAttachment[] }>(
    "GET",
    `${mailboxPath()}/${collection()}/${encodeURIComponent(id)}/attachments?$select=id,name,size`
  );
  return list.value;
}

/**
 * A later save of the compose form: it writes its own copy, so attachments the server holds but the form
 * never listed are dropped (classic Outlook force-saves: MS-OXCMSG; Outlook on the web saves with a change
 * key, conflicts once — office-js #5502, #4610 — and the user's next save or Send carries the form's copy).
 * Resolves the Office error to report, if any.
 */
async function saveFormCopy(id: string): Promise<{ code: number; name: string } | null> {
  if (idealised()) return null;
  const state = form();
  const known = new Set(state.attachments.map((a) => a.serverId).filter(Boolean));
  const extra = (await serverAttachments(id)).filter((a) => !known.has(a.id));
  if (extra.length === 0) return null;
  if (client() === "web" && !state.conflictReported) {
    state.conflictReported = true;
    return { code: 9021, name: "SaveError" };
  }
  for (const a of extra)
    await graph(
      "DELETE",
      `${mailboxPath()}/${collection()}/${encodeURIComponent(id)}/attachments/${encodeURIComponent(a.id)}`
    );
  state.conflictReported = false;
  return null;
}

/** *Reopen draft*: the form loads the server copy, so it lists the server's attachments (with its own ids). */
async function reopenDraft(): Promise<void> {
  const id = savedId();
  const state = form();
  state.conflictReported = false;
  if (!id) return;
  const onServer = await serverAttachments(id);
  state.nextIndex = 0;
  state.attachments = onServer.map((a) => ({
    id: formAttachmentId(a.id),
    name: a.name,
    size: a.size,
    serverId: a.id,
  }));
  formChanged();
}

/** Outlook's own Send: save the form's copy, then run the add-in's OnMessageSend handler and obey it. */
async function runLaunchEvent(handlerName: string): Promise<Record<string, unknown>> {
  const id = savedId();
  if (id) await saveFormCopy(id).then((e) => e && saveFormCopy(id)); // Send carries the form's copy
  const handler = associated.get(handlerName);
  if (!handler) return { allowEvent: true, note: "no handler registered" };
  return new Promise((resolve) =>
    handler({
      completed: (options?: unknown) => resolve((options ?? {}) as Record<string, unknown>),
    })
  );
}

const associated = new Map<string, (event: { completed(options?: unknown): void }) => void>();
(window as unknown as { playgroundStandin: unknown }).playgroundStandin = {
  reopenDraft,
  runLaunchEvent,
  save: async () => {
    const id = savedId();
    return id ? saveFormCopy(id) : null;
  },
};

/** The shared mailbox exists in the emulator, with the signed-in user as a delegate (idempotent). */
async function ensureSharedMailbox(owner: string): Promise<void> {
  const response = await fetch(`${config.emulatorUrl}/_emulator/mailboxes`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ mailbox: owner, delegates: [config.user] }),
  });
  if (!response.ok) throw new Error(`POST /_emulator/mailboxes: HTTP ${response.status}`);
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
  const owner = sharedOwner();
  if (owner) await ensureSharedMailbox(owner);
  const base = mailboxPath();
  const created =
    itemKind === "event"
      ? await graph<{ id: string }>("POST", `${base}/events`, {
          subject,
          body: draftBody(),
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
      : await graph<{ id: string }>("POST", `${base}/messages`, {
          subject,
          body: draftBody(),
          toRecipients: to.map((address) => ({ emailAddress: { address } })),
        });
  sessionStorage.setItem(key, created.id);
  compose?.itemSaved(forItem, itemKind, created.id);
  return created.id;
}

/** addFileAttachmentFromBase64Async: the form adds the file to its own copy (documented limits and errors). */
function addViaForm(...args: unknown[]) {
  const callback = lastCallback<string>(args);
  const [base64, name] = args as [string, string];
  const size = Math.floor((base64.length * 3) / 4) - (base64.match(/=*$/)?.[0].length ?? 0);
  const total = form().attachments.reduce((sum, a) => sum + a.size, 0) + size;
  if (base64.length > 27_892_122 || (client() === "web" && total > 25 * 1024 * 1024))
    return fail(callback, 9000, "AttachmentSizeExceeded", "The attachment is larger than allowed.");
  const id = formAttachmentId();
  form().attachments.push({ id, name, size });
  formChanged();
  succeed(callback, id);
}
let formAttach: ((...args: unknown[]) => void) | undefined;

/** The idealised mode's getAttachmentsAsync: whatever the emulator holds, as REST-converted compose ids. */
function listServerAttachments(callback: Callback<unknown[]> | undefined) {
  const id = savedId();
  if (!id) return succeed(callback, []);
  serverAttachments(id).then(
    (list) =>
      succeed(
        callback,
        list.map((a) => ({
          id: a.id,
          name: a.name,
          size: a.size,
          attachmentType: "file",
          isInline: false,
        }))
      ),
    (error: unknown) => fail(callback, 9020, "GenericResponseError", String(error))
  );
}

const item = {
  get body() {
    return bodyApi;
  },
  getSelectedDataAsync(coercionType: unknown, ...rest: unknown[]) {
    getSelectedData(coercionType, rest);
  },
  get itemType() {
    return kind() === "event" ? "appointment" : "message";
  },
  saveAsync(...args: unknown[]) {
    const callback = lastCallback<string>(args);
    const existing = savedId();
    const lag = client() === "classic-cached" ? 400 : 0; // cached mode answers from the local store later
    const run = existing
      ? saveFormCopy(existing).then((error) => ({ error, id: existing }))
      : saveDraft().then((id) => ({ error: null, id }));
    run.then(
      ({ error, id }) =>
        setTimeout(() => {
          if (error) fail(callback, error.code, error.name, "The item was changed on the server.");
          else succeed(callback, restToEws(id));
        }, lag),
      (error: unknown) => fail(callback, 9021, "SaveError", String(error))
    );
  },
  getItemIdAsync(...args: unknown[]) {
    const callback = lastCallback<string>(args);
    const id = savedId();
    if (id) succeed(callback, restToEws(id));
    else fail(callback, 9041, "ItemNotSaved", "The item has not been saved yet.");
  },
  getAttachmentsAsync(...args: unknown[]) {
    if (idealised()) return listServerAttachments(lastCallback<unknown[]>(args));
    // The form's own list, never the server's: a Graph upload shows here only after Reopen draft.
    succeed(
      lastCallback<unknown[]>(args),
      form().attachments.map((a) => ({
        id: a.id,
        name: a.name,
        size: a.size,
        attachmentType: "file",
        isInline: false,
      }))
    );
  },
  // Absent in the idealised mode (the form route is then never taken); a test may replace it.
  get addFileAttachmentFromBase64Async() {
    return formAttach ?? (idealised() ? undefined : addViaForm);
  },
  set addFileAttachmentFromBase64Async(replacement: ((...args: unknown[]) => void) | undefined) {
    formAttach = replacement;
  },

  get sessionData() {
    const highest = Number(
      (compose?.mailboxVersion() ?? params.get("mailbox") ?? "1.14").split(".")[1]
    );
    if (highest < 11) return undefined; // SessionData is Mailbox 1.11
    const data = form().sessionData;
    return {
      getAsync(name: string, callback: Callback<string>) {
        if (name in data) succeed(callback, data[name]);
        else fail(callback, 9057, "KeyNotFound", "No such session data key.");
      },
      setAsync(name: string, value: string, ...rest: unknown[]) {
        data[name] = String(value);
        succeed(lastCallback<undefined>(rest), undefined);
      },
    };
  },
  getSharedPropertiesAsync(...args: unknown[]) {
    const callback = lastCallback<unknown>(args);
    const shared = sharedOwner();
    if (shared)
      succeed(callback, {
        owner: shared,
        targetMailbox: shared,
        targetRestUrl: config.graphUrl,
        permissions: 7,
      });
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

const office = {
  HostType: { Outlook: "Outlook" },
  CoercionType: { Html: "html", Text: "text" },
  PlatformType: { OfficeOnline: "OfficeOnline" },
  AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
  EventType: { ItemChanged: "olkItemSelectedChanged" },
  MailboxEnums: {
    ItemType: { Message: "message", Appointment: "appointment" },
    RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" },
  },
  context: {
    // Absent under ?roaming=none, as on a host without it; loaded once per pane, like Outlook's.
    roamingSettings: roamingMode() === "none" ? undefined : roamingSettings(),
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
    diagnostics: {
      host: "Outlook",
      get platform() {
        return PLATFORM[client()];
      },
      version: "playground",
    },
    requirements: {
      isSetSupported(name: string, version?: string) {
        // Versions compare part by part ("1.8" < "1.14"), not as decimals.
        // ?mailbox=1.10 (passed on by the page) models a client without Smart Alerts (1.12) or SessionData (1.11).
        const highest = Number(
          (compose?.mailboxVersion() ?? params.get("mailbox") ?? "1.14").split(".")[1]
        );
        if (name === "Mailbox") return (Number((version ?? "1.1").split(".")[1]) || 0) <= highest;
        return name === "NestedAppAuth";
      },
    },
    mailbox: {
      item,
      userProfile: { emailAddress: config.user, displayName: "Adele Vance", timeZone: "UTC" },
      diagnostics: { hostName: "OutlookWebApp", hostVersion: "playground" },
      // New Outlook for Mac has answered null (office-js #5875); the others convert.
      convertToRestId: (id: string) => (client() === "mac" ? null : ewsToRest(id)),
      convertToEwsId: (id: string) => restToEws(id),
      addHandlerAsync(...args: unknown[]) {
        succeed(lastCallback<undefined>(args), undefined);
      },
      removeHandlerAsync(...args: unknown[]) {
        succeed(lastCallback<undefined>(args), undefined);
      },
    },
  },
  auth: {
    // NestedAppAuth 1.1: the account Office is signed in with (the shared-mailbox decision compares with it).
    getAuthContext: async () => ({ userPrincipalName: config.user, loginHint: config.user }),
  },
  actions: {
    associate(name: string, handler: (event: { completed(options?: unknown): void }) => void) {
      associated.set(name, handler);
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
