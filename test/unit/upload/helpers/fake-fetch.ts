// A fetch that hands each request to the test, which answers it (tus-js-client's test style):
//   const req = await server.nextRequest(); expect(req.method).toBe("PUT"); req.respondWith(200, {...});
import { withUploadOrigins, type UploadFile, type UploadOptions } from "../../../../src/upload";

export interface FakeRequest {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
  signal?: AbortSignal;
  bodyBytes(): Promise<Uint8Array>;
  bodyText(): Promise<string>;
  respondWith(status: number, body?: string | object, headers?: Record<string, string>): void;
  /** A network failure (fetch rejects with a TypeError). */
  fail(message?: string): void;
}

export class FakeFetch {
  private readonly queue: FakeRequest[] = [];
  private readonly waiters: ((req: FakeRequest) => void)[] = [];
  readonly seen: FakeRequest[] = [];

  fetch = ((input: string | URL | Request, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(new DOMException("aborted", "AbortError"));
        return;
      }
      let settled = false;
      signal?.addEventListener("abort", () => {
        if (!settled) reject(new DOMException("aborted", "AbortError"));
        settled = true;
      });
      const body = init.body;
      const req: FakeRequest = {
        method: (init.method ?? "GET").toUpperCase(),
        url: String(input),
        headers: new Headers(init.headers),
        body,
        signal,
        async bodyBytes() {
          if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
          // Node's fetch stack streams Blob bodies (counted, for stall detection).
          if (body instanceof ReadableStream)
            return new Uint8Array(await new Response(body).arrayBuffer());
          if (typeof body === "string") return new TextEncoder().encode(body);
          return new Uint8Array();
        },
        async bodyText() {
          return new TextDecoder().decode(await req.bodyBytes());
        },
        respondWith(status, responseBody = "", headers = {}) {
          if (settled) return;
          settled = true;
          const text =
            typeof responseBody === "string" ? responseBody : JSON.stringify(responseBody);
          resolve(new Response(status === 204 ? null : text, { status, headers }));
        },
        fail(message = "fetch failed") {
          if (settled) return;
          settled = true;
          reject(new TypeError(message));
        },
      };
      this.seen.push(req);
      const waiter = this.waiters.shift();
      if (waiter) waiter(req);
      else this.queue.push(req);
    })) as typeof fetch;

  nextRequest(): Promise<FakeRequest> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Requests sent but not yet taken with nextRequest(). */
  get pending(): number {
    return this.queue.length;
  }
}

export const GRAPH = "https://graph.test/v1.0";
export const UPLOAD_URL =
  "https://upload.test/api/v2.0/Users('u')/Messages('m')/AttachmentSessions('s')?authtoken=SECRET-UPLOAD-TOKEN";
export const TOKEN = "eyJhbGciOi.FAKE-GRAPH-TOKEN.sig";
export const target = {
  graphBaseUrl: GRAPH,
  mailbox: "me",
  itemKind: "message" as const,
  itemId: "AAMkAD=",
};

/** A file with predictable bytes (i % 251), backed by a real Blob. */
export function patternFile(
  size: number,
  name = "report.bin",
  lastModified = 1_700_000_000_000
): UploadFile {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  const blob = new Blob([bytes]);
  return {
    name,
    size,
    lastModified,
    type: "application/octet-stream",
    slice: (s, e, t) => blob.slice(s, e, t),
  };
}

/** A file of any size whose slices are conjured on demand (for routing sizes up to 150 MiB). */
export function virtualFile(size: number, name = "big.bin"): UploadFile {
  return {
    name,
    size,
    lastModified: 1,
    slice: (s = 0, e = size) => new Blob([new Uint8Array(Math.max(0, e - s))]),
  };
}

export function expectedSlice(start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = i % 251;
  return out;
}

/** Test options: no real waiting, fixed randomness, a clock the test controls. */
export function testOptions(fake: FakeFetch, extra: Partial<UploadOptions> = {}) {
  const sleeps: number[] = [];
  const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
  const options: Partial<UploadOptions> = {
    fetch: fake.fetch,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    now: () => clock.now,
    allowedUploadOrigins: withUploadOrigins("https://upload.test", "https://up.test"),
    ...extra,
  };
  return { options, sleeps, clock };
}

export function sessionCreated(expiration = "2026-01-01T01:00:00Z", ranges: string[] = ["0-"]) {
  return { uploadUrl: UPLOAD_URL, expirationDateTime: expiration, nextExpectedRanges: ranges };
}
