// Retry policy in one place (after ky's retry-timing): which answers are worth another try,
// how long to wait (exponential base delays as data, full jitter, Retry-After honoured, capped).

/** Statuses that say "not now" rather than "never": timeouts, throttling and transient server faults. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Statuses after which the server has certainly not acted on a request. Only these (and not
 * 500/502/504 or a dropped connection) are retried for a non-idempotent small-file POST, which
 * could otherwise attach the same file twice.
 */
export const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([408, 429, 503]);

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface RetryTimingInput {
  /** 1 for the first retry. */
  attempt: number;
  retryDelays: readonly number[];
  maxRetryDelayMs: number;
  retryAfterMs?: number;
  random: () => number;
}

/**
 * Milliseconds to wait before retry number `attempt`, or undefined when the budget is spent.
 * Without Retry-After: full jitter, random() × base delay, so many clients throttled together
 * spread out. With Retry-After: the server's wait (it knows best), never less, capped.
 */
export function retryDelay({
  attempt,
  retryDelays,
  maxRetryDelayMs,
  retryAfterMs,
  random,
}: RetryTimingInput) {
  if (attempt < 1 || attempt > retryDelays.length) return undefined;
  const delay = retryAfterMs !== undefined ? retryAfterMs : random() * retryDelays[attempt - 1];
  return Math.min(Math.max(0, Math.round(delay)), maxRetryDelayMs);
}

/** setTimeout that an AbortSignal ends early (rejecting with the signal's reason). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
