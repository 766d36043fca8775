// Speed and ETA that do not jump around: an exponentially weighted moving average of bytes per
// second over samples at least `minIntervalMs` apart. The pane feeds it bytes the server has
// acknowledged, not bytes sent: XHR counts bytes handed to the socket, so behind a slow link a range
// looks sent long before it arrives (a 2 MB/s cap read as 4.5 MB/s). Acknowledgements come a range
// at a time; the average turns those steps into a steady speed.

export interface Rate {
  bytesPerSecond: number;
  /** Seconds left at the smoothed speed; undefined until there is a speed to go by. */
  etaSeconds?: number;
}

export interface RateMeter {
  sample(bytes: number, total: number, now: number): Rate | undefined;
  reset(): void;
}

export function createRateMeter(halfLifeMs = 3000, minIntervalMs = 250): RateMeter {
  let last: { bytes: number; at: number } | undefined;
  let smoothed: number | undefined;
  let current: Rate | undefined;
  return {
    sample(bytes, total, now) {
      if (!last || bytes < last.bytes) {
        last = { bytes, at: now };
        return current;
      }
      const elapsed = now - last.at;
      if (elapsed < minIntervalMs) return current;
      // Until the first bytes are acknowledged there is no speed to show (not "0 B/s"): measure
      // the first one over the whole wait.
      if (smoothed === undefined && bytes === last.bytes) return current;
      const instant = ((bytes - last.bytes) * 1000) / elapsed;
      const weight = 1 - Math.pow(0.5, elapsed / halfLifeMs);
      smoothed = smoothed === undefined ? instant : smoothed + weight * (instant - smoothed);
      last = { bytes, at: now };
      current = {
        bytesPerSecond: smoothed,
        etaSeconds: smoothed > 0 ? Math.max(0, total - bytes) / smoothed : undefined,
      };
      return current;
    },
    reset() {
      last = undefined;
      smoothed = undefined;
      current = undefined;
    },
  };
}
