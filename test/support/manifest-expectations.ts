// What this add-in's manifests must say, in one place for the tests (test/unit/manifest*.test.ts) and
// `npm run validate` (scripts/validate-manifests.ts).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
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
  };
}
