// The CLI's HTTP stack: node:http(s) with keep-alive instead of fetch, for the ranges and the Graph
// calls alike. Profiling (bench/RESULTS.md) showed undici turning a Blob body into a web stream and
// copying every 64 KiB piece; here a range of a file opened by openUploadFile is read straight from
// disk in 1 MiB pieces a few ahead of the socket into reused buffers (range-reader.ts: memory does
// not grow with the range size), any other Blob with one Blob.arrayBuffer(), and written piece by
// piece with backpressure; each write's callback tells the engine's stall watch that bytes move. Node's fetch alone would also cost ≈ 40 MB of RSS
// the moment it is first used. src/upload stays platform-free: this lives in the CLI and reaches
// the engine through its public `transport` option.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { ClientRequest } from "node:http";
import {
  ProtocolError,
  stallWatch,
  type HttpRequest,
  type HttpResponse,
  type HttpStack,
  type StallWatch,
} from "../upload";
import { RangeReader, fileRangeOf, type RangeBody } from "./range-reader";

/** A plain body (a Graph call's JSON, a Blob not from openUploadFile) is written in pieces of this size. */
const WRITE_PIECE = 256 * 1024;

/** A body in memory as a RangeBody of WRITE_PIECE pieces. */
function bufferBody(bytes: Buffer): RangeBody {
  let at = 0;
  return {
    length: bytes.length,
    next: async () => {
      if (at >= bytes.length) return undefined;
      const piece = bytes.subarray(at, at + WRITE_PIECE);
      at += piece.length;
      return { bytes: piece, release: () => undefined };
    },
    abandon: () => undefined,
  };
}

export function nodeHttpTransport(): HttpStack {
  const agents = new Map<string, HttpAgent>();
  const reader = new RangeReader();
  const bodyOf = async (body: Blob | string): Promise<RangeBody> => {
    if (typeof body === "string") return bufferBody(Buffer.from(body));
    const range = fileRangeOf(body);
    if (range) return reader.read(range);
    return bufferBody(Buffer.from(await body.arrayBuffer()));
  };
  const agentFor = (url: URL) => {
    let agent = agents.get(url.origin);
    if (!agent) {
      agent =
        url.protocol === "https:"
          ? new HttpsAgent({ keepAlive: true })
          : new HttpAgent({ keepAlive: true });
      agents.set(url.origin, agent);
    }
    return agent;
  };
  return {
    async send(req: HttpRequest): Promise<HttpResponse> {
      const body = req.body !== undefined ? await bodyOf(req.body) : undefined;
      if (req.signal?.aborted) {
        body?.abandon();
        throw req.signal.reason;
      }
      const watch = stallWatch(req);
      const url = new URL(req.url);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const progress = req.body instanceof Blob ? req.onUploadProgress : undefined;
      return new Promise<HttpResponse>((resolve, reject) => {
        let failed = false;
        const fail = (error: unknown) => {
          if (!failed) body?.abandon();
          failed = true;
          reject(watch.failure(error));
        };
        const outgoing = send(
          url,
          {
            method: req.method,
            // Exactly the body's length (the engine's Content-Length says the same for ranges).
            headers: { ...req.headers, "Content-Length": String(body?.length ?? 0) },
            signal: watch.signal,
            agent: agentFor(url),
          },
          (res: IncomingMessage) => {
            watch.receiving();
            if (req.refuseRedirects && isRedirect(res.statusCode)) {
              res.resume();
              reject(
                new ProtocolError(
                  `The upload host ${url.host} answered with a redirect; upload URLs are not followed elsewhere.`
                )
              );
              return;
            }
            const parts: Buffer[] = [];
            res.on("data", (d: Buffer) => {
              watch.receiving();
              parts.push(d);
            });
            res.on("error", fail);
            res.on("end", () => {
              // Answered before the whole body went out (an early refusal): that request is over;
              // end it rather than leave it writing into a socket the server may not read.
              if (!outgoing.writableFinished) {
                failed = true;
                body?.abandon();
                outgoing.destroy();
              }
              resolve({
                status: res.statusCode ?? 0,
                header: (name) => {
                  const value = res.headers[name.toLowerCase()];
                  return Array.isArray(value) ? value.join(", ") : (value ?? null);
                },
                body: Buffer.concat(parts).toString("utf8"),
              });
            });
          }
        );
        outgoing.on("error", fail);
        writeBody(outgoing, body, watch, progress).catch((error: unknown) => {
          // The file changed mid-range (NotReadableError): the range must not complete.
          outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
        });
      }).finally(() => watch.done());
    },
  };
}

/**
 * Writes `body` piece by piece as the reader hands them out, waiting for "drain" when the socket
 * is full (bounded memory); each piece the kernel takes goes back to the reader, restarts the stall
 * bound and reports progress; the last one starts the answer bound.
 */
async function writeBody(
  outgoing: ClientRequest,
  body: RangeBody | undefined,
  watch: StallWatch,
  onProgress: ((loaded: number) => void) | undefined
) {
  if (!body || body.length === 0) {
    watch.sent();
    outgoing.end();
    return;
  }
  watch.progress();
  let handed = 0;
  let written = 0;
  while (handed < body.length) {
    const piece = await body.next();
    if (outgoing.destroyed) {
      piece?.release();
      return;
    }
    if (!piece) throw new Error("The file's range ended early.");
    handed += piece.bytes.length;
    const last = handed >= body.length;
    const more = outgoing.write(piece.bytes, (error) => {
      if (error) return; // a destroyed socket may still hold it: left to the garbage collector
      piece.release();
      written += piece.bytes.length;
      onProgress?.(written);
      if (last) watch.sent();
      else watch.progress();
    });
    if (last) {
      outgoing.end();
      return;
    }
    if (!more) {
      await new Promise<void>((resolve) => {
        const done = () => {
          outgoing.off("drain", done);
          outgoing.off("close", done);
          resolve();
        };
        outgoing.on("drain", done);
        outgoing.on("close", done);
      });
      if (outgoing.destroyed) return;
    }
  }
}

function isRedirect(status: number | undefined): boolean {
  return status !== undefined && status >= 300 && status < 400 && status !== 304;
}
