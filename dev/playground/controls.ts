// The emulator config patches the playground's buttons send (PUT /_emulator/config), in one place
// so that a test sends exactly what a press does. Each patch names only the faults its button is
// about: the emulator re-arms a one-shot fault (a script, a drop) only when a patch names it, so
// *Apply* on the network or pressing another fault never re-arms a used-up "next 3 PUTs answer 503".
import type { ConfigPatch, FaultConfig } from "../graph-emulator/config";

const MiB = 1024 * 1024;

export const NEXT_3_PUTS_503: ConfigPatch = {
  faults: {
    script: [{ status: 503, count: 3, retryAfterSeconds: 1, target: "upload", methods: ["PUT"] }],
  },
};

export const DROP_NEXT_RANGE: ConfigPatch = {
  faults: { dropConnection: { putNumber: 1, afterBytes: "random" } },
};

export interface NetworkSettings {
  latencyMs: number;
  /** MB/s (as the page shows it: MiB); 0 = unlimited. */
  bandwidthMBps: number;
  bandwidthScope: FaultConfig["bandwidthScope"];
}

export function networkPatch({ latencyMs, bandwidthMBps, bandwidthScope }: NetworkSettings) {
  const bandwidthBytesPerSec = Math.round(bandwidthMBps * MiB);
  const patch: ConfigPatch = { faults: { latencyMs, bandwidthBytesPerSec, bandwidthScope } };
  const cap = bandwidthBytesPerSec
    ? `${bandwidthBytesPerSec / MiB} MB/s ${bandwidthScope === "connection" ? "per connection" : "shared by all connections"}`
    : "unlimited";
  return { patch, message: `Latency ${latencyMs} ms, bandwidth ${cap}.` };
}

export const RESET_FAULTS: ConfigPatch = {
  faults: {
    latencyMs: 0,
    bandwidthBytesPerSec: 0,
    bandwidthScope: "shared",
    dropConnection: null,
    stall: null,
    lostAnswer: null,
    statusRate: null,
    script: [],
  },
};

export type LinkScopeName = "organization" | "users" | "anonymous";

export interface DriveSettings {
  /** MB (MiB, as the page shows it). */
  quotaMB: number;
  linkScopes: LinkScopeName[];
}

/** The tenant panel's OneDrive row: the user's quota and the link scopes the sharing policy allows. */
export function drivePatch({ quotaMB, linkScopes }: DriveSettings) {
  const quotaBytes = Math.max(0, Math.round(quotaMB * MiB));
  const patch: ConfigPatch = { drive: { quotaBytes, linkScopes: [...linkScopes] } };
  const scopes = linkScopes.length ? linkScopes.join(", ") : "none (every link refused)";
  return {
    patch,
    message: `OneDrive quota ${quotaBytes / MiB} MB; link scopes allowed: ${scopes}.`,
  };
}
