// The range engine of an upload session, shared by both session routes: Outlook's attachment
// sessions and OneDrive's driveItem sessions. What differs between them — how a session is made,
// how the host's answers read (RangeRules), the range size, the resume record, what a lost last
// range may have stored — is a SessionHost; everything else (the range loop, resynchronising,
// retries through the one Backoff, stalls, pause/cancel, progress, expiry) is here once.
import { Backoff, Phases, abortErrorFor } from "./backoff";
import {
  AbortError,
  DriveFullError,
  FileReadError,
  MessageSizeExceededError,
  ProtocolError,
  SessionExpiredError,
} from "./errors";
import {
  connectionError,
  connectionFailed,
  graceSignal,
  graphRequest,
  type GraphCall,
  type GraphContext,
} from "./graph";
import { uploadOriginAllowed } from "./options";
import {
  getCaseInsensitive,
  parseSessionStatus,
  type RangeOutcome,
  type RangeRules,
} from "./protocol";
import type { RangeSample } from "./drive-rules";
import { retryWait } from "./retry";
import { discardSession, fetchStack } from "./transport";
import type {
  HttpResponse,
  HttpStack,
  ResumeRecord,
  TokenProvider,
  UploadFile,
  UploadOptions,
  UploadTarget,
} from "./types";

export interface Session {
  uploadUrl: string;
  expirationDateTime: string;
  createdAt: string;
  /** Next byte the server expects (its last word). */
  offset: number;
}

/** What a finished session stored: its id, and the host's item document where it gives one. */
export type Completed = Extract<RangeOutcome, { kind: "attached" }>;

/** How a session's ranges ended, when not with an error. */
type RangesEnd = Extract<RangeOutcome, { kind: "attached" | "attached-unnamed" | "session-lost" }>;

/** What one kind of upload session does its own way. */
export interface SessionHost {
  rules: RangeRules;
  /**
   * Bytes of the next range, given the ranges acknowledged so far in this upload (oldest first):
   * fixed for Outlook's sessions and for a set `driveChunkSize`, adaptive on the drive route.
   */
  rangeSize(samples: readonly RangeSample[]): number;
  /** The RangeContext target the rules read. */
  rangeTarget: Pick<UploadTarget, "mailbox" | "itemId">;
  /** The Graph call that creates a session (POST, idempotent: a spare session expires unused). */
  createCall(): Omit<GraphCall, "method" | "idempotent">;
  /**
   * The create was refused with `error`: true when the host has put right what it needs (OneDrive:
   * the add-in's folder, made when missing) and the create should be tried once more; false to
   * throw `error`. It may throw a clearer error of its own.
   */
  createRefused?(error: unknown): Promise<boolean>;
  /** May this record be continued (fingerprint, target, expiry)? */
  canResume(record: ResumeRecord, now: number): boolean;
  /** The record of `session`; `rangeSize` is the size the next range will have. */
  record(session: Session, rangeSize: number): ResumeRecord;
  /**
   * After a session was lost once its last range went out (at local time `since`): what that range
   * may have stored, looked up through Graph, or undefined.
   */
  committedSince(since: number): Promise<Completed | undefined>;
  /** The message of the ProtocolError for a 201 that names nothing and no lookup found. */
  unnamedMessage: string;
}

/**
 * Sessions whose answer states no (readable) expiry get 15 minutes (Outlook's lifetime), so a
 * resume record never promises a session for longer than it can live.
 */
const DEFAULT_SESSION_LIFETIME_MS = 15 * 60_000;

/** What an upload run shares between its routes: options, the one seam, phases, backoff, progress, clock. */
export class UploadRun {
  readonly http: HttpStack;
  readonly startedAt: number;
  readonly phases: Phases;
  readonly backoff: Backoff;
  readonly graph: GraphContext;
  private maxSent = 0;
  private maxAcknowledged = 0;
  /** Server clock minus ours as Graph's `Date` header states it (whole seconds). */
  serverSkewMs = 0;

