// Wiring of each fault kind to the emulator's switches (dev/graph-emulator/config.ts) and to the
// trial's clock. "At range k" = once the engine has had k ranges acknowledged (k = 0: before the
// first request), so a fault lands at the same point of the protocol on any machine.
import { createHash } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { ConfigPatch, FaultConfig, RunningEmulator } from "../../dev/graph-emulator";
import { DEFAULT_DRIVE } from "../../dev/graph-emulator/config";
import type { TokenProvider } from "../../src/upload";
import type { Trial } from "./trials";

/** The emulator as the matrix sees it: switches plus the Graph calls a trial needs for setup and checks. */
export interface ChaosEmulator {
  graphUrl: string;
  /** The loopback upload origin, which the engine must be told to allow. */
  uploadOrigin: string;
  configure(patch: ConfigPatch): void;
  issueToken(expiresInSec?: number): string;
  restart(): Promise<void>;
  /** Back to a fault-free configuration with the trial's quirks, faults seeded with the trial's seed. */
  resetFaults(seed: number, quirks: ConfigPatch): Promise<void>;
  /** A fresh item (a draft or an event) for one trial. */
  createItem(kind: "message" | "event"): string;
  /** Attachments on the item with that name, each with the SHA-256 of its `$value` as served over HTTP. */
  attachmentsNamed(
    token: string,
    kind: "message" | "event",
    itemId: string,
    name: string
  ): Promise<{ id: string; sha256: string }[]>;
  openSessionsFor(itemId: string): number;
  /**
   * Files in the user's OneDrive folder that carry the name or a `rename` of it ("name 1.ext"),
   * each with the SHA-256 the emulator computed of the stored bytes and its sharing links.
   */
  driveFilesNamed(folder: string, name: string): DriveFile[];
  /** OneDrive upload sessions still open (any user: each trial has the emulator to itself). */
  openDriveSessions(): number;
}

export interface DriveFile {
  id: string;
  name: string;
  sha256: string;
  linkUrls: string[];
}

