// The bandwidth cap as a network link. By default one budget per direction is shared by every
// connection to the emulator, as one uplink is: three uploads under 2 MB/s move 2 MB/s together,
// not 6. `bandwidthScope: "connection"` gives each connection a budget of its own instead.
// Pacing is real: while a body waits for its turn nothing reads the socket, so TCP back-pressure
// slows the sender.
import { setTimeout as sleep } from "node:timers/promises";
import type { FaultConfig } from "./config";

export type Direction = "up" | "down";

/**
 * Oversleeping a timer by a few ms must not slow the link down for good: a reservation that comes
 * at most this late after the link fell idle continues its schedule. Later than that, the link was
 * really idle and starts from now, so it never saves up a burst.
 */
const CATCH_UP_MS = 20;

/** One link's schedule: when it is free again. Reservations queue, first come first served. */
export class Budget {
  private freeAt = -Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Books `bytes` at `bytesPerSec`; returns the ms to wait until they have passed the link. */
  reserve(bytes: number, bytesPerSec: number): number {
    const now = this.now();
    const start = this.freeAt >= now - CATCH_UP_MS ? this.freeAt : now;
    this.freeAt = start + (bytes / bytesPerSec) * 1000;
    return Math.max(0, this.freeAt - now);
  }
}

type Budgets = Record<Direction, Budget>;

/** The emulator's link: reads the cap live from the config, so a new cap applies at once. */
export class Bandwidth {
  private readonly shared: Budgets;
  private readonly perConnection = new WeakMap<object, Budgets>();

  constructor(
    private readonly faults: () => FaultConfig,
    private readonly now: () => number = Date.now
  ) {
    this.shared = this.budgets();
  }

  /** The cap in bytes/s; 0 = unlimited. */
  get bytesPerSec(): number {
    return this.faults().bandwidthBytesPerSec;
  }

  /** Bytes per paced step: small enough that pacing stays smooth at low rates. */
  sliceBytes(): number {
    const rate = this.bytesPerSec;
    return rate ? Math.max(1024, Math.floor(rate / 20)) : Infinity;
  }

  /** The ms `bytes` more must wait on `connection` (a socket) in `direction`; 0 when uncapped. */
  wait(connection: object, direction: Direction, bytes: number): number {
    const { bandwidthBytesPerSec: rate, bandwidthScope: scope } = this.faults();
    if (!rate) return 0;
    return this.budgetsOf(connection, scope)[direction].reserve(bytes, rate);
  }

  private budgetsOf(connection: object, scope: FaultConfig["bandwidthScope"]): Budgets {
    if (scope !== "connection") return this.shared;
    let own = this.perConnection.get(connection);
    if (!own) this.perConnection.set(connection, (own = this.budgets()));
    return own;
  }

  private budgets(): Budgets {
    return { up: new Budget(this.now), down: new Budget(this.now) };
  }
}

/**
 * The chunks of an upload body, each let through only when the link has room for it. Without a
 * cap the source itself is returned: no generator step per chunk on the range write path.
 */
export function paced(
  source: AsyncIterable<Buffer>,
  link: Bandwidth,
  connection: object
): AsyncIterable<Buffer> {
  return link.bytesPerSec ? pacedChunks(source, link, connection) : source;
}

async function* pacedChunks(
  source: AsyncIterable<Buffer>,
  link: Bandwidth,
  connection: object
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    // Big chunks are split so that connections sharing the link take turns in small steps.
    for (let offset = 0; offset < chunk.length;) {
      const part = chunk.subarray(offset, offset + link.sliceBytes());
      offset += part.length;
      const wait = link.wait(connection, "up", part.length);
      if (wait > 0) await sleep(wait);
      yield part;
    }
  }
}
