// The attachment routes (after tus-js-client's lib/upload.ts): one file, one Outlook item, either
// one small POST or Outlook's upload sessions through the shared range engine (session.ts) with
// Outlook's range rules. Every request goes through one HTTP seam; every wait through one Backoff.
import { abortErrorFor } from "./backoff";
import { AbortError, FileReadError, HttpError, NetworkError, ProtocolError } from "./errors";
import { attachmentsUrl, connectionError, graphRequest } from "./graph";
import { resolveOptions } from "./options";
import { OUTLOOK_RANGE_RULES, attachmentIdFromLocation, idFromBody } from "./protocol";
import { canResume, createResumeRecord } from "./resume";
import { RETRY_STATUSES, retryWait } from "./retry";
import { DEFAULT_CONTENT_TYPE, chooseRoute, smallFileBody } from "./routing";
import { SessionUpload, UploadRun, type SessionHost } from "./session";
import type {
  AttachResult,
  HttpResponse,
  TokenProvider,
  UploadFile,
  UploadOptions,
  UploadTarget,
} from "./types";

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
  private readonly ctx: UploadRun;

  constructor(
    private readonly file: UploadFile,
    private readonly target: UploadTarget,
    getToken: TokenProvider,
    private readonly options: UploadOptions,
    private readonly route: "post" | "session"
  ) {
    this.ctx = new UploadRun(file, options, getToken, { target });
  }

  private get graph() {
    return this.ctx.graph;
  }
  private get phases() {
    return this.ctx.phases;
  }
  private get backoff() {
    return this.ctx.backoff;
  }

  async run(): Promise<AttachResult> {
    if (this.options.signal?.aborted) throw abortErrorFor(this.options.signal);
    const attachmentId =
      this.route === "post"
        ? await this.postSmallFile()
        : (await new SessionUpload(this.ctx, this.outlookHost()).upload()).attachmentId;
    this.ctx.report(this.file.size, this.file.size);
    this.phases.set("attached");
    return {
      attachmentId,
      route: this.route,
      bytes: this.file.size,
      ms: this.options.now() - this.ctx.startedAt,
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

  // ---- upload sessions: Outlook's host ---------------------------------------------------

  private outlookHost(): SessionHost {
    const { file, target, options } = this;
    return {
      rules: OUTLOOK_RANGE_RULES,
      rangeSize: () => options.chunkSize,
      rangeTarget: target,
      createCall: () => ({
        url: `${attachmentsUrl(target)}/createUploadSession`,
        body: JSON.stringify({
          AttachmentItem: {
            attachmentType: "file",
            name: file.name,
            size: file.size,
            contentType: file.type || DEFAULT_CONTENT_TYPE,
          },
        }),
        what: "Creating the upload session",
      }),
      canResume: (record, now) =>
        canResume(record, file, target, now, options.resumeSafetyMarginMs),
      record: (session) => createResumeRecord(file, target, session, options.chunkSize),
      committedSince: async (since) => {
        const id = await this.attachmentSince(
          since,
          "Checking whether the last range attached the file"
        );
        return id === undefined ? undefined : { kind: "attached", attachmentId: id };
      },
      unnamedMessage:
        "The upload finished (201) but the server gave no attachment id (no Location header it let us read, no " +
        "id in the body), and the item does not list it yet; the attachment may exist on the item — check it " +
        "before retrying.",
    };
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
    const skew = Number.isNaN(serverDate) ? this.ctx.serverSkewMs : serverDate - this.options.now();
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
