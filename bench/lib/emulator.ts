// The emulator as the benchmarks use it: one instance per bench run, drafts created through Graph
// itself, and the few switches the scenarios need (range cap, modelled link) in one place.
import { startEmulator, type RunningEmulator } from "../../dev/graph-emulator";
import { DEFAULT_CONFIG, type ConfigPatch } from "../../dev/graph-emulator/config";
import type { LinkModel } from "./theory";

export interface BenchEmulator {
  /** The emulator's own origin (token and control endpoints, for the playground's stand-ins). */
  readonly url: string;
  readonly graphUrl: string;
  readonly uploadOrigin: string;
  readonly token: string;
  /** A fresh draft message per file, so attachments never add up against the tenant limit. */
  newDrafts(count: number): Promise<string[]>;
  /** Allow one PUT of a whole file (for the single-PUT limit), or back to Graph's 4 MiB cap. */
  setRangeCap(bytes: number | "default"): void;
  /** Added latency per request and a bandwidth cap, or no link model. */
  setLink(link: LinkModel | null): void;
  /** Lift OneDrive's range rules (320 KiB multiples, under 60 MiB) for one PUT of a whole file, or restore them. */
  setDriveRangeRules(on: boolean): void;
  /** What the emulator stored, to check every client sent the right bytes. */
  attachments(): { name: string; size: number; sha256: string }[];
  /** The files in the users' OneDrives, likewise (the drive clients). */
  driveFiles(): { name: string; path: string; size: number; sha256: string }[];
  /** Drops stored attachments between runs so disk use stays bounded. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

// A draft's own bytes must never push a 150 MiB attachment over the tenant limit here: the
// benchmark measures speed, the tests cover the limit.
const BASE_CONFIG: ConfigPatch = { maxMessageSizeBytes: 1024 * 1024 * 1024 };

export async function startBenchEmulator(): Promise<BenchEmulator> {
  const emulator: RunningEmulator = await startEmulator({
    port: 0,
    uploadPort: 0,
    config: BASE_CONFIG,
  });
  // What the scenario asked for, applied again after every reset (reset may forget the config).
  let wanted: ConfigPatch = { ...BASE_CONFIG };
  const configure = (patch: ConfigPatch) => {
    wanted = {
      ...wanted,
      ...patch,
      faults: { ...wanted.faults, ...patch.faults },
      drive: { ...wanted.drive, ...patch.drive },
    };
    emulator.configure(patch);
  };
  let token = emulator.issueToken();
  const newDrafts = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${emulator.graphUrl}/me/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ subject: `bench draft ${i + 1}` }),
      });
      const text = await response.text();
      if (response.status !== 201) {
        throw new Error(`Creating a draft answered ${response.status}: ${text.slice(0, 200)}`);
      }
      ids.push((JSON.parse(text) as { id: string }).id);
    }
    return ids;
  };
  return {
    url: emulator.url,
    graphUrl: emulator.graphUrl,
    uploadOrigin: emulator.uploadOrigin,
    get token() {
      return token;
    },
    newDrafts,
    setRangeCap(bytes) {
      configure({
        chunkCapBytes: bytes === "default" ? DEFAULT_CONFIG.chunkCapBytes : bytes,
      });
    },
    setLink(link) {
      configure({
        faults: {
          latencyMs: link ? link.latencyMs : DEFAULT_CONFIG.faults.latencyMs,
          bandwidthBytesPerSec: link
            ? link.bandwidthBitsPerSec / 8
            : DEFAULT_CONFIG.faults.bandwidthBytesPerSec,
          // Each stream paced on its own, as theory.ts's minimum assumes (the emulator's default
          // is one uplink shared by all connections).
          bandwidthScope: "connection",
        },
      });
    },
    setDriveRangeRules(on) {
      configure({ drive: { enforceRangeRules: on } });
    },
    attachments: () => emulator.attachments(),
    driveFiles: () => emulator.driveItems().filter((i) => i.kind === "file"),
    async reset() {
      await emulator.reset();
      emulator.configure(wanted);
      token = emulator.issueToken();
    },
    close: () => emulator.close(),
  };
}
