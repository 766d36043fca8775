// The simulated compose window around the real task pane. It owns the compose fields and exposes
// them to the office.js stand-in in the iframe (same origin) as `window.playgroundCompose`. Its
// attachment well is the compose form's own list (not the emulator's: see office-standin.ts); Save
// draft, Reopen draft and Send act like Outlook's, Send running the add-in's registered OnMessageSend
// handler in a hidden event-runtime frame (/commands.html). It also drives the emulator's switches.
import type { ConfigPatch } from "../graph-emulator/config";
import { createComposeBody, type BodyFormat } from "./compose-body";
import {
  DROP_NEXT_RANGE,
  drivePatch,
  networkPatch,
  NEXT_3_PUTS_503,
  RESET_FAULTS,
  type LinkScopeName,
} from "./controls";
import {
  defaultCursor,
  type CursorMode,
  type FormState,
  type OutlookClient,
  type PlaygroundCompose,
  type RoamingMode,
} from "./office-standin";

interface Endpoints {
  url: string;
  graphUrl: string;
  uploadOrigin: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const kindSelect = $<HTMLSelectElement>("kind");
const frame = $<HTMLIFrameElement>("pane");
const well = $<HTMLUListElement>("well");
const itemStatus = $<HTMLSpanElement>("item-status");
const faultStatus = $<HTMLParagraphElement>("fault-status");
const MiB = 1024 * 1024;

let itemKey = newItemKey();
let endpoints: Endpoints;

function newItemKey() {
  return `item-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

const savedIds = new Map<string, { kind: "message" | "event"; id: string }>();
const forms = new Map<string, FormState>();
const clientSelect = $<HTMLSelectElement>("client");
const events = $<HTMLIFrameElement>("events");
const sendStatus = $<HTMLParagraphElement>("send-status");
const query = new URLSearchParams(location.search);
const bodyTypeSelect = $<HTMLSelectElement>("body-type");
const cursorSelect = $<HTMLSelectElement>("cursor");
// ?body=text starts with a plain-text body (messages only: Outlook's meetings are HTML).
bodyTypeSelect.value = query.get("body") === "text" ? "text" : "html";
const body = createComposeBody(
  { html: $<HTMLElement>("body-html"), text: $<HTMLTextAreaElement>("body-text") },
  bodyTypeSelect.value as BodyFormat
);

function formOf(key: string): FormState {
  let state = forms.get(key);
  if (!state) {
    state = { attachments: [], nextIndex: 0, conflictReported: false, sessionData: {} };
    forms.set(key, state);
  }
  return state;
}

const compose: PlaygroundCompose = {
  kind: () => (kindSelect.value === "event" ? "event" : "message"),
  subject: () => $<HTMLInputElement>("subject").value,
  to: () =>
    $<HTMLInputElement>("to")
      .value.split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean),
  body: () => body,
  cursor: () => (cursorSelect.value === "lost" ? "lost" : "kept") as CursorMode,
  roaming: () => ((query.get("roaming") as RoamingMode | null) || "on") as RoamingMode,
  itemKey: () => itemKey,
  displayLanguage: () => $<HTMLSelectElement>("lang").value,
  theme: () => ($<HTMLSelectElement>("theme").value === "dark" ? "dark" : "light"),
  client: () => (clientSelect.value || "web") as OutlookClient,
  mailboxVersion: () => query.get("mailbox") ?? "1.14",
  sharedMailbox: () => query.get("shared") || null,
  form: (key) => formOf(key),
  formChanged: (key) => {
    if (key === itemKey) renderWell(formOf(key).attachments);
  },
  itemSaved(key, kind, id) {
    savedIds.set(key, { kind, id });
    if (key === itemKey)
      itemStatus.textContent = `Draft saved (${kind === "event" ? "meeting" : "message"})`;
    void refreshWell();
  },
};
(window as unknown as { playgroundCompose: PlaygroundCompose }).playgroundCompose = compose;

function loadPane() {
  frame.src = `/taskpane.html?item=${encodeURIComponent(itemKey)}`;
  events.src = `/commands.html?item=${encodeURIComponent(itemKey)}`;
}

interface StandinControls {
  reopenDraft(): Promise<void>;
  runLaunchEvent(name: string): Promise<Record<string, unknown>>;
  save(): Promise<{ code: number; name: string } | null>;
}
const standin = (win: Window | null) =>
  (win as unknown as { playgroundStandin?: StandinControls } | null)?.playgroundStandin;

async function send() {
  sendStatus.textContent = "Sending…";
  sendStatus.dataset.state = "running";
  const handler = compose.kind() === "event" ? "onAppointmentSendHandler" : "onMessageSendHandler";
  const result = await standin(events.contentWindow)?.runLaunchEvent(handler);
  if (!result || result.allowEvent !== false) {
    sendStatus.dataset.state = "sent";
    sendStatus.textContent = "Sent.";
  } else {
    sendStatus.dataset.state = "blocked";
    sendStatus.textContent = `Send blocked: ${String(result.errorMessage ?? "")}`;
  }
}

async function saveDraft() {
  const error = await standin(frame.contentWindow)?.save();
  itemStatus.textContent = error
    ? `Save failed: ${error.name} (${error.code}) — the item was changed on the server`
    : "Draft saved (the form's copy)";
}

function newItem() {
  itemKey = newItemKey();
  itemStatus.textContent = "Draft not saved yet";
  sendStatus.textContent = "";
  delete sendStatus.dataset.state;
  renderWell([]);
  loadPane();
}

/**
 * The well shows the compose form's own list — a Graph upload appears only after Reopen draft. In the
 * idealised mode it shows what the emulator holds, polled once a second.
 */
async function refreshWell() {
  const saved = savedIds.get(itemKey) ?? restoreSaved();
  if (compose.client() !== "idealised") return renderWell(formOf(itemKey).attachments);
  if (!saved || !endpoints) return;
  try {
    const response = await fetch(`${endpoints.url}/_emulator/attachments`);
    const list = (await response.json()) as
      | { itemId: string; name: string; size: number }[]
      | { value: { itemId: string; name: string; size: number }[] };
    const all = Array.isArray(list) ? list : list.value;
    renderWell(all.filter((a) => a.itemId === saved.id));
  } catch {
    // The emulator is restarting; the next tick tries again.
  }
}

/** After a pane reload the id is in sessionStorage (the stand-in keeps it there). */
function restoreSaved() {
  const id = sessionStorage.getItem(`playground:item:${itemKey}`);
  if (!id) return undefined;
  const saved = { kind: compose.kind(), id };
  savedIds.set(itemKey, saved);
  return saved;
}

function renderWell(items: { name: string; size: number }[]) {
  const key = JSON.stringify(items.map((i) => [i.name, i.size]));
  if (well.dataset.key === key) return;
  well.dataset.key = key;
  well.replaceChildren(
    ...(items.length === 0
      ? [
          Object.assign(document.createElement("li"), {
            className: "empty",
            textContent: "No attachments",
          }),
        ]
      : items.map((item) => {
          const li = document.createElement("li");
          li.dataset.name = item.name;
          li.title = item.name;
          // Text only: a file name is never markup.
          li.textContent = `${item.name} (${(item.size / MiB).toFixed(1)} MB)`;
          return li;
        }))
  );
}

async function configure(patch: ConfigPatch, message: string) {
  const response = await fetch(`${endpoints.url}/_emulator/config`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(patch),
  });
  faultStatus.textContent = response.ok
    ? message
    : `The emulator refused: HTTP ${response.status} ${await response.text()}`;
}

/** Meetings are HTML in Outlook: the plain-text choice is for messages. */
function syncBodyType() {
  const meeting = kindSelect.value === "event";
  if (meeting) bodyTypeSelect.value = "html";
  bodyTypeSelect.disabled = meeting;
  body.switchTo(bodyTypeSelect.value === "text" ? "text" : "html");
}

function applyDrive() {
  const linkScopes = (["organization", "users", "anonymous"] as LinkScopeName[]).filter(
    (scope) => $<HTMLInputElement>(`scope-${scope}`).checked
  );
  const quotaMB = Number($<HTMLInputElement>("drive-quota").value);
  const { patch, message } = drivePatch({ quotaMB: quotaMB >= 0 ? quotaMB : 0, linkScopes });
  void configure(patch, message);
}

function wireControls() {
  kindSelect.addEventListener("change", () => {
    syncBodyType();
    newItem();
  });
  clientSelect.addEventListener("change", () => {
    if (!query.get("cursor")) cursorSelect.value = defaultCursor(compose.client());
    newItem();
  });
  bodyTypeSelect.addEventListener("change", syncBodyType);
  $("apply-drive").addEventListener("click", applyDrive);
  $("save-draft").addEventListener("click", () => void saveDraft());
  $("reopen-draft").addEventListener("click", () => {
    void standin(frame.contentWindow)?.reopenDraft();
    itemStatus.textContent = "Draft reopened from Drafts";
  });
  $("send").addEventListener("click", () => void send());
  $("new-item").addEventListener("click", newItem);
  $<HTMLSelectElement>("width").addEventListener("change", (e) => {
    frame.style.width = `${(e.target as HTMLSelectElement).value}px`;
  });
  $("theme").addEventListener("change", loadPane);
  $("lang").addEventListener("change", loadPane);
  $("fault-503").addEventListener("click", () =>
    configure(NEXT_3_PUTS_503, "The next 3 range PUTs will answer 503 with Retry-After: 1.")
  );
  $("fault-drop").addEventListener("click", () =>
    configure(DROP_NEXT_RANGE, "The next range PUT will be cut part-way.")
  );
  $("apply-network").addEventListener("click", () => {
    const { patch, message } = networkPatch({
      latencyMs: Number($<HTMLInputElement>("latency").value) || 0,
      bandwidthMBps: Number($<HTMLInputElement>("bandwidth").value) || 0,
      bandwidthScope:
        $<HTMLSelectElement>("bandwidth-scope").value === "connection" ? "connection" : "shared",
    });
    void configure(patch, message);
  });
  $("apply-tenant").addEventListener("click", () => {
    const maxMessageSizeBytes = Math.round(
      (Number($<HTMLInputElement>("tenant-limit").value) || 150) * MiB
    );
    const itemInvisibleSeconds = Number($<HTMLInputElement>("item-invisible").value) || 0;
    void configure(
      { maxMessageSizeBytes, itemInvisibleSeconds },
      `Tenant limit ${maxMessageSizeBytes / MiB} MB; new drafts answer 404 for ${itemInvisibleSeconds} s after save.`
    );
  });
  $("reset-faults").addEventListener("click", () => configure(RESET_FAULTS, "Faults cleared."));
}

async function main() {
  endpoints = (await (await fetch("/playground/endpoints.json")).json()) as Endpoints;
  wireControls();
  const initial = query.get("client");
  if (initial) clientSelect.value = initial;
  const cursor = query.get("cursor");
  cursorSelect.value =
    cursor === "lost" || cursor === "kept" ? cursor : defaultCursor(compose.client());
  renderWell([]);
  loadPane();
  setInterval(() => void refreshWell(), 1000);
}

void main();
