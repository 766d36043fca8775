// The OneDrive switches as CLI flags (cli.ts spreads DRIVE_OPTIONS into its options and calls
// driveFromArgs), each landing in the same `drive.*` field as PUT /_emulator/config.
import type { DriveConfig } from "./config";
import { parseByteSize } from "./limits";

export const DRIVE_OPTIONS = {
  "drive-range-rules": { type: "string" },
  "drive-middle-status": { type: "string" },
  "drive-final-status": { type: "string" },
  "drive-missing-folder": { type: "string" },
  "drive-quota": { type: "string" },
  "drive-max-file": { type: "string" },
  "drive-link-scopes": { type: "string" },
  "drive-session-ttl": { type: "string" },
  "drive-get-status": { type: "string" },
  "drive-content-redirect": { type: "string" },
} as const;

function onOff(value: string, flag: string): boolean {
  if (/^(on|true|1|yes)$/i.test(value)) return true;
  if (/^(off|false|0|no)$/i.test(value)) return false;
  throw new Error(`--${flag} expects on/off, got "${value}".`);
}

function int(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${flag} expects a whole number, got "${value}".`);
  return n;
}

/** The `drive` part of a config patch from parsed flags (values are validated by applyConfigPatch). */
export function driveFromArgs(v: Record<string, string | undefined>): Partial<DriveConfig> {
  const drive: Record<string, unknown> = {};
  const flag = (
    name: keyof typeof DRIVE_OPTIONS,
    field: keyof DriveConfig,
    parse: (s: string) => unknown
  ) => {
    const value = v[name];
    if (value !== undefined) drive[field] = parse(value);
  };
  flag("drive-range-rules", "enforceRangeRules", (s) => onOff(s, "drive-range-rules"));
  flag("drive-middle-status", "middleStatus", (s) => int(s, "drive-middle-status"));
  flag("drive-final-status", "finalStatus", (s) => int(s, "drive-final-status"));
  flag("drive-missing-folder", "missingFolder", (s) => s);
  flag("drive-quota", "quotaBytes", parseByteSize);
  flag("drive-max-file", "maxFileBytes", parseByteSize);
  flag("drive-link-scopes", "linkScopes", (s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean)
  );
  flag("drive-session-ttl", "sessionTtlSeconds", (s) => int(s, "drive-session-ttl"));
  flag("drive-get-status", "getStatus", (s) => onOff(s, "drive-get-status"));
  flag("drive-content-redirect", "contentRedirect", (s) => onOff(s, "drive-content-redirect"));
  return drive as Partial<DriveConfig>;
}
