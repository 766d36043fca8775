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
 * Several files with `concurrency` parallel streams, each paced on its own (the emulator paces
 * every request body separately, so each stream gets the full bandwidth; a real uplink would be
 * shared). Files go to whichever stream frees first; the minimum is the last stream's finish.
 */
export function theoreticalMinimumManySec(
  sizes: number[],
  rangeBytes: number,
  concurrency: number,
  link: LinkModel
): number {
  const streams = new Array<number>(Math.max(1, concurrency)).fill(0);
  for (const size of sizes) {
    const earliest = streams.indexOf(Math.min(...streams));
    streams[earliest] += theoreticalMinimumSec(size, sessionRequestCount(size, rangeBytes), link);
  }
  return Math.max(...streams);
}

/**
 * Requests of the OneDrive route for one file: the folder made sure of (at best one POST with
 * conflictBehavior `replace`, which keeps an existing folder), createUploadSession, ⌈size / range⌉
 * PUTs, and createLink.
 */
export function driveRouteRequestCount(sizeBytes: number, rangeBytes: number): number {
  return 1 + sessionRequestCount(sizeBytes, rangeBytes) + 1;
}
