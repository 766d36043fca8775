// What the pane needs from its environment. Outlook is the adapter's OutlookHost from src/office (types
// only: the store and its tests never touch Office.js); the composition root (root.tsx) hands in the
// real adapters from src/office and src/auth, tests hand in plain objects.
import type { attachFile } from "../../upload/attach";
import type { RangeTransport, TokenProvider, UploadOptions } from "../../upload/types";
import type { AttachmentVisibility, ComposeTarget, OutlookHost } from "../../office";
import type { RuntimeConfig } from "../config";
import type { KeyValueStorage } from "./resume-storage";
import type { ShareDeps } from "./share";

export type { ComposeTarget };
export type Visibility = AttachmentVisibility;
export type PaneHost = OutlookHost;

export interface PaneDeps {
  host: PaneHost;
  getToken: TokenProvider;
  config: RuntimeConfig;
  storage?: KeyValueStorage;
  /** XHR in the browser (progress inside a range); fetch in tests. */
  transport?: RangeTransport;
  now?: () => number;
  /** Engine options for every file; tests shorten retry delays here. */
  uploadOptions?: Partial<
    Omit<UploadOptions, "signal" | "resume" | "onProgress" | "onPhase" | "onResumeRecord">
  >;
  /** How long to wait before asking Outlook a second time whether the attachment shows. */
  verifyRecheckMs?: number;
  /** Least time between two progress-only updates (0 = every one). The browser pane uses 250 ms. */
  progressIntervalMs?: number;
  /**
   * Where Outlook cannot run the Send guard, how often the open pane checks through Graph that the files it
   * attached are still on the server item (0 = never). Default 15 s.
   */
  watchIntervalMs?: number;
  /** The OneDrive route (Share as a link); without it, files the item cannot take are only refused. */
  share?: ShareDeps;
  /** For tests: the engine entry point the queue calls. */
  attach?: typeof attachFile;
}
