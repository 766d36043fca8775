// Graph requests (never the upload URL): a fresh token per request, one claims-challenge retry
// on 401, the retry policy, the item-sync wait, and Graph errors mapped onto the error hierarchy.
import {
  AbortError,
  HttpError,
  ItemNotFoundError,
  MessageSizeExceededError,
  NetworkError,
  PauseRequest,
  SharedMailboxForbiddenError,
  TokenError,
  networkReason,
  redactText,
} from "./errors";
import { claimsFromChallenge, parseGraphError } from "./protocol";
import { NOT_PROCESSED_STATUSES, RETRY_STATUSES, parseRetryAfter, retryDelay } from "./retry";
import type {
  TokenProvider,
  UploadOptions,
  UploadPhase,
  UploadPhaseDetail,
  UploadTarget,
} from "./types";

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
  target: UploadTarget;
  getToken: TokenProvider;
  options: UploadOptions;
  /** Report a phase change; `resumePhase` is what to report again once a wait is over. */
  phase(phase: UploadPhase, detail?: UploadPhaseDetail): void;
  resumePhase: UploadPhase;
}

export interface GraphCall {
  method: "POST" | "GET" | "DELETE";
  url: string;
  body?: string;
  /** What the call does, for messages ("Creating the upload session"). */
  what: string;
  /** May a request that the server might have acted on be repeated? False for the small-file POST. */
  idempotent: boolean;
  /**
   * Let a request already sent finish after a cancel (for up to `deleteTimeoutMs`), so what it
   * created on the server is known and can be freed: a createUploadSession cut off mid-flight
   * leaves a session open that nobody can DELETE. The caller checks the signal afterwards.
   */
  finishInFlight?: boolean;
}

export interface GraphResponse {
  status: number;
  header(name: string): string | null;
  body: string;
}

/** Rejects with the right error when `signal` fired: AbortError(paused) for a pause, AbortError otherwise. */
export function abortErrorFor(signal: AbortSignal | undefined, cause?: unknown): AbortError {
  return new AbortError(signal?.reason instanceof PauseRequest, { cause });
}

export function httpErrorFrom(
  status: number,
  body: string,
  header: (name: string) => string | null,
  target: UploadTarget,
  what: string
): HttpError {
  const parsed = parseGraphError(body);
  const details = {
    status,
    code: parsed.code,
    message: parsed.message,
    requestId: parsed.requestId ?? header("request-id") ?? header("client-request-id") ?? undefined,
    date: parsed.date ?? header("date") ?? undefined,
  };
  if (parsed.code === "ErrorMessageSizeExceeded") return new MessageSizeExceededError(details);
  if (status === 404 && (parsed.code === "ErrorItemNotFound" || parsed.code === undefined)) {
    return new ItemNotFoundError(details, 0);
  }
  if (status === 403 && target.mailbox !== "me") return new SharedMailboxForbiddenError(details);
  const serverSays = parsed.message ? `: ${redactText(parsed.message).slice(0, 300)}` : "";
  return new HttpError(
    `${what} failed with HTTP ${status}${parsed.code ? ` ${parsed.code}` : ""}${serverSays}`,
    details,
    {
      retryable: RETRY_STATUSES.has(status),
    }
  );
}

export async function graphRequest(ctx: GraphContext, call: GraphCall): Promise<GraphResponse> {
  const { options } = ctx;
  let attempt = 0;
  let claims: string | undefined;
  let authRetried = false;
  let itemWaitStart: number | undefined;
  let itemWaits = 0;
  for (;;) {
    if (options.signal?.aborted) throw abortErrorFor(options.signal);
    // Called per request: tokens expire during a long upload, and the provider caches.
    let token: string;
    try {
      token = await ctx.getToken(claims ? { claims } : undefined);
    } catch (error) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal, error);
      throw new TokenError(error);
    }
    let status: number;
    let body: string;
    let headers: Headers;
    const inFlight = call.finishInFlight
      ? graceSignal(options.signal, options.deleteTimeoutMs)
      : undefined;
    try {
      const response = await options.fetch(call.url, {
        method: call.method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: call.body,
        signal: inFlight?.signal ?? options.signal,
      });
      status = response.status;
      headers = response.headers;
      body = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal, error);
      const wait = call.idempotent ? retryDelay({ attempt: ++attempt, ...options }) : undefined;
      if (wait === undefined)
        throw new NetworkError(
          `${call.what} failed: the connection to Graph failed${reasonSuffix(error)}.`,
          { cause: error }
        );
      await pause(
        ctx,
        wait,
        new NetworkError(`The connection to Graph failed${reasonSuffix(error)}.`, { cause: error })
      );
      continue;
    } finally {
      inFlight?.done();
    }
    if (status >= 200 && status < 300) return { status, header: (name) => headers.get(name), body };

    const error = httpErrorFrom(status, body, (name) => headers.get(name), ctx.target, call.what);
    if (error instanceof MessageSizeExceededError || error instanceof SharedMailboxForbiddenError)
      throw error;
    if (status === 401 && !authRetried) {
      authRetried = true;
      claims = claimsFromChallenge(headers.get("www-authenticate"));
      continue;
    }
    if (error instanceof ItemNotFoundError && options.itemWaitMs > 0) {
      const now = options.now();
      itemWaitStart ??= now;
      const remaining = itemWaitStart + options.itemWaitMs - now;
      if (remaining <= 0) throw new ItemNotFoundError(error, now - itemWaitStart, { cause: error });
      const base =
        options.retryDelays[Math.min(itemWaits++, options.retryDelays.length - 1)] ?? 1_000;
      const wait = Math.min(base, remaining);
      ctx.phase("waiting-for-item", { retryAt: now + wait, error });
      await options.sleep(wait, options.signal).catch((e) => {
        throw abortErrorFor(options.signal, e);
      });
      ctx.phase(ctx.resumePhase);
      continue;
    }
    if (RETRY_STATUSES.has(status) && (call.idempotent || NOT_PROCESSED_STATUSES.has(status))) {
      const retryAfterMs = parseRetryAfter(headers.get("retry-after"), options.now());
      const wait = retryDelay({ attempt: ++attempt, ...options, retryAfterMs });
      if (wait !== undefined) {
        await pause(ctx, wait, error);
        continue;
      }
    }
    throw error;
  }
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

async function pause(ctx: GraphContext, wait: number, error?: unknown) {
  ctx.phase("retrying", { retryAt: ctx.options.now() + wait, error });
  await ctx.options.sleep(wait, ctx.options.signal).catch((e) => {
    throw abortErrorFor(ctx.options.signal, e);
  });
  ctx.phase(ctx.resumePhase);
}

function reasonSuffix(error: unknown): string {
  const reason = networkReason(error);
  return reason ? ` (${reason})` : "";
}
