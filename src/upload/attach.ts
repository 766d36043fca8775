// The upload state machine (after tus-js-client's lib/upload.ts): one file, one target, either
// one small POST or an upload session whose ranges go strictly in order, following the server.
// Every request goes through one HTTP seam (options.transport); every wait through one Backoff.
import { Backoff, Phases, abortErrorFor } from "./backoff";
import {
  AbortError,
  FileReadError,
  HttpError,
  MessageSizeExceededError,
  NetworkError,
  ProtocolError,
  SessionExpiredError,
} from "./errors";
import {
  attachmentsUrl,
  connectionError,
  connectionFailed,
  graceSignal,
  graphRequest,
  type GraphContext,
} from "./graph";
import { resolveOptions, uploadOriginAllowed } from "./options";
import {
  OUTLOOK_RANGE_RULES,
  attachmentIdFromLocation,
  getCaseInsensitive,
  idFromBody,
  parseSessionStatus,
  type RangeOutcome,
  type RangeRules,
} from "./protocol";
import { canResume, createResumeRecord } from "./resume";
import { RETRY_STATUSES, retryWait } from "./retry";
import { DEFAULT_CONTENT_TYPE, chooseRoute, smallFileBody } from "./routing";
import { discardSession, fetchStack } from "./transport";
import type {
  AttachResult,
  HttpResponse,
  HttpStack,
  ResumeRecord,
  TokenProvider,
  UploadFile,
  UploadOptions,
  UploadTarget,
} from "./types";

interface Session {
  uploadUrl: string;
  expirationDateTime: string;
  createdAt: string;
  /** Next byte the server expects (its last word). */
  offset: number;
}

/** How a session's ranges ended, when not with an error. */
type RangesEnd = Extract<RangeOutcome, { kind: "attached" | "attached-unnamed" | "session-lost" }>;

/**
 * Outlook's sessions last about 15 minutes. A session whose answer states no (readable) expiry is
 * given that much, so a resume record never promises a session for longer than it can live.
 */
const DEFAULT_SESSION_LIFETIME_MS = 15 * 60_000;

function sessionOf(record: ResumeRecord): Session {
  const { uploadUrl, expirationDateTime, createdAt, offset } = record;
  return { uploadUrl, expirationDateTime, createdAt, offset };
}

export async function attachFile(
  file: UploadFile,
  target: UploadTarget,
  getToken: TokenProvider,
  partialOptions: Partial<UploadOptions> = {}
): Promise<AttachResult> {
  const options = resolveOptions(partialOptions);
  // Restrictions are checked before anything touches the network.
  const route = chooseRoute(file);
  return new Upload(file, target, getToken, options, route).run();
}

class Upload {
  private readonly http: HttpStack;
  private readonly startedAt: number;
  private readonly phases: Phases;
  private readonly backoff: Backoff;
  private readonly graph: GraphContext;
  private readonly rules: RangeRules = OUTLOOK_RANGE_RULES;
  private maxSent = 0;
  private maxAcknowledged = 0;
  /** Server clock minus ours as Graph's `Date` header states it (whole seconds). */
  private serverSkewMs = 0;
  /**
   * The skew expiry checks apply. Expiry times are the server's: a client clock running minutes
   * fast would otherwise see every new session as already expired and give up after
   * `maxSessionRestarts` without sending a byte. `Date` has whole seconds: below a few seconds the
   * difference is rounding, not skew.
   */
  private get clockSkewMs(): number {
    return Math.abs(this.serverSkewMs) > 5_000 ? this.serverSkewMs : 0;
  }
  /**
   * Local time when this session's last range was first sent, or undefined before. The server may
   * commit the attachment and the answer be lost; if the session then answers 404 (a finished
   * session does), the item is checked before starting over, so nothing is attached twice.
   */
  private lastRangeSentAt: number | undefined;

  constructor(
    private readonly file: UploadFile,
    private readonly target: UploadTarget,
    getToken: TokenProvider,
    private readonly options: UploadOptions,
    private readonly route: "post" | "session"
  ) {
    this.http = options.transport ?? fetchStack(options.fetch);
    this.startedAt = options.now();
    this.phases = new Phases(options.onPhase);
    this.backoff = new Backoff(options, this.phases);
    this.graph = { target, getToken, options, http: this.http, backoff: this.backoff };
  }

