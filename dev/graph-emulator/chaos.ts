// Fault injection in the shape of the Graph SDK's ChaosHandler: a strategy decided per request
// from the config, with a seeded PRNG so a run with the same seed and the same requests replays
// the same faults. Faults are real: latency delays the handling, a drop destroys the socket
// mid-body. The bandwidth cap is a link of its own (bandwidth.ts), not a per-request decision.
import { setTimeout as sleep } from "node:timers/promises";
import type { Socket } from "node:net";
import type { FaultConfig, FaultTarget, LostAnswerFault, StallFault } from "./config";
import { errors, GraphError } from "./errors";

/** mulberry32: tiny, fast, good enough to make fault decisions reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One injected fault, as recorded for `GET /_emulator/faults` (so tests can see what happened). */
export type FaultEvent =
  | {
      kind: "status";
      origin: "upload" | "graph";
      method: string;
      status: number;
      source: "script" | "rate";
    }
  | { kind: "drop"; put: number; afterBytes: number }
  | { kind: "stall"; on: StallFault["on"]; put?: number; afterBytes?: number; commit?: boolean }
  | { kind: "lost-answer"; on: LostAnswerFault["on"] };

/** What a range PUT should do about a configured stall: nothing, go silent mid-body, or before answering. */
export type RangeStall =
  { on: "mid-body"; afterBytes: number } | { on: "answer"; commit: boolean } | null;

export class Chaos {
  readonly log: FaultEvent[] = [];
  private random: () => number;
  private rangePuts = 0;
  private dropsLeft: number;
  private stallsLeft: number;
  private lostAnswersLeft: number;
  private script: FaultConfig["script"];

  constructor(private readonly faults: FaultConfig) {
    this.random = seededRandom(faults.seed);
    this.script = faults.script.map((rule) => ({ ...rule }));
    const drop = faults.dropConnection;
    this.dropsLeft = drop ? (drop.count ?? (drop.putNumber !== undefined ? 1 : Infinity)) : 0;
    this.stallsLeft = faults.stall ? (faults.stall.count ?? 1) : 0;
    this.lostAnswersLeft = faults.lostAnswer ? (faults.lostAnswer.count ?? 1) : 0;
  }

  /**
   * The fault stream after a `faults` patch: the PRNG restarts, but a one-shot fault the patch does
   * not name keeps what is left of it, so changing latency or bandwidth (or arming another fault)
   * never re-arms a script, a drop or a stall that has already been used up.
   */
  static after(previous: Chaos, faults: FaultConfig, patch: Partial<FaultConfig>): Chaos {
    const next = new Chaos(faults);
    if (!("script" in patch)) next.script = previous.pendingScript();
    // The range PUT counter restarts when either fault that counts PUTs is named.
    if (!("dropConnection" in patch) && !("stall" in patch)) next.rangePuts = previous.rangePuts;
    if (!("dropConnection" in patch)) next.dropsLeft = previous.dropsLeft;
    if (!("stall" in patch)) next.stallsLeft = previous.stallsLeft;
    if (!("lostAnswer" in patch)) next.lostAnswersLeft = previous.lostAnswersLeft;
    return next;
  }

  async delay(): Promise<void> {
    const latency = this.faults.latencyMs;
    const ms = Array.isArray(latency)
      ? latency[0] + this.random() * (latency[1] - latency[0])
      : latency;
    if (ms > 0) await sleep(ms);
  }

  /** A scripted or random error status for this request, or null to handle it normally. */
  statusFault(target: "upload" | "graph", method: string): GraphError | null {
    const rule = this.script.find(
      (r) => r.count > 0 && matches(r.target, r.methods, target, method)
    );
    if (rule) {
      rule.count -= 1;
      this.record({
        kind: "status",
        origin: target,
        method,
        status: rule.status,
        source: "script",
      });
      return errors.injected(rule.status, rule.retryAfterSeconds);
    }
    const rate = this.faults.statusRate;
    if (rate && matches(rate.target, rate.methods, target, method) && this.random() < rate.rate) {
      const status = rate.statuses[Math.floor(this.random() * rate.statuses.length)];
      this.record({ kind: "status", origin: target, method, status, source: "rate" });
      return errors.injected(status, rate.retryAfterSeconds);
    }
    return null;
  }