  constructor(
    readonly file: UploadFile,
    readonly options: UploadOptions,
    getToken: TokenProvider,
    graph: Pick<GraphContext, "target" | "errorFrom">
  ) {
    this.http = options.transport ?? fetchStack(options.fetch);
    this.startedAt = options.now();
    this.phases = new Phases(options.onPhase);
    this.backoff = new Backoff(options, this.phases);
    this.graph = { ...graph, getToken, options, http: this.http, backoff: this.backoff };
  }

  /**
   * The skew expiry checks apply. Expiry times are the server's: a client clock running minutes
   * fast would otherwise see every new session as already expired and give up after
   * `maxSessionRestarts` without sending a byte. `Date` has whole seconds: below a few seconds the
   * difference is rounding, not skew.
   */
  get clockSkewMs(): number {
    return Math.abs(this.serverSkewMs) > 5_000 ? this.serverSkewMs : 0;
  }

  get acknowledged(): number {
    return this.maxAcknowledged;
  }

  /** A resumed session starts at `offset`: progress counts from there (reported with the next move). */
  resumedAt(offset: number) {
    this.maxAcknowledged = Math.max(this.maxAcknowledged, offset);
    this.maxSent = Math.max(this.maxSent, offset);
  }

  /** Progress never rewinds: a re-sent range keeps the maximum until it is passed. */
  report(sent: number, acknowledged: number) {
    const bytesAcknowledged = Math.max(this.maxAcknowledged, acknowledged);
    const bytesSent = Math.max(this.maxSent, sent, bytesAcknowledged);
    if (bytesSent === this.maxSent && bytesAcknowledged === this.maxAcknowledged && bytesSent !== 0)
      return;
    this.maxSent = bytesSent;
    this.maxAcknowledged = bytesAcknowledged;
    this.options.onProgress?.({ bytesSent, bytesAcknowledged, bytesTotal: this.file.size });
  }

  deleteSession(uploadUrl: string) {
    return discardSession(uploadUrl, { ...this.options, transport: this.http });
  }
}

/** One file through upload sessions of one host: ranges strictly in order, following the server. */
export class SessionUpload {
  private readonly file: UploadFile;
  private readonly options: UploadOptions;
  /**
   * Local time when this session's last range was first sent, or undefined before. The server may
   * commit the file and the answer be lost; if the session then answers 404 (a finished session
   * does), the host looks for what it stored before starting over, so nothing is stored twice.
   */
  private lastRangeSentAt: number | undefined;
  /** Ranges acknowledged in this upload (any of its sessions): what `host.rangeSize` reads. */
  private readonly samples: RangeSample[] = [];

  constructor(
    private readonly run: UploadRun,
    private readonly host: SessionHost
  ) {
    this.file = run.file;
    this.options = run.options;
  }

  async upload(): Promise<Completed> {
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
          return end;
        }
        // Lost, or finished without saying as what: the last range may have been committed.
        const committed = await this.committedByLostLastRange();
        if (committed) {
          options.onResumeRecord?.(null);
          return committed;
        }
        if (end.kind === "attached-unnamed") throw new ProtocolError(this.host.unnamedMessage);
        // Free the abandoned session (an expired one may still be listed by the server).
        await this.run.deleteSession(session.uploadUrl);
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