  async run(): Promise<AttachResult> {
    if (this.options.signal?.aborted) throw abortErrorFor(this.options.signal);
    const attachmentId =
      this.route === "post" ? await this.postSmallFile() : await this.uploadWithSessions();
    this.report(this.file.size, this.file.size);
    this.phases.set("attached");
    return {
      attachmentId,
      route: this.route,
      bytes: this.file.size,
      ms: this.options.now() - this.startedAt,
    };
  }

  // ---- small files ------------------------------------------------------------------------

  private async postSmallFile(): Promise<string> {
    this.phases.set("uploading");
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await this.file.slice(0, this.file.size).arrayBuffer());
    } catch (error) {
      throw new FileReadError(this.file.name, { cause: error });
    }
    const body = smallFileBody(this.file, toBase64(bytes));
    let attempt = 0;
    let firstSentAt: number | undefined; // set when a POST's outcome was unknown
    for (;;) {
      const sentAt = this.options.now();
      let response: HttpResponse;
      try {
        response = await graphRequest(this.graph, {
          method: "POST",
          url: attachmentsUrl(this.target),
          body,
          what: "Attaching the file",
          idempotent: false,
        });
      } catch (error) {
        if (!outcomeUnknown(error)) throw error;
        firstSentAt ??= sentAt;
        const status = error instanceof HttpError ? error.status : undefined;
        const wait = retryWait(this.options, ++attempt, "graph", { status });
        if (wait === undefined) throw error;
        // Wait first: a server goes on storing a POST whose connection died, so a listing at once
        // proves little (chaos trial 965010870). Then the POST is sent again only if nothing landed.
        await this.backoff.wait(
          wait,
          error instanceof HttpError ? error : connectionError(error.cause)
        );
        const landed = await this.attachmentSince(
          firstSentAt,
          "Checking whether the file was attached"
        );
        if (landed) return landed;
        this.phases.set("uploading");
        continue;
      }
      const id = idFromBody(response.body) ?? attachmentIdFromLocation(response.header("location"));
      if (!id) {
        throw new ProtocolError(
          `Graph answered ${response.status} to the attachment POST without an attachment id; the attachment may ` +
            "exist on the item anyway — check it before retrying."
        );
      }
      return firstSentAt === undefined ? id : this.keepOlderCopy(id, firstSentAt);
    }
  }

  /**
   * After a re-sent POST succeeded: if a cut POST landed after all (stored later than the check
   * before the resend could see), the item holds two copies. The older one is the result; ours,
   * the newer, is DELETEd, so a race can never leave a duplicate.
   */
  private async keepOlderCopy(id: string, since: number): Promise<string> {
    const listed = await this.attachmentsSince(since, "Checking that the file is attached once");
    const older = listed.filter((other) => other !== id).at(-1);
    if (older === undefined) return id;
    try {
      await graphRequest(this.graph, {
        method: "DELETE",
        url: `${attachmentsUrl(this.target)}/${encodeURIComponent(id).replace(/%3D/gi, "=")}`,
        what: "Removing the second copy of the file",
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof AbortError) throw error;
      // The file is attached either way: failing now would invite a third copy.
    }
    return older;
  }

  // ---- upload sessions --------------------------------------------------------------------

  private async uploadWithSessions(): Promise<string> {
    const { options } = this;
    let session: Session | undefined;
    try {
      session = await this.sessionFromResumeRecord(options.resume);
    } catch (error) {
      // Cancelled while asking the server where a resumed session stands: free it all the same.
      if (options.resume) await this.failSession(sessionOf(options.resume), error);
      throw error;
    }
    let restarts = 0;
    for (;;) {
      try {
        session ??= await this.createSession();
        const end = await this.uploadRanges(session);
        if (end.kind === "attached") {
          options.onResumeRecord?.(null);
          return end.attachmentId;
        }
        // Lost, or attached without saying as what: the last range may have been committed.
        const committed = await this.attachmentFromLostLastRange();
        if (committed) {
          options.onResumeRecord?.(null);
          return committed;
        }
        if (end.kind === "attached-unnamed") {
          throw new ProtocolError(
            "The upload finished (201) but the server gave no attachment id (no Location header it let us read, no " +
              "id in the body), and the item does not list it yet; the attachment may exist on the item — check it " +
              "before retrying."
          );
        }
        // Free the abandoned session (an expired one may still be listed by the server).
        await this.deleteSession(session.uploadUrl);
        options.onResumeRecord?.(null); // the record points at a dead session
        if (restarts >= options.maxSessionRestarts) {
          throw new SessionExpiredError(
            `The upload session expired or was lost ${restarts + 1} time(s); giving up. Try again.`
          );
        }
        restarts++;
        session = undefined; // start over from byte 0 in a new session
      } catch (error) {
        await this.failSession(session, error);
        throw error;
      }
    }
  }

  /** Cleans up after a failure: cancel and message-size errors leave nothing half-attached. */
  private async failSession(session: Session | undefined, error: unknown) {
    const paused = error instanceof AbortError && error.paused;
    if (paused) return; // keep the session and the resume record for the resume
    if (
      error instanceof AbortError ||
      error instanceof MessageSizeExceededError ||
      error instanceof ProtocolError ||
      error instanceof FileReadError
    ) {
      if (session && this.allowed(session.uploadUrl)) await this.deleteSession(session.uploadUrl);
      this.options.onResumeRecord?.(null);
    }
    // Other failures (network, retries spent) keep the record: the session may still be resumed.
  }

  private async sessionFromResumeRecord(
    record: ResumeRecord | undefined
  ): Promise<Session | undefined> {
    if (!record) return undefined;
    const { options } = this;
    if (!this.allowed(record.uploadUrl)) {
      // Not an upload host this engine sends to: not even a DELETE goes there.
      options.onResumeRecord?.(null);
      return undefined;
    }
    if (!canResume(record, this.file, this.target, options.now(), options.resumeSafetyMarginMs)) {
      // Start over cleanly: the old session is useless; free it on the server if it still exists.
      await this.deleteSession(record.uploadUrl);
      options.onResumeRecord?.(null);
      return undefined;
    }
    const session = sessionOf(record);
    // Ask the server where it stands; if it cannot say, the first PUT's answer will.
    const status = await this.sessionStatus(session);
    if (status === "lost") {
      options.onResumeRecord?.(null);
      return undefined;
    }
    if (status !== undefined) session.offset = status;
    this.maxAcknowledged = Math.max(this.maxAcknowledged, session.offset);
    this.maxSent = Math.max(this.maxSent, session.offset);
    return session;
  }

  private async createSession(): Promise<Session> {
    this.phases.set("creating-session");
    this.lastRangeSentAt = undefined; // a new session's last range sets it again
    const response = await graphRequest(this.graph, {
      method: "POST",
      url: `${attachmentsUrl(this.target)}/createUploadSession`,
      body: JSON.stringify({
        AttachmentItem: {
          attachmentType: "file",
          name: this.file.name,
          size: this.file.size,
          contentType: this.file.type || DEFAULT_CONTENT_TYPE,
        },
      }),
      what: "Creating the upload session",
      idempotent: true, // a duplicate session is harmless: it expires unused
      finishInFlight: true, // a cancel then DELETEs the session instead of leaving it open
    });
    const serverDate = Date.parse(response.header("date") ?? "");
    this.serverSkewMs = Number.isNaN(serverDate) ? 0 : serverDate - this.options.now();
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch (error) {
      throw new ProtocolError("Graph answered createUploadSession with a body that is not JSON.", {
        cause: error,
      });
    }
    const uploadUrl = getCaseInsensitive(json, "uploadUrl");
    this.checkUploadUrl(uploadUrl);
    const status = parseSessionStatus(response.body);
    const offset = status.nextExpected ?? 0;
    if (offset < 0 || offset >= this.file.size) {
      throw new ProtocolError(
        `A new upload session expects byte ${offset} of a ${this.file.size}-byte file.`
      );
    }
    const now = this.options.now();
    const stated = Date.parse(status.expirationDateTime ?? "");
    const session: Session = {
      uploadUrl,
      expirationDateTime: Number.isNaN(stated)
        ? new Date(now + this.clockSkewMs + DEFAULT_SESSION_LIFETIME_MS).toISOString()
        : status.expirationDateTime!,
      createdAt: new Date(now).toISOString(),
      offset,
    };
    this.saveRecord(session);
    return session;
  }

  /**
   * Parsed here, once, before a byte goes out: a URL that only failed later in a stack would
   * surface as an error whose properties (Node's ERR_INVALID_URL keeps `input`) quote the secret
   * URL; one that points elsewhere than an upload host would receive the file.
   */
  private checkUploadUrl(uploadUrl: unknown): asserts uploadUrl is string {
    let url: URL;
    try {
      url = new URL(String(uploadUrl));
    } catch {
      throw new ProtocolError("Graph's upload session has no usable uploadUrl.");
    }
    if (typeof uploadUrl !== "string" || !/^https?:$/.test(url.protocol)) {
      throw new ProtocolError("Graph's upload session has no usable uploadUrl.");
    }
    if (!uploadOriginAllowed(url, this.options.allowedUploadOrigins)) {
      const uploadHost = `${url.protocol}//${url.host}`;
      throw new ProtocolError(
        `Graph's upload session points to ${uploadHost}, which is not an allowed upload host; ` +
          "nothing was sent there (allowedUploadOrigins).",
        { uploadHost }
      );
    }
  }

  private allowed(uploadUrl: string): boolean {
    try {
      return uploadOriginAllowed(new URL(uploadUrl), this.options.allowedUploadOrigins);
    } catch {
      return false;
    }
  }

  /** The range loop: send the range the server expects, apply what its answer means. */
  private async uploadRanges(session: Session): Promise<RangesEnd> {
    const { options, file } = this;
    const total = file.size;
    this.phases.set("uploading");
    let attempt = 0; // retries of the current range; reset whenever the server acknowledges more
    let stalled = 0; // answers in a row that did not move the offset forward
    let best = session.offset;
    for (;;) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal);
      if (options.now() + this.clockSkewMs >= Date.parse(session.expirationDateTime)) {
        return { kind: "session-lost" };
      }
      const start = session.offset;
      const end = Math.min(start + options.chunkSize, total); // exclusive
      const answer = await this.putRange(session, start, end);
      if (!("status" in answer)) {
        // No answer (dropped, or a stall): the server may hold part of the range.
        if (await this.unreadable(start, end))
          throw new FileReadError(file.name, { cause: answer.error });
        const wait = retryWait(options, ++attempt, "range", {});
        if (wait === undefined) {
          throw connectionFailed(`Uploading bytes ${start}-${end - 1}`, answer.error, attempt > 1);
        }
        await this.backoff.wait(wait, connectionError(answer.error));
        const status = await this.sessionStatus(session);
        if (status === "lost") return { kind: "session-lost" };
        session.offset = status ?? session.offset; // else resend from the last ack; a 416 corrects it
        continue;
      }
      const outcome = this.rules.interpret(answer, {
        start,
        end,
        total,
        target: this.target,
        now: options.now(),
      });
      switch (outcome.kind) {
        case "attached":
          options.onChunkComplete?.(end - start, total, total);
          return outcome;
        case "attached-unnamed":
        case "session-lost":
          return outcome;
        case "fail":
          throw outcome.error;
        case "advanced": {
          if (outcome.expirationDateTime) session.expirationDateTime = outcome.expirationDateTime;
          const next = outcome.offset;
          if (next > best) {
            attempt = 0;
            stalled = 0;
            best = next;
          } else if (++stalled >= options.maxStalledRanges) {
            throw new ProtocolError(
              `The upload server acknowledged no new bytes ${stalled} times in a row (it keeps expecting byte ${next}).`
            );
          }
          session.offset = next; // follow the server, even when it disagrees with what we sent
          this.report(Math.max(end, next), next);
          options.onChunkComplete?.(end - start, next, total);
          this.saveRecord(session);
          continue;
        }
        case "resync": {
          // Part of a dropped range may have been kept: ask the server, else read the error.
          const status = await this.sessionStatus(session);
          if (status === "lost") return { kind: "session-lost" };
          const expected = status ?? outcome.offset;
          if (expected === undefined || expected < 0 || expected >= total || expected === start) {
            throw outcome.error;
          }
          if (++stalled >= options.maxStalledRanges) throw outcome.error;
          session.offset = expected;
          continue;
        }
        case "retry": {
          const { status } = outcome.error;
          const wait = retryWait(options, ++attempt, "range", {
            status,
            retryAfterMs: outcome.retryAfterMs,
          });
          if (wait === undefined) throw outcome.error;
          await this.backoff.wait(wait, outcome.error);
          continue;
        }
      }
    }
  }

  /** One range PUT; no answer at all (a dropped connection, a stall) comes back as `{ error }`. */
  private async putRange(
    session: Session,
    start: number,
    end: number
  ): Promise<HttpResponse | { error: unknown }> {
    const { options, file } = this;
    const total = file.size;
    // The last range completes the attachment on the server: cut off after the server took it, a
    // cancel would report "cancelled" for an attached file. Let it finish (for up to
    // deleteTimeoutMs) so the answer says which: a 201 is reported as attached.
    const inFlight =
      end === total ? graceSignal(options.signal, options.deleteTimeoutMs) : undefined;
    if (end === total) this.lastRangeSentAt ??= options.now();
    try {
      return await this.http.send({
        method: "PUT",
        url: session.uploadUrl,
        headers: {
          "Content-Type": "application/octet-stream",
          "Content-Length": String(end - start),
          "Content-Range": `bytes ${start}-${end - 1}/${total}`,
        },
        // A lazy slice: Node streams it from disk, the browser from the File.
        body: file.slice(start, end),
        signal: inFlight?.signal ?? options.signal,
        stallTimeoutMs: options.stallTimeoutMs,
        answerTimeoutMs: options.answerTimeoutMs,
        refuseRedirects: true,
        onUploadProgress: (loaded) =>
          this.report(start + Math.min(loaded, end - start), this.maxAcknowledged),
      });
    } catch (error) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal, error);
      if (error instanceof ProtocolError) throw error; // a redirect: refused, not retried
      return { error };
    } finally {
      inFlight?.done();
    }
  }

  /** After a session is lost once its last range went out: the attachment it may have made. */
  private attachmentFromLostLastRange(): Promise<string | undefined> {
    const since = this.lastRangeSentAt;
    this.lastRangeSentAt = undefined;
    if (since === undefined) return Promise.resolve(undefined);
    return this.attachmentSince(since, "Checking whether the last range attached the file");
  }

  /**
   * The id of an attachment with this file's name that the item gained since `since` (local
   * time), or undefined. Graph's `size` counts more than the content bytes, so it must be at least
   * the file's; `lastModifiedDateTime` (whole seconds, the server's clock — corrected by the
   * listing's own `Date`) must not be older than `since`, with 2 s for rounding. Only failure
   * paths pay this Graph call. The one case it can misjudge: the same file attached in parallel,
   * finishing within those seconds — the row then names the other copy's id.
   */
  private async attachmentSince(since: number, what: string): Promise<string | undefined> {
    return (await this.attachmentsSince(since, what))[0];
  }

  /** All such attachments' ids, newest first (see attachmentSince). */
  private async attachmentsSince(since: number, what: string): Promise<string[]> {
    this.phases.set("verifying");
    const response = await graphRequest(this.graph, {
      method: "GET",
      url: `${attachmentsUrl(this.target)}?$select=id,name,size,lastModifiedDateTime`,
      what,
      idempotent: true,
    });
    const serverDate = Date.parse(response.header("date") ?? "");
    const skew = Number.isNaN(serverDate) ? this.serverSkewMs : serverDate - this.options.now();
    const serverSince = since + (Math.abs(skew) > 5_000 ? skew : 0);
    let listed: unknown;
    try {
      listed = (JSON.parse(response.body) as { value?: unknown }).value;
    } catch {
      listed = undefined;
    }
    if (!Array.isArray(listed)) {
      throw new ProtocolError(
        "Graph listed the item's attachments with a body that is not a list."
      );
    }
    const committed = (listed as Array<Record<string, unknown>>)
      .filter(
        (a) =>
          typeof a.id === "string" &&
          a.name === this.file.name &&
          typeof a.size === "number" &&
          a.size >= this.file.size &&
          Date.parse(String(a.lastModifiedDateTime)) >= serverSince - 2_000
      )
      .sort(
        (a, b) =>
          Date.parse(String(b.lastModifiedDateTime)) - Date.parse(String(a.lastModifiedDateTime))
      );
    return committed.map((a) => a.id as string);
  }

  /**
   * GET on the upload URL: the server's next expected byte, undefined when it does not say, or
   * "lost" when the session is gone (410).
   */
  private async sessionStatus(session: Session): Promise<number | "lost" | undefined> {
    let response: HttpResponse;
    try {
      response = await this.http.send({
        method: "GET",
        url: session.uploadUrl,
        headers: { Accept: "application/json" },
        signal: this.options.signal,
        stallTimeoutMs: this.options.stallTimeoutMs,
        answerTimeoutMs: this.options.answerTimeoutMs,
        refuseRedirects: true,
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw abortErrorFor(this.options.signal, error);
      return undefined; // the next PUT will tell
    }
    if (response.status === 410) return "lost";
    if (response.status !== 200) return undefined; // GET status is not documented for Outlook: never depend on it
    try {
      const next = parseSessionStatus(response.body).nextExpected;
      return next !== undefined && next >= 0 && next < this.file.size ? next : undefined;
    } catch {
      return undefined;
    }
  }

  /** Can a byte of this range still be read? (A changed or deleted file fails here, in Node and browsers.) */
  private async unreadable(start: number, end: number): Promise<boolean> {
    try {
      await this.file.slice(start, Math.min(start + 1, end)).arrayBuffer();
      return false;
    } catch {
      return true;
    }
  }

  private deleteSession(uploadUrl: string) {
    return discardSession(uploadUrl, { ...this.options, transport: this.http });
  }

  private saveRecord(session: Session) {
    this.options.onResumeRecord?.(
      createResumeRecord(this.file, this.target, session, this.options.chunkSize)
    );
  }

  /** Progress never rewinds: a re-sent range keeps the maximum until it is passed. */
  private report(sent: number, acknowledged: number) {
    const bytesAcknowledged = Math.max(this.maxAcknowledged, acknowledged);
    const bytesSent = Math.max(this.maxSent, sent, bytesAcknowledged);
    if (bytesSent === this.maxSent && bytesAcknowledged === this.maxAcknowledged && bytesSent !== 0)
      return;
    this.maxSent = bytesSent;
    this.maxAcknowledged = bytesAcknowledged;
    this.options.onProgress?.({ bytesSent, bytesAcknowledged, bytesTotal: this.file.size });
  }
}

/**
 * A small-file POST failure after which the file may or may not be on the item: no answer (a
 * dropped connection, a stall), or 500/502/504. Graph certainly did not act on 408/429/503,
 * which graphRequest retried already.
 */
function outcomeUnknown(error: unknown): error is NetworkError | HttpError {
  if (error instanceof NetworkError) return true;
  return (
    error instanceof HttpError &&
    RETRY_STATUSES.has(error.status) &&
    error.constructor === HttpError
  );
}

/** Base64 without building a binary string of the whole file at once (small files only, < 3 MiB). */
function toBase64(bytes: Uint8Array): string {
  const NodeBuffer = (
    globalThis as { Buffer?: { from(b: Uint8Array): { toString(enc: string): string } } }
  ).Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes).toString("base64");
  let out = "";
  const step = 0x8000 - (0x8000 % 3); // multiple of 3 so the pieces concatenate cleanly
  for (let i = 0; i < bytes.length; i += step) {
    out += btoa(String.fromCharCode(...bytes.subarray(i, i + step)));
  }
  return out;
}
