// `npm run emulator -- --port N [switches]`: prints one line on stdout when ready,
//   Graph emulator listening on http://127.0.0.1:PORT
// (the upload origin and storage dir go to stderr). Every switch is documented in README.md.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ConfigPatch, FaultConfig, ScriptedFault } from "./config";
import { DRIVE_OPTIONS, driveFromArgs } from "./drive-cli";
import { startEmulator } from "./emulator";
import { parseByteSize } from "./limits";

const OPTIONS = {
  port: { type: "string", default: "0" },
  "upload-port": { type: "string", default: "0" },
  "storage-dir": { type: "string" },
  "cors-origin": { type: "string", multiple: true },
  "tls-key": { type: "string" },
  "tls-cert": { type: "string" },
  verbose: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
  // quirks
  "range-casing": { type: "string" },
  "range-form": { type: "string" },
  "api-version": { type: "string" },
  "upload-host": { type: "string" },
  "upload-url-origin": { type: "string" },
  "location-host": { type: "string" },
  "path-casing": { type: "string" },
  "get-status": { type: "string" },
  "shared-mailbox-403": { type: "string" },
  "expose-location": { type: "string" },
  "expired-upload-url-401": { type: "string" },
  "item-invisible-seconds": { type: "string" },
  "post-hidden-from-listings": { type: "string" },
  "reported-size": { type: "string" },
  "message-size-factor": { type: "string" },
  "session-ttl": { type: "string" },
  "chunk-cap": { type: "string" },
  "max-message-size": { type: "string" },
  "session-min": { type: "string" },
  "session-max": { type: "string" },
  "small-post-max": { type: "string" },
  // faults
  seed: { type: "string" },
  latency: { type: "string" },
  bandwidth: { type: "string" },
  "bandwidth-scope": { type: "string" },
  "drop-put": { type: "string" },
  "drop-probability": { type: "string" },
  "drop-after": { type: "string" },
  "drop-count": { type: "string" },
  stall: { type: "string" },
  "stall-count": { type: "string" },
  "stall-put": { type: "string" },
  "stall-after": { type: "string" },
  "stall-commit": { type: "boolean", default: false },
  "lost-answer": { type: "string" },
  "lost-answer-count": { type: "string" },
  "fault-rate": { type: "string" },
  "fault-statuses": { type: "string" },
  "fault-target": { type: "string" },
  "retry-after": { type: "string" },
  "fault-script": { type: "string" },
  // OneDrive (drive-cli.ts)
  ...DRIVE_OPTIONS,
} as const;

const USAGE = `Usage: npm run emulator -- [--port N] [--upload-port N] [switches] — see dev/graph-emulator/README.md`;

function onOff(value: string): boolean {
  if (/^(on|true|1|yes)$/i.test(value)) return true;
  if (/^(off|false|0|no)$/i.test(value)) return false;
  throw new Error(`Expected on/off, got "${value}".`);
}

