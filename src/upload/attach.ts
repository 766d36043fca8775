// The upload state machine (after tus-js-client's lib/upload.ts): one file, one target, either
// one small POST or an upload session whose ranges go strictly in order, following the server.
import {
  AbortError,
  FileReadError,
  MessageSizeExceededError,
  NetworkError,
  ProtocolError,
  SessionExpiredError,
  networkReason,
} from "./errors";
import {
  abortErrorFor,
  attachmentsUrl,
  graceSignal,
  graphRequest,
  httpErrorFrom,
  type GraphContext,
} from "./graph";
import { resolveOptions } from "./options";
import {
  attachmentIdFromLocation,
  getCaseInsensitive,
  idFromBody,
  itemIdFromLocation,
  lowestExpectedStart,
  sameItemId,
  parseSessionStatus,
} from "./protocol";
import { canResume, createResumeRecord } from "./resume";
import { RETRY_STATUSES, parseRetryAfter, retryDelay } from "./retry";
import { DEFAULT_CONTENT_TYPE, chooseRoute, smallFileBody } from "./routing";
import { discardSession, fetchTransport } from "./transport";
import type {
  AttachResult,
  RangeTransport,
  ResumeRecord,
  TokenProvider,
  TransportResponse,
  UploadFile,
  UploadOptions,
  UploadPhase,
  UploadPhaseDetail,
  UploadTarget,
} from "./types";

interface Session {
  uploadUrl: string;
  expirationDateTime: string;
  createdAt: string;
  /** Next byte the server expects (its last word). */
  offset: number;
}

function sessionOf(record: ResumeRecord): Session {
  const { uploadUrl, expirationDateTime, createdAt, offset } = record;
  return { uploadUrl, expirationDateTime, createdAt, offset };
}

