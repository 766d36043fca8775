// The event-based runtime's entry (dist/commands.html for the HTML runtime — web, new Outlook, Mac — and
// dist/commands.js, the same code as one file, for classic Outlook on Windows' JavaScript-only runtime).
// Handlers are registered with Office.actions.associate under the names both manifests declare.
import { authConfigFromBuild } from "../auth/config";
import { createEventTokenProvider } from "../auth/event-token";
import { readRuntimeConfig } from "../taskpane/config";
import { paneButtonsFromBuild } from "./pane-buttons";
import { decideSend } from "./send-guard";

/**
 * The task-pane button "Attach again" opens (Smart Alerts commandId, Mailbox 1.14), per surface. The build
 * writes manifest.xml's button ids here (webpack DefinePlugin, scripts/manifests.js), and manifest.json's
 * buttons carry the same ids, so the id names the button whichever manifest installed the add-in. Unbuilt
 * (no ids), the guard falls back to the message alone.
 */
const PANE_COMMAND = paneButtonsFromBuild();
/** Whole check; see SendGuardOptions.timeoutMs. */
const CHECK_TIMEOUT_MS = 15_000;

function runtimeConfig() {
  // The JS-only runtime has no document: the production defaults (Graph v1.0) apply there.
  return typeof document === "undefined"
    ? readRuntimeConfig({ getElementById: () => null })
    : readRuntimeConfig(document);
}

function handler(surface: keyof typeof PANE_COMMAND) {
  return (event: Office.AddinCommands.Event & { completed(options?: unknown): void }) => {
    const config = runtimeConfig();
    const build = authConfigFromBuild();
    const auth = { ...build, clientId: build.clientId || config.clientId || "" };
    decideSend({
      office: Office,
      graphBaseUrl: config.graphBaseUrl,
      tokenFor: (shared) => createEventTokenProvider(auth, { sharedMailbox: shared }),
      fetch: (...args) => fetch(...args),
      timeoutMs: CHECK_TIMEOUT_MS,
      paneCommandId: PANE_COMMAND[surface],
    }).then(
      (decision) => event.completed(decision),
      // Never leave Outlook waiting: an unexpected failure lets the send go (the check's own failures are handled).
      () => event.completed({ allowEvent: true })
    );
  };
}

const actions = (
  globalThis as { Office?: { actions?: { associate(name: string, fn: unknown): void } } }
).Office?.actions;
actions?.associate("onMessageSendHandler", handler("message"));
actions?.associate("onAppointmentSendHandler", handler("appointment"));
