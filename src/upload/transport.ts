// The one HTTP seam (after tus-js-client's HttpStack): every request the engine makes — Graph's,
// with the Bearer header the Graph layer adds, and the upload host's, never with it — goes through
// `HttpStack.send`. Two implementations here: fetch (the default) and XHR (browser; upload
// progress moves within a range); the CLI has its own over node:http (src/cli/node-transport.ts).
// Each reports what it sees to a stallWatch (stall.ts), the one place stalls are decided. Neither
// touches a DOM global at import time, so this module loads in Node and in workers.
import { ProtocolError } from "./errors";
import { resolveOptions } from "./options";
import { stallWatch, type StallWatch } from "./stall";
import type { HttpRequest, HttpResponse, HttpStack, UploadOptions } from "./types";

export interface FetchStackOptions {
  /**
   * Send Blob bodies as a stream the stack counts as it is pulled, so a body that stops moving is
   * seen (Node's fetch). Browsers only stream request bodies over HTTP/2, so there the Blob goes
   * as it is and the stall bound covers the whole body instead (`unobserved`). Default: stream
   * where there is no DOM.
   */
  streamBodies?: boolean;
}

export function fetchStack(
  fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
  stackOptions: FetchStackOptions = {}
): HttpStack {
  const stream = stackOptions.streamBodies ?? !("document" in globalThis);
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      const watch = stallWatch(request);
      try {
        const { body } = request;
        let sent: BodyInit | undefined = body;
        const init: RequestInit & { duplex?: "half" } = {};
        if (body instanceof Blob && body.size > 0 && stream) {
          sent = countedBody(body, watch);
          init.duplex = "half"; // required by fetch for a stream body
        } else if (body instanceof Blob && body.size > 0) {
          watch.unobserved(body.size);
        } else {
          watch.sent();
        }
        const response = await fetchImpl(request.url, {
          ...init,
          method: request.method,
          headers: request.headers,
          body: sent,
          signal: watch.signal,
          // The upload URL carries its own credential; never attach cookies or auth.
          credentials: "omit",
          // "manual", so a redirect is seen and refused (below) instead of failing like a network error.
          redirect: request.refuseRedirects ? "manual" : "follow",
        });
        watch.receiving();
        if (request.refuseRedirects && isRedirect(response)) {
          void response.body?.cancel().catch(() => undefined);
          throw redirectRefused(request.url);
        }
        const text = await response.text();
        // Without a counted stream fetch reports nothing while the body goes; it counts once answered.
        if (body instanceof Blob) request.onUploadProgress?.(body.size);
        return {
          status: response.status,
          header: (name) => response.headers.get(name),
          body: text,
        };
      } catch (error) {
        throw watch.failure(error);
      } finally {
        watch.done();
      }
    },
  };
}

/** A Blob body as a stream that tells the watch each time the network pulls more of it. */
function countedBody(blob: Blob, watch: StallWatch): ReadableStream<Uint8Array> {
  const reader = blob.stream().getReader();
  watch.progress();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          watch.sent();
          controller.close();
          return;
        }
        watch.progress();
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 } // pulled only when the network wants more: a stalled socket stops the pulls
  );
}

function isRedirect(response: Response): boolean {
  return (
    response.type === "opaqueredirect" ||
    (response.status >= 300 && response.status < 400 && response.status !== 304)
  );
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/** Names the host only: the URL is a secret. */
function redirectRefused(url: string): ProtocolError {
  return new ProtocolError(
    `The upload host ${new URL(url).host} answered with a redirect; upload URLs are not followed elsewhere.`
  );
}

/**
 * The one session-delete path: DELETE on an upload URL through the options' stack, best effort
 * and bounded by `deleteTimeoutMs` — a cancel must not hang on a dead network. Never rejects.
 */
export async function discardSession(
  uploadUrl: string,
  partialOptions: Partial<UploadOptions> = {}
): Promise<void> {
  try {
    const options = resolveOptions(partialOptions);
    const stack = options.transport ?? fetchStack(options.fetch);
    await stack.send({
      method: "DELETE",
      url: uploadUrl,
      headers: {},
      signal: AbortSignal.timeout(options.deleteTimeoutMs),
      refuseRedirects: true,
    });
  } catch {
    // The session expires on its own; nothing more to do.
  }
}

interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body?: Blob | string | null): void;
  abort(): void;
  status: number;
  responseText: string;
  responseURL?: string;
  withCredentials: boolean;
  upload: {
    onprogress: ((event: { loaded: number }) => void) | null;
    onload?: (() => void) | null;
  };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
  onreadystatechange?: (() => void) | null;
  onprogress?: (() => void) | null;
  readyState?: number;
}

/**
 * Browser stack with progress inside a range. `createXhr` defaults to `new XMLHttpRequest()`,
 * looked up when a request is sent (not when the module loads).
 */
export function xhrStack(
  createXhr: () => XhrLike = () =>
    new (globalThis as unknown as { XMLHttpRequest: new () => XhrLike }).XMLHttpRequest()
): HttpStack {
  return {
    send(request: HttpRequest): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        const watch = stallWatch(request);
        if (watch.signal.aborted) {
          watch.done();
          reject(watch.failure(undefined));
          return;
        }
        const xhr = createXhr();
        const onAbort = () => xhr.abort();
        const fail = (error: unknown) => {
          watch.signal.removeEventListener("abort", onAbort);
          watch.done();
          reject(error);
        };
        xhr.open(request.method, request.url);
        xhr.withCredentials = false;
        for (const [name, value] of Object.entries(request.headers)) {
          // Browsers compute Content-Length themselves and refuse to let scripts set it.
          if (name.toLowerCase() !== "content-length") xhr.setRequestHeader(name, value);
        }
        const report = request.onUploadProgress;
        xhr.upload.onprogress = (event) => {
          watch.progress();
          report?.(event.loaded);
        };
        xhr.upload.onload = () => watch.sent();
        xhr.onreadystatechange = () => {
          if ((xhr.readyState ?? 0) >= 2) watch.receiving(); // HEADERS_RECEIVED: the answer began
        };
        xhr.onprogress = () => watch.receiving();
        xhr.onload = () => {
          // XHR follows redirects silently; a different final URL means the upload host redirected.
          // responseURL is the parsed URL (OneDrive's guid='…' comes back as guid=%27…%27): compare
          // it with the request's URL parsed the same way, not with the text as sent.
          if (
            request.refuseRedirects &&
            xhr.responseURL &&
            !sameUrl(xhr.responseURL, request.url)
          ) {
            fail(redirectRefused(request.url));
            return;
          }
          watch.signal.removeEventListener("abort", onAbort);
          watch.done();
          if (request.body instanceof Blob) report?.(request.body.size);
          resolve({
            status: xhr.status,
            header: (name) => xhr.getResponseHeader(name),
            body: xhr.responseText,
          });
        };
        xhr.onerror = () => fail(watch.failure(new TypeError("XHR network error")));
        xhr.ontimeout = xhr.onerror;
        xhr.onabort = () => fail(watch.failure(new TypeError("XHR aborted")));
        watch.signal.addEventListener("abort", onAbort, { once: true });
        const body = request.body;
        if (body instanceof Blob ? body.size > 0 : Boolean(body)) watch.progress();
        else watch.sent();
        xhr.send(body ?? null);
      });
    },
  };
}

/** Former names (the seam used to carry upload-URL requests only). */
export const fetchTransport = fetchStack;
export const xhrTransport = xhrStack;
