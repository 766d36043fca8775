// Sending requests to the pre-authenticated upload URL. Two implementations of one interface:
// fetch (default; Node streams a Blob body from disk, so a range is never copied into memory)
// and XHR (browser; `upload.onprogress` lets progress move within a range). Neither touches a
// DOM global at import time, so this module loads in Node and in workers.
import { resolveOptions } from "./options";
import type { RangeTransport, TransportRequest, TransportResponse, UploadOptions } from "./types";

export function fetchTransport(
  fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)
): RangeTransport {
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        // The upload URL carries its own credential; never attach cookies or auth.
        credentials: "omit",
        // Same origin policy for redirects: an upload host redirecting is not expected; follow is the safe default.
        redirect: "follow",
      });
      const body = await response.text();
      // fetch reports nothing while the body streams; the whole range counts once answered.
      if (request.body) request.onUploadProgress?.(request.body.size);
      return { status: response.status, header: (name) => response.headers.get(name), body };
    },
  };
}

/**
 * The one session-delete path: DELETE on an upload URL through the options' transport, best effort
 * and bounded by `deleteTimeoutMs` — a cancel must not hang on a dead network. Never rejects.
 */
export async function discardSession(
  uploadUrl: string,
  partialOptions: Partial<UploadOptions> = {}
): Promise<void> {
  try {
    const options = resolveOptions(partialOptions);
    const transport = options.transport ?? fetchTransport(options.fetch);
    await transport.send({
      method: "DELETE",
      url: uploadUrl,
      headers: {},
      signal: AbortSignal.timeout(options.deleteTimeoutMs),
    });
  } catch {
    // The session expires on its own; nothing more to do.
  }
}

interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body?: Blob | null): void;
  abort(): void;
  status: number;
  responseText: string;
  withCredentials: boolean;
  upload: { onprogress: ((event: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
}

/**
 * Browser transport with progress inside a range. `createXhr` defaults to `new XMLHttpRequest()`,
 * looked up when a request is sent (not when the module loads).
 */
export function xhrTransport(
  createXhr: () => XhrLike = () =>
    new (globalThis as unknown as { XMLHttpRequest: new () => XhrLike }).XMLHttpRequest()
): RangeTransport {
  return {
    send(request: TransportRequest): Promise<TransportResponse> {
      return new Promise((resolve, reject) => {
        if (request.signal?.aborted) {
          reject(request.signal.reason);
          return;
        }
        const xhr = createXhr();
        const onAbort = () => xhr.abort();
        const cleanup = () => request.signal?.removeEventListener("abort", onAbort);
        xhr.open(request.method, request.url);
        xhr.withCredentials = false;
        for (const [name, value] of Object.entries(request.headers)) {
          // Browsers compute Content-Length themselves and refuse to let scripts set it.
          if (name.toLowerCase() !== "content-length") xhr.setRequestHeader(name, value);
        }
        if (request.onUploadProgress) {
          const report = request.onUploadProgress;
          xhr.upload.onprogress = (event) => report(event.loaded);
        }
        xhr.onload = () => {
          cleanup();
          if (request.body) request.onUploadProgress?.(request.body.size);
          resolve({
            status: xhr.status,
            header: (name) => xhr.getResponseHeader(name),
            body: xhr.responseText,
          });
        };
        xhr.onerror = () => {
          cleanup();
          reject(new TypeError("XHR network error"));
        };
        xhr.ontimeout = xhr.onerror;
        xhr.onabort = () => {
          cleanup();
          reject(request.signal?.reason ?? new TypeError("XHR aborted"));
        };
        request.signal?.addEventListener("abort", onAbort, { once: true });
        xhr.send(request.body ?? null);
      });
    },
  };
}
