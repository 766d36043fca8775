// What the pane needs from its environment, typed structurally after docs/CONTRACTS.md so the store
// and its tests do not depend on Office.js: the composition root (index.tsx) hands in the real
// adapters from src/office and src/auth; tests hand in plain objects.
import type { attachFile } from "../../upload/attach";
import type { RangeTransport, TokenProvider, UploadOptions } from "../../upload/types";
import type { RuntimeConfig } from "../config";
import type { KeyValueStorage } from "./resume-storage";

export interface ComposeTarget {
  kind: "message" | "event";
  restId: string;
  mailbox: "me" | string;
  subject?: string;
  isShared: boolean;
  justSaved: boolean;
}

export type Visibility = "visible" | "not-yet-visible" | "unsupported";

export interface PaneHost {
  getComposeTarget(opts?: { confirmMeetingSave?: () => Promise<boolean> }): Promise<ComposeTarget>;
  verifyAttachmentVisible(ref: { attachmentId?: string; name: string }): Promise<Visibility>;
  theme(): "light" | "dark";
  locale(): string;
  onItemChanged(listener: () => void): () => void;
}

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
  /** Least time between two progress-only updates (0 = every one). The browser pane uses 100 ms. */
  progressIntervalMs?: number;
  /** For tests: the engine entry point the queue calls. */
  attach?: typeof attachFile;
}
