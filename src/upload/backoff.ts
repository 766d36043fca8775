// The one backoff owner of an upload: every wait — a retry, the item-sync wait — sets its phase
// with the time of the next try and what failed, sleeps (abortably), and restores the phase it
// interrupted. Graph calls and range PUTs both wait through it, so a phase is never restored twice
// or to the wrong value.
import { AbortError, PauseRequest } from "./errors";
import type { UploadOptions, UploadPhase, UploadPhaseDetail } from "./types";

/** Rejects with the right error when `signal` fired: AbortError(paused) for a pause, AbortError otherwise. */
export function abortErrorFor(signal: AbortSignal | undefined, cause?: unknown): AbortError {
  return new AbortError(signal?.reason instanceof PauseRequest, { cause });
}

export class Phases {
  private current: UploadPhase = "queued";
  constructor(private readonly onPhase?: UploadOptions["onPhase"]) {}

  get phase(): UploadPhase {
    return this.current;
  }

  set(phase: UploadPhase, detail?: UploadPhaseDetail) {
    if (phase === this.current && !detail) return;
    this.current = phase;
    this.onPhase?.(phase, detail);
  }
}

export class Backoff {
  constructor(
    private readonly options: Pick<UploadOptions, "sleep" | "now" | "signal">,
    private readonly phases: Phases
  ) {}

  /** Waits `ms` in `phase` (retryAt and the error in its detail), then restores the phase it interrupted. */
  async wait(
    ms: number,
    error: unknown,
    phase: "retrying" | "waiting-for-item" = "retrying"
  ): Promise<void> {
    const { options } = this;
    const interrupted = this.phases.phase;
    this.phases.set(phase, { retryAt: options.now() + ms, error });
    try {
      await options.sleep(ms, options.signal);
    } catch (e) {
      throw abortErrorFor(options.signal, e);
    }
    const waiting = interrupted === "retrying" || interrupted === "waiting-for-item";
    this.phases.set(waiting ? "uploading" : interrupted);
  }
}
