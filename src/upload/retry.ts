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

/**
 * What a request is, for the retry policy: `graph` (idempotent Graph calls, createUploadSession
 * included: a spare session expires unused), `graph-once` (the small-file POST, which could attach
 * the file twice), `range` (a PUT to the upload URL, resynchronised before it is sent again).
 */
export type RequestKind = "graph" | "graph-once" | "range";

/** A failed attempt: an HTTP status, or none at all (a dropped connection or a stall). */
export interface Failure {
  status?: number;
  retryAfterMs?: number;
}

/**
 * The retry policy, in one function: how long to wait before retry number `attempt` of this kind
 * of request after this failure, or undefined when it must not be retried (or the budget is
 * spent). No answer at all, 408, 429 and 5xx are retried (409 too for ranges: "session busy");
 * for `graph-once` only what Graph certainly did not act on (408, 429, 503) — the caller checks
 * the item before treating anything else as "did not land". The attempt counter is the caller's,
 * reset whenever the offset advances (as tus-js-client does).
 */
export function retryWait(
  options: Omit<RetryTimingInput, "attempt" | "retryAfterMs">,
  attempt: number,
  kind: RequestKind,
  failure: Failure
): number | undefined {
  const { status } = failure;
  const retryable =
    status === undefined
      ? kind !== "graph-once"
      : kind === "graph-once"
        ? NOT_PROCESSED_STATUSES.has(status)
        : RETRY_STATUSES.has(status) || (kind === "range" && status === 409);
  if (!retryable) return undefined;
  return retryDelay({ ...options, attempt, retryAfterMs: failure.retryAfterMs });
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
