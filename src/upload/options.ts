// The one defaults object (after tus-js-client's lib/options.ts).
import { abortableSleep } from "./retry";
import type { UploadOptions } from "./types";

/**
 * 12 × 320 KiB. Graph caps a range at 4 MiB and OneDrive-style hosts want multiples of 320 KiB;
 * the largest such multiple under 4 MiB means the fewest requests (per-request overhead is the
 * cost to beat on a fast link) while leaving headroom under the cap.
 */
export const DEFAULT_CHUNK_SIZE = 3_932_160;

export const DEFAULT_UPLOAD_OPTIONS: UploadOptions = {
  chunkSize: DEFAULT_CHUNK_SIZE,
  // Six retries per request, doubling from 1 s; with full jitter the expected total wait is ~30 s,
  // enough to ride out a throttling burst or a Wi-Fi hand-over without hanging for minutes.
  retryDelays: [1_000, 2_000, 4_000, 8_000, 16_000, 30_000],
  maxRetryDelayMs: 60_000,
  maxSessionRestarts: 2,
  itemWaitMs: 0,
  maxStalledRanges: 3,
  resumeSafetyMarginMs: 60_000,
  deleteTimeoutMs: 5_000,
  fetch: (...args) => globalThis.fetch(...args),
  sleep: abortableSleep,
  random: Math.random,
  now: Date.now,
};

export function resolveOptions(partial: Partial<UploadOptions> = {}): UploadOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const options = { ...DEFAULT_UPLOAD_OPTIONS, ...defined } as UploadOptions;
  if (
    !Number.isSafeInteger(options.chunkSize) ||
    options.chunkSize < 1 ||
    options.chunkSize > 4 * 1024 * 1024
  ) {
    throw new RangeError("chunkSize must be an integer between 1 and 4,194,304 bytes.");
  }
  return options;
}