function num(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${flag} expects a number, got "${value}".`);
  return n;
}

/** "PUT:503x3,POST:429x1@2,*:500" → scripted faults (method:status x count @ Retry-After seconds). */
export function parseFaultScript(text: string): ScriptedFault[] {
  return text.split(",").map((rule) => {
    const match = /^\s*(?:(upload|graph)\/)?([A-Z*]+):(\d{3})(?:x(\d+))?(?:@(\d+))?\s*$/i.exec(
      rule
    );
    if (!match)
      throw new Error(
        `Bad --fault-script rule "${rule}" (expected [upload/|graph/]METHOD:STATUS[xCOUNT][@RETRYAFTER]).`
      );
    return {
      target: (match[1]?.toLowerCase() as "upload" | "graph" | undefined) ?? "any",
      methods: match[2] === "*" ? [] : [match[2].toUpperCase()],
      status: Number(match[3]),
      count: match[4] ? Number(match[4]) : 1,
      retryAfterSeconds: match[5] ? Number(match[5]) : undefined,
    };
  });
}

export function configFromArgs(
  values: Record<string, string | boolean | string[] | undefined>
): ConfigPatch {
  const v = values as Record<string, string | undefined>;
  const patch: ConfigPatch = {};
  const set = (key: keyof ConfigPatch, value: unknown) =>
    ((patch as Record<string, unknown>)[key] = value);
  if (v["range-casing"]) set("rangeCasing", v["range-casing"]);
  if (v["range-form"]) set("rangeForm", v["range-form"]);
  if (v["api-version"]) set("apiVersion", v["api-version"]);
  if (v["upload-host"]) set("uploadHost", v["upload-host"]);
  if (v["upload-url-origin"]) set("uploadUrlOrigin", v["upload-url-origin"]);
  if (v["location-host"]) set("locationHost", v["location-host"]);
  if (v["path-casing"]) set("pathCasing", v["path-casing"]);
  if (v["get-status"]) set("getStatus", onOff(v["get-status"]));
  if (v["shared-mailbox-403"]) set("sharedMailbox403", onOff(v["shared-mailbox-403"]));
  if (v["expose-location"]) set("exposeLocation", onOff(v["expose-location"]));
  if (v["expired-upload-url-401"]) set("expiredUploadUrl401", onOff(v["expired-upload-url-401"]));
  if (v["item-invisible-seconds"])
    set("itemInvisibleSeconds", num(v["item-invisible-seconds"], "item-invisible-seconds"));
  if (v["post-hidden-from-listings"])
    set("postHiddenFromListings", num(v["post-hidden-from-listings"], "post-hidden-from-listings"));
  if (v["reported-size"]) set("reportedSize", v["reported-size"]);
  if (v["message-size-factor"])
    set("messageSizeFactor", num(v["message-size-factor"], "message-size-factor"));
  if (v["session-ttl"]) set("sessionTtlSeconds", num(v["session-ttl"], "session-ttl"));
  if (v["chunk-cap"]) set("chunkCapBytes", parseByteSize(v["chunk-cap"]));
  if (v["max-message-size"]) set("maxMessageSizeBytes", parseByteSize(v["max-message-size"]));
  if (v["session-min"]) set("sessionMinBytes", parseByteSize(v["session-min"]));
  if (v["session-max"]) set("sessionMaxBytes", parseByteSize(v["session-max"]));
  if (v["small-post-max"]) set("smallPostBodyBytes", parseByteSize(v["small-post-max"]));

  const faults: Partial<FaultConfig> = {};
  if (v.seed) faults.seed = num(v.seed, "seed");
  if (v.latency) {
    const [min, max] = v.latency.split("-").map((s) => num(s, "latency"));
    faults.latencyMs = max === undefined ? min : [min, max];
  }
  if (v.bandwidth) faults.bandwidthBytesPerSec = parseByteSize(v.bandwidth.replace(/\/s$/i, ""));
  if (v["bandwidth-scope"])
    faults.bandwidthScope = v["bandwidth-scope"] as FaultConfig["bandwidthScope"];
  if (v["drop-put"] || v["drop-probability"]) {
    faults.dropConnection = {
      putNumber: v["drop-put"] ? num(v["drop-put"], "drop-put") : undefined,
      probability: v["drop-probability"]
        ? num(v["drop-probability"], "drop-probability")
        : undefined,
      afterBytes:
        !v["drop-after"] || v["drop-after"] === "random"
          ? "random"
          : parseByteSize(v["drop-after"]),
      count: v["drop-count"] ? num(v["drop-count"], "drop-count") : undefined,
    };
  }
  if (v.stall) {
    if (!["create", "answer", "mid-body"].includes(v.stall)) {
      throw new Error(`--stall must be create, answer or mid-body, got "${v.stall}".`);
    }
    faults.stall = {
      on: v.stall as "create" | "answer" | "mid-body",
      count: v["stall-count"] ? num(v["stall-count"], "stall-count") : undefined,
      putNumber: v["stall-put"] ? num(v["stall-put"], "stall-put") : undefined,
      afterBytes:
        v["stall-after"] === "random"
          ? "random"
          : v["stall-after"]
            ? parseByteSize(v["stall-after"])
            : undefined,
      commit: values["stall-commit"] === true || undefined,
    };
  }
  if (v["lost-answer"]) {
    if (v["lost-answer"] !== "createLink") {
      throw new Error(`--lost-answer must be createLink, got "${v["lost-answer"]}".`);
    }
    faults.lostAnswer = {
      on: "createLink",
      count: v["lost-answer-count"] ? num(v["lost-answer-count"], "lost-answer-count") : undefined,
    };
  }
  if (v["fault-rate"]) {
    faults.statusRate = {
      rate: num(v["fault-rate"], "fault-rate"),
      statuses: (v["fault-statuses"] ?? "503").split(",").map((s) => num(s, "fault-statuses")),
      retryAfterSeconds: v["retry-after"] ? num(v["retry-after"], "retry-after") : undefined,
      target: (v["fault-target"] as "upload" | "graph" | "any" | undefined) ?? "any",
    };
  }
  if (v["fault-script"]) faults.script = parseFaultScript(v["fault-script"]);
  if (Object.keys(faults).length) patch.faults = faults;
  const drive = driveFromArgs(v);
  if (Object.keys(drive).length) patch.drive = drive;
  return patch;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: OPTIONS, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let emulator;
  try {
    emulator = await startEmulator({
      port: num(values.port, "port"),
      uploadPort: num(values["upload-port"], "upload-port"),
      storageDir: values["storage-dir"],
      corsOrigins: values["cors-origin"],
      tls:
        values["tls-key"] && values["tls-cert"]
          ? { key: readFileSync(values["tls-key"]), cert: readFileSync(values["tls-cert"]) }
          : undefined,
      config: configFromArgs(values),
      log: values.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
  } catch (error) {
    process.stderr.write(`Graph emulator failed to start: ${(error as Error).message}\n`);
    process.exit(2);
  }
  process.stdout.write(`Graph emulator listening on ${emulator.url}\n`);
  process.stderr.write(
    `  Graph base ${emulator.graphUrl} · upload origin ${emulator.uploadOrigin} · storage ${emulator.storageDir}\n`
  );
  // A repeated signal (Ctrl-C pressed twice, or a supervisor that signals the process and its
  // group) must not kill it half-way through removing its storage; a signal well after the first
  // (a stuck close) still forces the exit.
  // A close that hangs still exits; the storage is then removed on exit (storage.ts).
  let stoppingSince = 0;
  const stop = (signal: NodeJS.Signals) => {
    const code = 128 + (signal === "SIGINT" ? 2 : signal === "SIGHUP" ? 1 : 15);
    if (stoppingSince) {
      if (Date.now() - stoppingSince > 2000) process.exit(code);
      return;
    }
    stoppingSince = Date.now();
    setTimeout(() => process.exit(code), 5000).unref();
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
}

if (require.main === module) void main();