  /** Cleans up after a failure: cancel, size and quota errors leave nothing half-stored. */
  private async failSession(session: Session | undefined, error: unknown) {
    const paused = error instanceof AbortError && error.paused;
    if (paused) return; // keep the session and the resume record for the resume
    if (
      error instanceof AbortError ||
      error instanceof MessageSizeExceededError ||
      error instanceof DriveFullError ||
      error instanceof ProtocolError ||
      error instanceof FileReadError
    ) {
      if (session && this.allowed(session.uploadUrl))
        await this.run.deleteSession(session.uploadUrl);
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
    if (!this.host.canResume(record, options.now())) {
      // Start over cleanly: the old session is useless; free it on the server if it still exists.
      await this.run.deleteSession(record.uploadUrl);
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
    this.run.resumedAt(session.offset);
    return session;
  }

  private async createSession(): Promise<Session> {
    const { run } = this;
    run.phases.set("creating-session");
    this.lastRangeSentAt = undefined; // a new session's last range sets it again
    const create = () =>
      graphRequest(run.graph, {
        ...this.host.createCall(),
        method: "POST",
        idempotent: true, // a duplicate session is harmless: it expires unused
        finishInFlight: true, // a cancel then DELETEs the session instead of leaving it open
      });
    const response = await create().catch(async (error: unknown) => {
      if (this.options.signal?.aborted || !(await this.host.createRefused?.(error))) throw error;
      return create();
    });
    const serverDate = Date.parse(response.header("date") ?? "");
    run.serverSkewMs = Number.isNaN(serverDate) ? 0 : serverDate - this.options.now();
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
        ? new Date(now + run.clockSkewMs + DEFAULT_SESSION_LIFETIME_MS).toISOString()
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
    const { options, file, run } = this;
    const total = file.size;
    run.phases.set("uploading");
    let attempt = 0; // retries of the current range; reset whenever the server acknowledges more
    let stalled = 0; // answers in a row that did not move the offset forward
    let best = session.offset;
    for (;;) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal);
      if (options.now() + run.clockSkewMs >= Date.parse(session.expirationDateTime)) {
        return { kind: "session-lost" };
      }
      const start = session.offset;
      const end = Math.min(start + this.host.rangeSize(this.samples), total); // exclusive
      const sentAt = options.now();
      const answer = await this.putRange(session, start, end);
      if (!("status" in answer)) {
        // No answer (dropped, or a stall): the server may hold part of the range.
        if (await this.unreadable(start, end))
          throw new FileReadError(file.name, { cause: answer.error });
        const wait = retryWait(options, ++attempt, "range", {});
        if (wait === undefined) {
          throw connectionFailed(`Uploading bytes ${start}-${end - 1}`, answer.error, attempt > 1);
        }
        await run.backoff.wait(wait, connectionError(answer.error));
        const status = await this.sessionStatus(session);
        if (status === "lost") return { kind: "session-lost" };
        session.offset = status ?? session.offset; // else resend from the last ack; a 416 corrects it
        continue;
      }
      const outcome = this.host.rules.interpret(answer, {
        start,
        end,
        total,
        target: this.host.rangeTarget,
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
          // A range taken whole, first time (no retry), is a measurement of the link.
          if (attempt === 0 && next === end)
            this.samples.push({ bytes: end - start, ms: options.now() - sentAt });
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
          run.report(Math.max(end, next), next);
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
          await run.backoff.wait(wait, outcome.error);
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
    const { options, file, run } = this;
    const total = file.size;
    // The last range completes the file on the server: cut off after the server took it, a
    // cancel would report "cancelled" for a stored file. Let it finish (for up to
    // deleteTimeoutMs) so the answer says which: a 201 is reported as done.
    const inFlight =
      end === total ? graceSignal(options.signal, options.deleteTimeoutMs) : undefined;
    if (end === total) this.lastRangeSentAt ??= options.now();
    try {
      return await run.http.send({
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
          run.report(start + Math.min(loaded, end - start), run.acknowledged),
      });
    } catch (error) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal, error);
      if (error instanceof ProtocolError) throw error; // a redirect: refused, not retried
      return { error };
    } finally {
      inFlight?.done();
    }
  }

  /** After a session is lost once its last range went out: what it may have stored. */
  private committedByLostLastRange(): Promise<Completed | undefined> {
    const since = this.lastRangeSentAt;
    this.lastRangeSentAt = undefined;
    if (since === undefined) return Promise.resolve(undefined);
    return this.host.committedSince(since);
  }

  /**
   * GET on the upload URL: the server's next expected byte, undefined when it does not say, or
   * "lost" when the session is gone (410; a 404 is left to the next PUT, which says the same).
   */
  private async sessionStatus(session: Session): Promise<number | "lost" | undefined> {
    let response: HttpResponse;
    try {
      response = await this.run.http.send({
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

  private saveRecord(session: Session) {
    this.options.onResumeRecord?.(this.host.record(session, this.host.rangeSize(this.samples)));
  }
}

function sessionOf(record: ResumeRecord): Session {
  const { uploadUrl, expirationDateTime, createdAt, offset } = record;
  return { uploadUrl, expirationDateTime, createdAt, offset };
}