/** The upload URL answered 404/410 or the session's time is up: a new session may fix it. */
class SessionLost extends Error {}

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
  private readonly transport: RangeTransport;
  private readonly startedAt: number;
  private readonly graph: GraphContext;
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
   * Server time (estimated) when this session's last range was first sent, or undefined before.
   * The server may commit the attachment and the answer be lost; if the session then answers 404
   * (a finished session does), the item is checked before starting over, so nothing is attached twice.
   */
  private lastRangeSentAt: number | undefined;
  private currentPhase: UploadPhase = "queued";

  constructor(
    private readonly file: UploadFile,
    private readonly target: UploadTarget,
    getToken: TokenProvider,
    private readonly options: UploadOptions,
    private readonly route: "post" | "session"
  ) {
    this.transport = options.transport ?? fetchTransport(options.fetch);
    this.startedAt = options.now();
    this.graph = {
      target,
      getToken,
      options,
      phase: (phase, detail) => this.setPhase(phase, detail),
      resumePhase: "creating-session",
    };
  }

  async run(): Promise<AttachResult> {
    if (this.options.signal?.aborted) throw abortErrorFor(this.options.signal);
    const attachmentId =
      this.route === "post" ? await this.postSmallFile() : await this.uploadWithSessions();
    this.report(this.file.size, this.file.size);
    this.setPhase("attached");
    return {
      attachmentId,
      route: this.route,
      bytes: this.file.size,
      ms: this.options.now() - this.startedAt,
    };
  }

  // ---- small files ------------------------------------------------------------------------

  private async postSmallFile(): Promise<string> {
    this.graph.resumePhase = "uploading";
    this.setPhase("uploading");
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await this.file.slice(0, this.file.size).arrayBuffer());
    } catch (error) {
      throw new FileReadError(this.file.name, { cause: error });
    }
    const body = smallFileBody(this.file, toBase64(bytes));
    const response = await graphRequest(this.graph, {
      method: "POST",
      url: attachmentsUrl(this.target),
      body,
      what: "Attaching the file",
      idempotent: false,
    });
    const id = idFromBody(response.body) ?? attachmentIdFromLocation(response.header("location"));
    if (!id) {
      throw new ProtocolError(
        `Graph answered ${response.status} to the attachment POST without an attachment id; the attachment may ` +
          "exist on the item anyway — check it before retrying."
      );
    }
    return id;
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
        return await this.uploadRanges(session);
      } catch (error) {
        if (error instanceof SessionLost) {
          // The last range may have been committed with its answer lost: then it is attached.
          const committed = await this.attachmentFromLostLastRange();
          if (committed) {
            this.options.onResumeRecord?.(null);
            return committed;
          }
          // Free the abandoned session (an expired one may still be listed by the server).
          if (session) await this.deleteSession(session.uploadUrl);
          this.options.onResumeRecord?.(null); // the record points at a dead session
          if (restarts >= options.maxSessionRestarts) {
            this.options.onResumeRecord?.(null);
            throw new SessionExpiredError(
              `The upload session expired or was lost ${restarts + 1} time(s); giving up. Try again.`
            );
          }
          restarts++;
          session = undefined; // start over from byte 0 in a new session
          continue;
        }
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
      if (session) await this.deleteSession(session.uploadUrl);
      this.options.onResumeRecord?.(null);
    }
    // Other failures (network, retries spent) keep the record: the session may still be resumed.
  }

  private async sessionFromResumeRecord(
    record: ResumeRecord | undefined
  ): Promise<Session | undefined> {
    if (!record) return undefined;
    const { options } = this;
    if (!canResume(record, this.file, this.target, options.now(), options.resumeSafetyMarginMs)) {
      // Start over cleanly: the old session is useless; free it on the server if it still exists.
      await this.deleteSession(record.uploadUrl);
      options.onResumeRecord?.(null);
      return undefined;
    }
    const session = sessionOf(record);
    // Ask the server where it stands; if it cannot say, the first PUT's answer will.
    const status = await this.sessionStatus(session).catch((error) => {
      if (error instanceof SessionLost) return "lost" as const;
      throw error;
    });
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
    this.graph.resumePhase = "creating-session";
    this.setPhase("creating-session");
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
    const uploadUrl = Object.entries(json as Record<string, unknown>).find(
      ([k]) => k.toLowerCase() === "uploadurl"
    )?.[1];
    // Parsed here, once: a URL that only fails later in a transport would surface as an error
    // whose properties (Node's ERR_INVALID_URL keeps `input`) quote the secret URL.
    if (typeof uploadUrl !== "string" || !isHttpUrl(uploadUrl)) {
      throw new ProtocolError("Graph's upload session has no usable uploadUrl.");
    }
    const status = parseSessionStatus(response.body);
    const offset = status.nextExpected ?? 0;
    if (offset < 0 || offset >= this.file.size) {
      throw new ProtocolError(
        `A new upload session expects byte ${offset} of a ${this.file.size}-byte file.`
      );
    }
    const session: Session = {
      uploadUrl,
      // Without an expiry the local check never fires; 404/410 from the host still does.
      expirationDateTime: status.expirationDateTime ?? new Date(8.64e15).toISOString(),
      createdAt: new Date(this.options.now()).toISOString(),
      offset,
    };
    this.saveRecord(session);
    return session;
  }

  private async uploadRanges(session: Session): Promise<string> {
    const { options, file } = this;
    const total = file.size;
    this.setPhase("uploading");
    let attempt = 0; // retries of the current range; reset whenever the server acknowledges more
    let stalled = 0; // 200 answers in a row that did not move the offset forward
    let sessionBest = session.offset;
    for (;;) {
      if (options.signal?.aborted) throw abortErrorFor(options.signal);
      if (options.now() + this.clockSkewMs >= Date.parse(session.expirationDateTime)) {
        throw new SessionLost();
      }
      const start = session.offset;
      const end = Math.min(start + options.chunkSize, total); // exclusive
      let response: TransportResponse;
      // The last range completes the attachment on the server: cut off after the server took it, a
      // cancel would report "cancelled" for an attached file. Let it finish (for up to
      // deleteTimeoutMs) so the answer says which: a 201 is reported as attached.
      const inFlight =
        end === total ? graceSignal(options.signal, options.deleteTimeoutMs) : undefined;
      if (end === total) this.lastRangeSentAt ??= options.now() + this.serverSkewMs;
      try {
        response = await this.transport.send({
          method: "PUT",
          url: session.uploadUrl,
          headers: {
            "Content-Type": "application/octet-stream",
            "Content-Length": String(end - start),
            "Content-Range": `bytes ${start}-${end - 1}/${total}`,
          },
          // A lazy slice: Node's fetch streams it from disk, the browser from the File.
          body: file.slice(start, end),
          signal: inFlight?.signal ?? options.signal,
          onUploadProgress: (loaded) =>
            this.report(start + Math.min(loaded, end - start), this.maxAcknowledged),
        });
      } catch (error) {
        if (options.signal?.aborted) throw abortErrorFor(options.signal, error);
        // A body that cannot be read is the file's fault, not the network's: retrying cannot help.
        if (await this.unreadable(start, end)) throw new FileReadError(file.name, { cause: error });
        const reason = networkReason(error);
        const wait = retryDelay({ attempt: ++attempt, ...options });
        if (wait === undefined) {
          throw new NetworkError(
            `Uploading bytes ${start}-${end - 1} failed: the connection kept failing${reason ? ` (${reason})` : ""}.`,
            { cause: error }
          );
        }
        await this.wait(
          wait,
          new NetworkError(`The connection failed${reason ? ` (${reason})` : ""}.`, {
            cause: error,
          })
        );
        // The connection dropped mid-range: the server may hold part of it. Ask, else resend from the last ack.
        const status = await this.sessionStatus(session);
        session.offset = status ?? session.offset;
        continue;
      } finally {
        inFlight?.done();
      }

      const { status } = response;
      if (status === 201) {
        const location = response.header("location");
        const locatedItem = itemIdFromLocation(location);
        if (locatedItem !== undefined && !sameItemId(locatedItem, this.target.itemId)) {
          this.options.onResumeRecord?.(null);
          throw new ProtocolError(
            "The upload finished (201) but the server's Location names another item than the one being " +
              "attached to; the attachment may have landed on another item — check before retrying."
          );
        }
        const id = attachmentIdFromLocation(location) ?? idFromBody(response.body);
        if (!id) {
          this.options.onResumeRecord?.(null);
          throw new ProtocolError(
            "The upload finished (201) but the server gave no attachment id (no Location header, no id in the " +
              "body); the attachment may exist on the item — check it before retrying."
          );
        }
        this.options.onChunkComplete?.(end - start, total, total);
        this.options.onResumeRecord?.(null);
        return id;
      }
      if (status === 200 || status === 202) {
        const answer = parseSessionStatus(response.body);
        const next = answer.nextExpected;
        // Outlook does not move the expiry, but a server that states one is believed.
        if (answer.expirationDateTime && !Number.isNaN(Date.parse(answer.expirationDateTime))) {
          session.expirationDateTime = answer.expirationDateTime;
        }
        if (next === undefined || next < 0 || next >= total) {
          throw new ProtocolError(
            next === undefined
              ? `The upload server answered ${status} without NextExpectedRanges.`
              : `The upload server expects byte ${next} of a ${total}-byte file.`
          );
        }
        if (next > sessionBest) {
          attempt = 0;
          stalled = 0;
          sessionBest = next;
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

      const error = httpErrorFrom(
        status,
        response.body,
        response.header,
        this.target,
        "Uploading a range"
      );
      if (error instanceof MessageSizeExceededError) throw error;
      if (status === 404 || status === 410) throw new SessionLost();
      if (status === 416) {
        // The server expects another offset (part of a dropped range may have been kept). Ask it,
        // else read the offset from the error; follow it like a 200's NextExpectedRanges.
        const expected =
          (await this.sessionStatus(session)) ?? expectedOffsetFromError(response.body);
        if (expected !== undefined && expected >= 0 && expected < total && expected !== start) {
          if (++stalled >= options.maxStalledRanges) throw error;
          session.offset = expected;
          continue;
        }
        throw error;
      }
      // 409 on a range: the server is still busy with a previous (aborted or dropped) range of this
      // session; it clears as soon as the server notices, so it is retried like a transient fault.
      if (RETRY_STATUSES.has(status) || status === 409) {
        const retryAfterMs = parseRetryAfter(response.header("retry-after"), options.now());
        const wait = retryDelay({ attempt: ++attempt, ...options, retryAfterMs });
        if (wait !== undefined) {
          await this.wait(wait, error);
          continue;
        }
      }
      throw error;
    }
  }

  /**
   * After a session is lost once its last range went out: the id of an attachment with this file's
   * name that the item gained since then, or undefined (start over). Graph's `size` counts more
   * than the content bytes, so it must be at least the file's; `lastModifiedDateTime` (whole
   * seconds, the server's clock) must not be older than the last range, with 2 s for rounding.
   * Only this failure path pays the extra Graph call. The one case it can misjudge: the same file
   * attached in parallel, finishing within those seconds — the row then names the other copy's id.
   */
  private async attachmentFromLostLastRange(): Promise<string | undefined> {
    const since = this.lastRangeSentAt;
    this.lastRangeSentAt = undefined; // a new session's last range sets it again
    if (since === undefined) return undefined;
    this.setPhase("verifying");
    const response = await graphRequest(this.graph, {
      method: "GET",
      url: `${attachmentsUrl(this.target)}?$select=id,name,size,lastModifiedDateTime`,
      what: "Checking whether the last range attached the file",
      idempotent: true,
    });
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
          Date.parse(String(a.lastModifiedDateTime)) >= since - 2_000
      )
      .sort(
        (a, b) =>
          Date.parse(String(b.lastModifiedDateTime)) - Date.parse(String(a.lastModifiedDateTime))
      );
    return committed[0]?.id as string | undefined;
  }

  /** GET on the upload URL: the server's next expected byte, or undefined when it does not say. */
  private async sessionStatus(session: Session): Promise<number | undefined> {
    let response: TransportResponse;
    try {
      response = await this.transport.send({
        method: "GET",
        url: session.uploadUrl,
        headers: { Accept: "application/json" },
        signal: this.options.signal,
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw abortErrorFor(this.options.signal, error);
      return undefined; // the next PUT will tell
    }
    if (response.status === 410) throw new SessionLost();
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
    return discardSession(uploadUrl, { ...this.options, transport: this.transport });
  }

  private async wait(ms: number, error: unknown) {
    const resume = this.currentPhase;
    this.setPhase("retrying", { retryAt: this.options.now() + ms, error });
    await this.options.sleep(ms, this.options.signal).catch((e) => {
      throw abortErrorFor(this.options.signal, e);
    });
    this.setPhase(resume === "retrying" ? "uploading" : resume);
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

  private setPhase(phase: UploadPhase, detail?: UploadPhaseDetail) {
    if (phase === this.currentPhase && !detail) return;
    this.currentPhase = phase;
    this.options.onPhase?.(phase, detail);
  }
}

/**
 * The offset a 416 names: `NextExpectedRanges` in the body or in its `error` object, else the
 * "next expected byte N" of the message. Undefined when the error does not say.
 */
export function expectedOffsetFromError(body: string): number | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    for (const candidate of [json, getCaseInsensitive(json, "error")]) {
      const next = lowestExpectedStart(getCaseInsensitive(candidate, "nextExpectedRanges"));
      if (next !== undefined) return next;
    }
    const message = getCaseInsensitive(getCaseInsensitive(json, "error"), "message");
    const match =
      typeof message === "string"
        ? /next expected (?:byte|offset)\D{0,3}(\d+)/i.exec(message)
        : null;
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
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

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
