// What every handler shares: the live config, the fault strategy built from it, and the stores.
import type { Bandwidth } from "./bandwidth";
import type { EmulatorConfig } from "./config";
import type { Chaos } from "./chaos";
import type { DriveUploadSessions } from "./drive-sessions";
import type { DriveStore } from "./drive-store";
import type { MailboxStore } from "./mailbox-store";
import type { AttachmentStorage } from "./storage";
import type { TokenIssuer } from "./tokens";
import type { UploadSessions } from "./upload-sessions";

export interface EmulatorState {
  config: EmulatorConfig;
  chaos: Chaos;
  /** The bandwidth cap's link, shared by every connection unless configured per connection. */
  bandwidth: Bandwidth;
  store: MailboxStore;
  storage: AttachmentStorage;
  tokens: TokenIssuer;
  sessions: UploadSessions;
  /** The OneDrive subset: drives and their upload sessions (drive-*.ts). */
  drives: DriveStore;
  driveSessions: DriveUploadSessions;
  /** "http://127.0.0.1:PORT" of the Graph origin and of the upload origin. */
  graphOrigin: string;
  uploadPort: number;
  uploadScheme: "http" | "https";
  log: (line: string) => void;
}

export function uploadOrigin(state: EmulatorState, host = state.config.uploadHost): string {
  return `${state.uploadScheme}://${host}:${state.uploadPort}`;
}

/** A date in the form Outlook writes it: seven fractional digits ("2019-09-25T01:09:30.7671707Z"). */
export function outlookDate(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "0000Z");
}
