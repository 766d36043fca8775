// Stall detection, in one place for every HTTP stack (after Uppy's `timeout`: "no progress for N
// ms", not a total request time). A stack reports what it sees — body bytes moving, the last byte
// sent, the answer begun, answer bytes arriving — and this watch aborts the request when nothing
// moves for too long. The engine treats the resulting StallError exactly as a dropped connection.
import { NetworkError } from "./errors";
import type { HttpRequest } from "./types";

/** No byte moved (sending) or no answer began (after the last byte) within the bound. */
export class StallError extends NetworkError {
  override name = "StallError";
  readonly stage: "sending" | "answer";
  readonly ms: number;
  constructor(stage: "sending" | "answer", ms: number) {
    super(`No answer from the server for ${formatMs(ms)}. Reconnecting…`);
    this.stage = stage;
    this.ms = ms;
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export interface StallWatch {
  /** Pass to the underlying request: fires on the caller's abort or on a stall. */
  signal: AbortSignal;
  /** Body bytes moved (or sending starts): the sending bound starts again. */
  progress(): void;
  /** The last body byte went out (or there is no body): the answer bound starts. */
  sent(): void;
  /** The answer began, or more of it arrived: the sending bound guards the rest of it. */
  receiving(): void;
  /**
   * A body of `bytes` goes out where the stack cannot see it move (browser fetch): one bound for
   * all of it — the sending bound per MiB begun, then the answer bound.
   */
  unobserved(bytes: number): void;
  /** What to reject with after the underlying request failed: the StallError, if this watch fired. */
  failure(cause: unknown): unknown;
  /** Stops the timer and detaches from the caller's signal. */
  done(): void;
}

export function stallWatch(
  request: Pick<HttpRequest, "signal" | "stallTimeoutMs" | "answerTimeoutMs">
): StallWatch {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stalled: StallError | undefined;
  const arm = (ms: number | undefined, stage: "sending" | "answer") => {
    clearTimeout(timer);
    if (!ms || !Number.isFinite(ms) || ms <= 0 || stalled) return;
    timer = setTimeout(() => {
      stalled = new StallError(stage, ms);
      controller.abort(stalled);
    }, ms);
  };
  const { signal } = request;
  const onAbort = () => {
    clearTimeout(timer);
    controller.abort(signal?.reason);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    progress: () => arm(request.stallTimeoutMs, "sending"),
    sent: () => arm(request.answerTimeoutMs, "answer"),
    receiving: () => arm(request.stallTimeoutMs, "answer"),
    unobserved(bytes) {
      const { stallTimeoutMs: stall, answerTimeoutMs: answer } = request;
      if (!stall || !answer) return arm(stall || answer, "sending");
      arm(stall * Math.max(1, Math.ceil(bytes / 1_048_576)) + answer, "sending");
    },
    failure(cause) {
      if (stalled) return stalled;
      if (signal?.aborted) return signal.reason;
      return cause;
    },
    done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}
