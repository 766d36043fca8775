// The simulated compose window around the real task pane. It owns the compose fields and exposes
// them to the office.js stand-in in the iframe (same origin) as `window.playgroundCompose`; it lists
// the item's attachments as the emulator reports them and drives the emulator's switches.
import type { ConfigPatch } from "../graph-emulator/config";
import { DROP_NEXT_RANGE, networkPatch, NEXT_3_PUTS_503, RESET_FAULTS } from "./controls";
import type { PlaygroundCompose } from "./office-standin";

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

const compose: PlaygroundCompose = {
  kind: () => (kindSelect.value === "event" ? "event" : "message"),
  subject: () => $<HTMLInputElement>("subject").value,
  to: () =>
    $<HTMLInputElement>("to")
      .value.split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean),
  body: () => $<HTMLTextAreaElement>("body").value,
  itemKey: () => itemKey,
  displayLanguage: () => $<HTMLSelectElement>("lang").value,
  theme: () => ($<HTMLSelectElement>("theme").value === "dark" ? "dark" : "light"),
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
}

function newItem() {
  itemKey = newItemKey();
  itemStatus.textContent = "Draft not saved yet";
  renderWell([]);
  loadPane();
}

async function refreshWell() {
  const saved = savedIds.get(itemKey) ?? restoreSaved();
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

function wireControls() {
  kindSelect.addEventListener("change", newItem);
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
  renderWell([]);
  loadPane();
  setInterval(() => void refreshWell(), 1000);
}

void main();
