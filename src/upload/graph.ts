// Graph requests (never the upload URL), through the upload's HTTP seam: a fresh token per
// request, one claims-challenge retry on 401, the retry policy (retry.ts), the item-sync wait, and
// Graph errors mapped onto the error hierarchy. Waits go through the upload's one Backoff.
import { abortErrorFor, type Backoff } from "./backoff";
import {
  HttpError,
  ItemNotFoundError,
  MessageSizeExceededError,
  NetworkError,
  ProtocolError,
  SharedMailboxForbiddenError,
  TokenError,
  networkReason,
} from "./errors";
import { claimsFromChallenge, httpErrorFrom } from "./protocol";
import { parseRetryAfter, retryWait } from "./retry";
import { StallError, formatMs } from "./stall";
import type { HttpResponse, HttpStack, TokenProvider, UploadOptions, UploadTarget } from "./types";

/** `${graphBaseUrl}/me|users/{upn}/messages|events/{id}/attachments` */
export function attachmentsUrl(target: UploadTarget): string {
  const base = target.graphBaseUrl.replace(/\/+$/, "");
  const mailbox = target.mailbox === "me" ? "me" : `users/${encodeURIComponent(target.mailbox)}`;
  const kind = target.itemKind === "event" ? "events" : "messages";
  // REST ids are base64url-like; "=" is legal in a path segment and kept readable.
  const id = encodeURIComponent(target.itemId).replace(/%3D/gi, "=");
  return `${base}/${mailbox}/${kind}/${id}/attachments`;
}

export interface GraphContext {
  /** Whose mailbox (a 403 on another's is Graph's shared-mailbox limitation). */
  target: Pick<UploadTarget, "mailbox">;
  /** How this route's error answers read (default: Outlook's, httpErrorFrom). */
  errorFrom?(
    status: number,
    body: string,
    header: (name: string) => string | null,
    what: string
  ): HttpError;
  getToken: TokenProvider;
  options: UploadOptions;
  http: HttpStack;
  backoff: Backoff;
}

export interface GraphCall {
  method: "POST" | "GET" | "DELETE" | "PATCH";
  url: string;
  body?: string;
  /** What the call does, for messages ("Creating the upload session"). */
  what: string;
  /**
   * May a request that the server might have acted on be repeated? False for the small-file POST:
   * then a dropped connection, a stall or a 500/502/504 is thrown at once (as a NetworkError or
   * HttpError) for the caller to check the item before trying again.
   */
  idempotent: boolean;
  /**
   * Let a request already sent finish after a cancel (for up to `deleteTimeoutMs`), so what it
   * created on the server is known and can be freed: a createUploadSession cut off mid-flight
   * leaves a session open that nobody can DELETE. The caller checks the signal afterwards.
   */
  finishInFlight?: boolean;
}

export async function graphRequest(ctx: GraphContext, call: GraphCall): Promise<HttpResponse> {
  const { options } = ctx;
  const kind = call.idempotent ? "graph" : "graph-once";
  let attempt = 0;
  let claims: string | undefined;
  let authRetried = false;
  let itemWaitStart: number | undefined;
  let itemWaits = 0;
  for (;;) {
    if (options.signal?.aborted) throw abortErrorFor(options.signal);
    const token = await tokenFor(ctx, claims);
    let response: HttpResponse;
    const inFlight = call.finishInFlight
      ? graceSignal(options.signal, options.deleteTimeoutMs)
      : undefined;
    try {
      response = await ctx.http.send({
        method: call.method,
        url: call.url,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: call.body,
        signal: inFlight?.signal ?? options.signal,
        stallTimeoutMs: options.stallTimeoutMs,
        answerTimeoutMs: options.answerTimeoutMs,
      });
    } catch (error) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal, error);
      if (error instanceof ProtocolError) throw error;
      const wait = retryWait(options, ++attempt, kind, {});
      if (wait === undefined) throw connectionFailed(call.what, error, attempt > 1);
      await ctx.backoff.wait(wait, connectionError(error));
      continue;
    } finally {
      inFlight?.done();
    }
    const { status } = response;
    if (status >= 200 && status < 300) return response;

    const error = ctx.errorFrom
      ? ctx.errorFrom(status, response.body, response.header, call.what)
      : httpErrorFrom(status, response.body, response.header, ctx.target, call.what);
    if (error instanceof MessageSizeExceededError || error instanceof SharedMailboxForbiddenError)
      throw error;
    if (status === 401 && !authRetried) {
      authRetried = true;
      claims = claimsFromChallenge(response.header("www-authenticate"));
      continue;
    }
    // A draft Outlook saved may take seconds to minutes to reach the server (cached mode), however
    // it was saved: the wait is armed on the first 404 of the item.
    if (error instanceof ItemNotFoundError && options.itemWaitMs > 0) {
      const now = options.now();
      itemWaitStart ??= now;
      const remaining = itemWaitStart + options.itemWaitMs - now;
      if (remaining <= 0) throw new ItemNotFoundError(error, now - itemWaitStart, { cause: error });
      const base =
        options.retryDelays[Math.min(itemWaits++, options.retryDelays.length - 1)] ?? 1_000;
      await ctx.backoff.wait(Math.min(base, remaining), error, "waiting-for-item");
      continue;
    }
    const retryAfterMs = parseRetryAfter(response.header("retry-after"), options.now());
    const wait = retryWait(options, ++attempt, kind, { status, retryAfterMs });
    if (wait === undefined) throw error;
    await ctx.backoff.wait(wait, error);
  }
}

async function tokenFor(ctx: GraphContext, claims: string | undefined): Promise<string> {
  // Called per request: tokens expire during a long upload, and the provider caches.
  try {
    return await ctx.getToken(claims ? { claims } : undefined);
  } catch (error) {
    if (ctx.options.signal?.aborted) throw abortErrorFor(ctx.options.signal, error);
    throw new TokenError(error);
  }
}

/** The error a retry waits on: a stall says so ("No answer from the server for 30 s. Reconnecting…"). */
export function connectionError(error: unknown): NetworkError {
  if (error instanceof StallError) return error;
  return new NetworkError(`The connection failed${reasonSuffix(error)}.`, { cause: error });
}

/** The error once no more tries are left. */
export function connectionFailed(what: string, error: unknown, retried: boolean): NetworkError {
  const every = retried ? ", on every attempt" : "";
  const why =
    error instanceof StallError
      ? `no answer from the server for ${formatMs(error.ms)}${every}`
      : `the connection kept failing${reasonSuffix(error)}`;
  return new NetworkError(`${what} failed: ${why}.`, { cause: error });
}

/** A signal that fires `graceMs` after `signal` does (or never, without one); `done()` detaches it. */
export function graceSignal(signal: AbortSignal | undefined, graceMs: number) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    timer = setTimeout(() => controller.abort(signal?.reason), graceMs);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}

function reasonSuffix(error: unknown): string {
  const reason = networkReason(error);
  return reason ? ` (${reason})` : "";
}
