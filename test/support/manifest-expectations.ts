// What this add-in's manifests must say, in one place for the tests (test/unit/manifest*.test.ts) and
// `npm run validate` (scripts/validate-manifests.ts).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { paneButtonIds } from "../../scripts/manifests";
import { plannedBuildOutputs, type ManifestExpectations } from "./manifest-checks";
import { newestSchemaVersion, type UnifiedExpectations } from "./unified-manifest-checks";

function fileOrUndefined(file: string): Buffer | undefined {
  return existsSync(file) ? readFileSync(file) : undefined;
}

export function xmlExpectations(rootDir: string): ManifestExpectations {
  return {
    emittedFiles: plannedBuildOutputs(rootDir),
    mailboxMinVersion: "1.8",
    extensionPoints: ["MessageComposeCommandSurface", "AppointmentOrganizerCommandSurface"],
    permissions: "ReadWriteItem",
    launchEvents: {
      OnMessageSend: { functionName: "onMessageSendHandler", sendMode: "SoftBlock" },
      OnAppointmentSend: { functionName: "onAppointmentSendHandler", sendMode: "SoftBlock" },
    },
    sendGuardPaneButtons: sendGuardPaneButtons(rootDir),
  };
}

export function unifiedExpectations(rootDir: string): UnifiedExpectations {
  return {
    emittedFiles: plannedBuildOutputs(rootDir),
    // Everything under dist/assets/ is copied from assets/ (webpack.config.js).
    readEmitted: (file) =>
      file.startsWith("assets/") ? fileOrUndefined(path.join(rootDir, file)) : undefined,
    // The package's icons sit at its root and come from assets/ (scripts/manifests.js).
    readPackageFile: (file) => fileOrUndefined(path.join(rootDir, "assets", file)),
    schemaVersion: newestSchemaVersion(),
    mailboxMinVersion: "1.8",
    contexts: ["mailCompose", "meetingDetailsOrganizer"],
    resourceSpecificPermissions: ["MailboxItem.ReadWrite.User", "Mailbox.AccessSharedFolders.User"],
    sendEvents: {
      messageSending: { actionId: "onMessageSendHandler", sendMode: "softBlock" },
      appointmentSending: { actionId: "onAppointmentSendHandler", sendMode: "softBlock" },
    },
    sendEventsMinVersion: "1.12",
    sendGuardPaneButtons: sendGuardPaneButtons(rootDir),
  };
}

/**
 * The ids the Send guard's build names as Smart Alerts commandId (webpack.config.js takes them from
 * scripts/manifests.js), keyed by the surface each must open the pane on, in each manifest's terms.
 */
export function sendGuardPaneButtons(
  rootDir: string
): { surface: string; context: string; id: string }[] {
  const ids = paneButtonIds(rootDir);
  return [
    { surface: "MessageComposeCommandSurface", context: "mailCompose", id: ids.message ?? "" },
    {
      surface: "AppointmentOrganizerCommandSurface",
      context: "meetingDetailsOrganizer",
      id: ids.appointment ?? "",
    },
  ];
}
