// The runtime config block of taskpane.html (docs/CONTRACTS.md): what differs between Microsoft 365
// and the local emulator without rebuilding. The playground server rewrites it.
import { MAX_ATTACHMENT_SIZE } from "../upload/routing";

export interface RuntimeConfig {
  graphBaseUrl: string;
  /** The tenant's maximum message size in bytes (Exchange default 35 MB; admins can raise it to 150 MB). */
  messageSizeLimit: number;
  /**
   * Entra application id, used only when the build has none (LARGE_ATTACH_CLIENT_ID). The playground
   * sets it so an unconfigured production build can still ask the stand-in NAA bridge for tokens.
   */
  clientId?: string;
  /**
   * Upload origins the engine may send ranges to besides Outlook's and OneDrive's own (the
   * engine's allowedUploadOrigins defaults): the playground sets the emulator's.
   */
  uploadOrigins?: string[];
  /**
   * The engine's silence bounds (UploadOptions stallTimeoutMs / answerTimeoutMs), when not its
   * defaults (30 s / 60 s). Dev only: the playground sets short ones so a stall shows in seconds.
   */
  stallTimeoutMs?: number;
  answerTimeoutMs?: number;
  /**
   * PaneDeps.watchIntervalMs, when not its default (15 s): how often a pane without a Send guard checks
   * that its files are still on the server item. Dev only: the playground sets a short one for tests.
   */
  watchIntervalMs?: number;
}

export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = {
  graphBaseUrl: "https://graph.microsoft.com/v1.0",
  messageSizeLimit: MAX_ATTACHMENT_SIZE,
};

export const CONFIG_ELEMENT_ID = "large-attach-config";

export function readRuntimeConfig(doc: Pick<Document, "getElementById">): RuntimeConfig {
  const text = doc.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? "";
  let parsed: Partial<RuntimeConfig> = {};
  try {
    parsed = text.trim() ? (JSON.parse(text) as Partial<RuntimeConfig>) : {};
  } catch {
    parsed = {};
  }
  const graphBaseUrl =
    typeof parsed.graphBaseUrl === "string" && /^https?:\/\//.test(parsed.graphBaseUrl)
      ? parsed.graphBaseUrl.replace(/\/+$/, "")
      : DEFAULT_RUNTIME_CONFIG.graphBaseUrl;
  const limit = Number(parsed.messageSizeLimit);
  const messageSizeLimit =
    Number.isSafeInteger(limit) && limit > 0 ? limit : DEFAULT_RUNTIME_CONFIG.messageSizeLimit;
  const clientId =
    typeof parsed.clientId === "string" && parsed.clientId ? parsed.clientId : undefined;
  const uploadOrigins = Array.isArray(parsed.uploadOrigins)
    ? parsed.uploadOrigins.filter((o): o is string => typeof o === "string" && isOrigin(o))
    : [];
  const stallTimeoutMs = positiveMs(parsed.stallTimeoutMs);
  const answerTimeoutMs = positiveMs(parsed.answerTimeoutMs);
  const watchIntervalMs = positiveMs(parsed.watchIntervalMs);
  return {
    graphBaseUrl,
    messageSizeLimit,
    ...(clientId ? { clientId } : {}),
    ...(uploadOrigins.length ? { uploadOrigins } : {}),
    ...(stallTimeoutMs ? { stallTimeoutMs } : {}),
    ...(answerTimeoutMs ? { answerTimeoutMs } : {}),
    ...(watchIntervalMs ? { watchIntervalMs } : {}),
  };
}

/** A whole number of ms from 100 ms to 10 min; anything else is ignored (the engine's default holds). */
function positiveMs(value: unknown): number | undefined {
  return typeof value === "number" &&
    Number.isSafeInteger(value) &&
    value >= 100 &&
    value <= 600_000
    ? value
    : undefined;
}

/** https://host[:port], or http on a loopback host (the engine refuses anything else anyway). */
function isOrigin(value: string): boolean {
  return /^(https:\/\/[^/\s]+|http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?)$/i.test(
    value
  );
}
