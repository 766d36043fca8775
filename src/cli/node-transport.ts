// The CLI's HTTP stack: node:http(s) with keep-alive instead of fetch, for the ranges and the Graph
// calls alike. Profiling (bench/RESULTS.md) showed undici turning a Blob body into a web stream and
// copying every 64 KiB piece; here each range is read in one go (a slice of a file opened by
// openUploadFile straight from disk, one range ahead, into a reused buffer: range-reader.ts; any
// other Blob with one Blob.arrayBuffer()) and written in pieces whose write callbacks tell the
// engine's stall watch that bytes are moving. Node's fetch alone would also cost ≈ 40 MB of RSS
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
import { RangeReader, fileRangeOf, type RangeBytes } from "./range-reader";

/** Written per piece so each write's callback (the kernel took it) shows the body moving. */
const WRITE_PIECE = 256 * 1024;

export function nodeHttpTransport(): HttpStack {
  const agents = new Map<string, HttpAgent>();
  const reader = new RangeReader();
  const readBody = async (body: Blob | string): Promise<RangeBytes> => {
    if (typeof body === "string") return { bytes: Buffer.from(body), release: () => undefined };
    const range = fileRangeOf(body);
    if (range) return reader.read(range);
    return { bytes: Buffer.from(await body.arrayBuffer()), release: () => undefined };
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
      const read = req.body !== undefined ? await readBody(req.body) : undefined;
      const body = read?.bytes;
      if (req.signal?.aborted) throw req.signal.reason;
      const watch = stallWatch(req);
      // The buffer is reused only once the socket has written all of it (the request's "finish")
      // and the answer is in; after an error it is left to the garbage collector.
      let written = false;
      let answered = false;
      const releaseWhenDone = () => {
        if (written && answered) read?.release();
      };
      const url = new URL(req.url);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      return new Promise<HttpResponse>((resolve, reject) => {
        const fail = (error: unknown) => reject(watch.failure(error));
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
              answered = true;
              releaseWhenDone();
              if (body && req.body instanceof Blob) req.onUploadProgress?.(body.length);
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
        outgoing.on("finish", () => {
          written = true;
          releaseWhenDone();
        });
        outgoing.on("error", fail);
        writeBody(outgoing, body, watch);
      }).finally(() => watch.done());
    },
  };
}

/** Writes `body` in pieces; each piece the kernel takes restarts the stall bound, the last starts the answer bound. */
function writeBody(outgoing: ClientRequest, body: Buffer | undefined, watch: StallWatch) {
  if (!body || body.length === 0) {
    watch.sent();
    outgoing.end();
    return;
  }
  watch.progress();
  let offset = 0;
  const next = () => {
    while (offset < body.length) {
      const piece = body.subarray(offset, offset + WRITE_PIECE);
      offset += piece.length;
      const last = offset >= body.length;
      const more = outgoing.write(piece, (error) => {
        if (error) return;
        if (last) watch.sent();
        else watch.progress();
      });
      if (last) {
        outgoing.end();
        return;
      }
      if (!more) {
        outgoing.once("drain", next);
        return;
      }
    }
  };
  next();
}

function isRedirect(status: number | undefined): boolean {
  return status !== undefined && status >= 300 && status < 400 && status !== 304;
}