  /** Counts a range PUT about to be read; the number the drop and stall faults match on. */
  nextRangePut(): number {
    return ++this.rangePuts;
  }

  /** Should this createUploadSession go unanswered? */
  stallCreate(): boolean {
    return this.stallChosen("create", undefined) !== undefined;
  }

  /** For range PUT number `put` of `rangeLength` bytes: a stall to act out, or null. */
  rangeStall(put: number, rangeLength: number): RangeStall {
    const stall = this.stallChosen("mid-body", put) ?? this.stallChosen("answer", put);
    if (!stall) return null;
    if (stall.on === "answer") {
      const commit = stall.commit ?? false;
      this.record({ kind: "stall", on: "answer", put, commit });
      return { on: "answer", commit };
    }
    const wanted =
      stall.afterBytes === "random"
        ? Math.floor(this.random() * rangeLength)
        : (stall.afterBytes ?? 0);
    const afterBytes = Math.min(wanted, Math.max(0, rangeLength - 1));
    this.record({ kind: "stall", on: "mid-body", put, afterBytes });
    return { on: "mid-body", afterBytes };
  }

  private stallChosen(on: StallFault["on"], put: number | undefined): StallFault | undefined {
    const stall = this.faults.stall;
    if (!stall || stall.on !== on || this.stallsLeft <= 0) return undefined;
    const chosen =
      stall.probability !== undefined
        ? this.random() < stall.probability
        : stall.putNumber === undefined || put === undefined || stall.putNumber <= put;
    if (!chosen) return undefined;
    this.stallsLeft -= 1;
    if (on === "create") this.record({ kind: "stall", on });
    return stall;
  }

  /** The request `on` has been acted on: should its answer be lost (the socket destroyed instead)? */
  loseAnswer(on: LostAnswerFault["on"]): boolean {
    const lost = this.faults.lostAnswer;
    if (!lost || lost.on !== on || this.lostAnswersLeft <= 0) return false;
    this.lostAnswersLeft -= 1;
    this.record({ kind: "lost-answer", on });
    return true;
  }

  /** For range PUT number `put` about to be read: after how many body bytes to destroy the socket, or null. */
  dropPoint(rangeLength: number, put: number): number | null {
    const drop = this.faults.dropConnection;
    if (!drop || this.dropsLeft <= 0) return null;
    const chosen =
      drop.putNumber !== undefined
        ? drop.putNumber === put
        : this.random() < (drop.probability ?? 0);
    if (!chosen) return null;
    this.dropsLeft -= 1;
    const after =
      drop.afterBytes === "random" ? Math.floor(this.random() * rangeLength) : drop.afterBytes;
    const afterBytes = Math.min(after, Math.max(0, rangeLength - 1));
    this.record({ kind: "drop", put, afterBytes });
    return afterBytes;
  }

  private record(event: FaultEvent): void {
    if (this.log.length < 10_000) this.log.push(event);
  }

  /** Remaining scripted faults, for GET /_emulator/config. */
  pendingScript(): FaultConfig["script"] {
    return this.script.filter((r) => r.count > 0).map((r) => ({ ...r }));
  }
}

/**
 * Silence: resolves once the connection is gone (the client aborted, or the emulator restarted or
 * closed). Nothing is written meanwhile and nothing more is read, so TCP flow control stalls the
 * sender exactly as a hung proxy would.
 */
export function untilClosed(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => socket.once("close", () => resolve()));
}

function matches(
  ruleTarget: FaultTarget | undefined,
  methods: string[] | undefined,
  target: string,
  method: string
) {
  const targetOk = !ruleTarget || ruleTarget === "any" || ruleTarget === target;
  const methodOk =
    !methods || methods.length === 0 || methods.some((m) => m.toUpperCase() === method);
  return targetOk && methodOk;
}