/** "report.pdf" and the names `conflictBehavior: rename` gives a second copy ("report 1.pdf"). */
export function renamedCopyPattern(name: string): RegExp {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${quote(stem)}( \\d+)?${quote(ext)}$`, "i");
}

/** Pace of range bodies under the session-expiry fault, so a TTL maps to a byte position. */
const EXPIRY_BANDWIDTH = 64 * 1024 * 1024;
const NORMAL_TTL_SECONDS = 900;
const NORMAL_MAX_MESSAGE = 157_286_400;

/** The emulator's stall switch (`faults.stall`, dev/graph-emulator/config.ts). */
type StallFault = NonNullable<FaultConfig["stall"]>;
type FaultPatch = NonNullable<ConfigPatch["faults"]>;

const NO_FAULTS: FaultPatch = {
  latencyMs: 0,
  bandwidthBytesPerSec: 0,
  dropConnection: null,
  stall: null,
  statusRate: null,
  script: [],
};

/** The harness's own reads after a trial: a few tries, each on a new connection (see valueSha256). */
const CHECK_ATTEMPTS = 4;
const CHECK_TIMEOUT_MS = 30_000;

export function chaosEmulator(emulator: RunningEmulator): ChaosEmulator {
  const graph = emulator.graphUrl.replace(/\/+$/, "");
  return {
    graphUrl: graph,
    uploadOrigin: emulator.uploadOrigin,
    configure: (patch) => emulator.configure(patch),
    issueToken: (expiresInSec) => emulator.issueToken(undefined, expiresInSec),
    restart: () => emulator.restart(),
    async resetFaults(seed, quirks) {
      // reset() also deletes the previous trials' stored bytes: 500 trials would fill a disk.
      await emulator.reset();
      emulator.configure({ ...quirks, faults: { ...NO_FAULTS, seed } });
    },
    createItem: (kind) => emulator.createItem({ kind, properties: { subject: "chaos" } }).id,
    async attachmentsNamed(token, kind, itemId, name) {
      const found = emulator.attachments().filter((a) => a.itemId === itemId && a.name === name);
      const out: { id: string; sha256: string }[] = [];
      for (const a of found) {
        const url = `${graph}/me/${kind}s/${encodeURIComponent(itemId)}/attachments/${encodeURIComponent(a.id)}/$value`;
        const sha256 = await retried(() => valueSha256(url, token));
        // The emulator's own hash of what it stored must agree with what it serves.
        if (a.sha256 && a.sha256 !== sha256)
          throw new Error(`$value and the stored SHA-256 disagree for ${a.id}`);
        out.push({ id: a.id, sha256 });
      }
      return out;
    },
    // An expired session can accept nothing more; the emulator forgets it on its next request.
    openSessionsFor: (itemId) =>
      emulator
        .openSessions()
        .filter((s) => s.itemId === itemId && Date.parse(String(s.expiresAt)) > Date.now()).length,
    driveFilesNamed(folder, name) {
      const pattern = renamedCopyPattern(name);
      const parent = `/${folder.replace(/^\/+|\/+$/g, "")}`.toLowerCase();
      return emulator
        .driveItems()
        .filter((i) => i.kind === "file" && pattern.test(i.name))
        .filter((i) => i.path.slice(0, i.path.length - i.name.length - 1).toLowerCase() === parent)
        .map((i) => ({
          id: i.id,
          name: i.name,
          sha256: i.sha256,
          linkUrls: i.links.map((l) => l.webUrl),
        }));
    },
    openDriveSessions: () =>
      emulator.driveSessions().filter((s) => Date.parse(s.expiresAt) > Date.now()).length,
  };
}

/**
 * SHA-256 of a `$value` read over HTTP on a connection of its own (`agent: false`): a pooled
 * keep-alive socket may be one that a restart just destroyed, and the check then failed with
 * "fetch failed" for a trial that had passed (1 in 500 restart trials).
 */
function valueSha256(url: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        agent: false,
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new CheckAnswer(`$value answered HTTP ${res.statusCode}`));
          return;
        }
        const hash = createHash("sha256");
        res.on("data", (chunk: Buffer) => hash.update(chunk));
        res.once("end", () => resolve(hash.digest("hex")));
        res.once("error", reject);
      }
    );
    req.once("error", reject);
    req.end();
  });
}

/** An answer the check does not accept: retrying would read the same, so it fails at once. */
class CheckAnswer extends Error {}

/** The harness's read, retried on a connection failure (never on a wrong answer). */
async function retried<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof CheckAnswer || attempt >= CHECK_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

export interface FaultDriver {
  /** Called by the trial before attachFile: faults scheduled "before the first request" go live. */
  arm(): Promise<void>;
  /** Everything back off (before the resume attempt and before the checks). */
  disarm(): Promise<void>;
  /** The engine's onChunkComplete. */
  rangeDone(): void;
  /** A new upload session was created (the engine reported a resume record with a new URL). */
  sessionCreated(): void;
  getToken: TokenProvider;
  onCancel(listener: () => void): void;
}

export function createFaultDriver(
  emulator: ChaosEmulator,
  trial: Trial,
  secrets: Set<string>
): FaultDriver {
  const { fault } = trial;
  let acknowledged = 0;
  const due = new Map<number, (() => void)[]>();
  const timers = new Set<NodeJS.Timeout>();
  let cancel: () => void = () => {};
  let disarmed = false;
  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!disarmed) action();
    }, ms);
    timers.add(timer);
  };
  const at = (range: number, action: () => void) => {
    const list = due.get(range) ?? [];
    list.push(action);
    due.set(range, list);
  };
  const faults = (patch: FaultPatch) => emulator.configure({ faults: patch });
  const stall = (fault: StallFault) => faults({ stall: fault });
  // A restart under way when the trial ends is awaited before the checks read anything.
  const restarts = new Set<Promise<void>>();
  const restart = () => {
    const done = emulator.restart().finally(() => restarts.delete(done));
    restarts.add(done);
    return done;
  };
  let sessions = 0;
  const onSession: ((n: number) => void)[] = [];

  // The token provider behaves like MSAL's cache: the cached token until it believes it expired.
  // Under "token-expiry" the first token lives 1 s (and the provider's clock may lag by skewMs).
  let token: { value: string; expiresAt: number } | undefined;
  const issue = (lifetimeSec: number) => {
    const value = emulator.issueToken(lifetimeSec);
    secrets.add(value);
    token = { value, expiresAt: Date.now() + lifetimeSec * 1000 };
    return value;
  };
  const skewMs = fault.kind === "token-expiry" ? fault.skewMs : 0;
  const getToken: TokenProvider = async () => {
    if (token && Date.now() < token.expiresAt + skewMs) return token.value;
    return issue(token || fault.kind !== "token-expiry" ? 3600 : 1);
  };
  const restartWhenTokenExpired = async () => {
    const wait = token ? token.expiresAt - Date.now() + 50 : 0;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (!disarmed) await restart();
  };

  // A OneDrive session lives on by its TTL from each accepted range (docs), and its expiry is
  // checked when a request arrives. So the range before `atRange` is answered with a TTL of 0: the
  // session is gone when range `atRange` comes, and the first `times` sessions (the ones made
  // while the TTL is 0) expire; later ones live normally. The bandwidth cap of the attachment
  // variant is not needed: the moment is a range boundary, not a byte position.
  const driveSessionExpiry = (f: Extract<Trial["fault"], { kind: "session-expiry" }>) => {
    at(Math.max(0, f.atRange - 1), () => emulator.configure({ drive: { sessionTtlSeconds: 0 } }));
    onSession.push((n) => {
      if (n === f.times)
        emulator.configure({ drive: { sessionTtlSeconds: DEFAULT_DRIVE.sessionTtlSeconds } });
    });
  };

  switch (fault.kind) {
    case "drop":
      at(0, () =>
        faults({
          dropConnection: { putNumber: fault.atRange + 1, afterBytes: fault.atByte, count: 1 },
        })
      );
      break;
    case "server-error":
      at(fault.fromRequest, () =>
        faults({ script: [{ status: fault.status, count: fault.count, target: "any" }] })
      );
      break;
    case "throttle":
      at(fault.fromRequest, () =>
        faults({
          script: [
            {
              status: 429,
              count: fault.count,
              retryAfterSeconds: fault.retryAfterSec,
              target: "any",
            },
          ],
        })
      );
      break;
    case "latency":
      at(fault.fromRequest, () => faults({ latencyMs: fault.ms }));
      at(fault.fromRequest + fault.count, () => faults({ latencyMs: 0 }));
      break;
    case "session-expiry":
      if (trial.route === "drive") driveSessionExpiry(fault);
      else {
        // The emulator fixes a session's expiry at creation (as Outlook does), so the first `times`
        // sessions get a TTL that ends about mid-way through range `atRange`; a bandwidth cap makes
        // "mid-way" a matter of bytes rather than of machine speed. Later sessions live normally.
        const ttl = Math.max(0.05, ((fault.atRange + 0.5) * trial.chunkSize) / EXPIRY_BANDWIDTH);
        at(0, () => {
          emulator.configure({ sessionTtlSeconds: ttl });
          faults({ bandwidthBytesPerSec: EXPIRY_BANDWIDTH });
        });
        onSession.push((n) => {
          if (n === fault.times) {
            emulator.configure({ sessionTtlSeconds: NORMAL_TTL_SECONDS });
            faults({ bandwidthBytesPerSec: 0 });
          }
        });
      }
      break;
    case "size-exceeded":
      if (trial.route === "drive") {
        // The OneDrive fills up: its quota drops below the file, so the last range (or the session,
        // when the engine says the size up front) answers 507 quotaLimitReached.
        at(fault.atRange, () => emulator.configure({ drive: { quotaBytes: 1 } }));
        break;
      }
      // The tenant limit drops to just above what the item holds: the next range crosses it
      // (range 0: the session, or the single POST, is refused at creation).
      at(fault.atRange, () =>
        emulator.configure({
          maxMessageSizeBytes: Math.max(
            1,
            Math.min(trial.size, fault.atRange * trial.chunkSize) + 1
          ),
        })
      );
      break;
    case "token-expiry":
      if (trial.route !== "post") at(fault.atRange, () => void restartWhenTokenExpired());
      break;
    case "restart":
      at(fault.atRange, () => later(fault.delayMs, () => void restart()));
      break;
    case "cancel":
      at(fault.atRange, () => later(fault.delayMs, () => cancel()));
      break;
    // Stalls: from the moment the engine has had `atRange` ranges acknowledged, the next `count`
    // matching requests go silent (no putNumber: every one until `count` is spent), whichever range
    // they carry — a retry of the stalled range included.
    case "stall-create":
      at(0, () => stall({ on: "create", count: fault.count }));
      break;
    case "stall-answer":
      at(fault.atRange, () => stall({ on: "answer", count: fault.count, commit: fault.commit }));
      break;
    case "stall-mid-body":
      at(fault.atRange, () =>
        stall({ on: "mid-body", count: fault.count, afterBytes: fault.atByte })
      );
      break;
  }

  const fire = (range: number) => {
    for (const action of due.get(range) ?? []) action();
    due.delete(range);
  };
  return {
    async arm() {
      if (fault.kind === "token-expiry") {
        issue(1);
        // A single POST makes one Graph call: let its token expire before it is used.
        if (trial.route === "post") await new Promise((r) => setTimeout(r, 1_050));
      }
      fire(0);
    },
    async disarm() {
      disarmed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      due.clear();
      await Promise.all([...restarts]);
      emulator.configure({
        faults: NO_FAULTS,
        sessionTtlSeconds: NORMAL_TTL_SECONDS,
        maxMessageSizeBytes: NORMAL_MAX_MESSAGE,
        drive: {
          sessionTtlSeconds: DEFAULT_DRIVE.sessionTtlSeconds,
          quotaBytes: DEFAULT_DRIVE.quotaBytes,
        },
      });
    },
    sessionCreated() {
      sessions++;
      for (const listener of onSession) listener(sessions);
    },
    rangeDone() {
      if (!disarmed) fire(++acknowledged);
    },
    getToken,
    onCancel(listener) {
      cancel = listener;
    },
  };
}
