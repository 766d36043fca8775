// The theoretical minimum on a modelled link: every byte at the link's bandwidth, plus one
// round trip of added latency per request the protocol needs (create the session + one per range).

export interface LinkModel {
  /** Added latency per request, ms. */
  latencyMs: number;
  /** Link bandwidth, bits per second. */
  bandwidthBitsPerSec: number;
}

/** Requests for one file through an upload session: createUploadSession + ⌈size / range⌉ PUTs. */
export function sessionRequestCount(sizeBytes: number, rangeBytes: number): number {
  return 1 + Math.ceil(sizeBytes / rangeBytes);
}

/** Seconds: size / bandwidth + one latency per request. */
export function theoreticalMinimumSec(
  sizeBytes: number,
  requests: number,
  link: LinkModel
): number {
  return (sizeBytes * 8) / link.bandwidthBitsPerSec + (requests * link.latencyMs) / 1000;
}

/**
 * Several files over one shared link with `concurrency` parallel streams: the bytes still share
 * the bandwidth, but the latencies of parallel requests overlap.
 */
export function theoreticalMinimumManySec(
  sizes: number[],
  rangeBytes: number,
  concurrency: number,
  link: LinkModel
): number {
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const requests = sizes.reduce((n, size) => n + sessionRequestCount(size, rangeBytes), 0);
  return (bytes * 8) / link.bandwidthBitsPerSec + (requests * link.latencyMs) / 1000 / concurrency;
}
