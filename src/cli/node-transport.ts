// The CLI's transport for the upload URL: node:http(s) with keep-alive instead of fetch. Profiling
// (bench/RESULTS.md) showed undici turning a Blob body into a web stream and copying every 64 KiB
// piece; here each range is read in one go (a slice of a file opened by openUploadFile straight
// from disk, one range ahead, into a reused buffer: range-reader.ts; any other Blob with one
// Blob.arrayBuffer()) and written in one go. src/upload stays platform-free: this lives in the CLI
// and reaches the engine through its public `transport` option.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { RangeTransport, TransportRequest, TransportResponse } from "../upload";
import { RangeReader, fileRangeOf, type RangeBytes } from "./range-reader";

export function nodeHttpTransport(): RangeTransport {
  const agents = new Map<string, HttpAgent>();
  const reader = new RangeReader();
  const readBody = async (blob: Blob): Promise<RangeBytes> => {
    const range = fileRangeOf(blob);
    if (range) return reader.read(range);
    return { bytes: Buffer.from(await blob.arrayBuffer()), release: () => undefined };
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
    async send(req: TransportRequest): Promise<TransportResponse> {
      const read = req.body ? await readBody(req.body) : undefined;
      const body = read?.bytes;
      if (req.signal?.aborted) throw req.signal.reason;
      // The buffer is reused only once the socket has written all of it (the request's "finish")
      // and the answer is in; after an error it is left to the garbage collector.
      let written = false;
      let answered = false;
      const releaseWhenDone = () => {
        if (written && answered) read?.release();
      };
      const url = new URL(req.url);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      return new Promise((resolve, reject) => {
        const outgoing = send(
          url,
          {
            method: req.method,
            // Exactly the body's length (the engine's Content-Length says the same for ranges).
            headers: { ...req.headers, "Content-Length": String(body?.length ?? 0) },
            signal: req.signal,
            agent: agentFor(url),
          },
          (res: IncomingMessage) => {
            const parts: Buffer[] = [];
            res.on("data", (d: Buffer) => parts.push(d));
            res.on("error", reject);
            res.on("end", () => {
              answered = true;
              releaseWhenDone();
              if (body) req.onUploadProgress?.(body.length);
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
        outgoing.on("error", (error) => reject(req.signal?.aborted ? req.signal.reason : error));
        outgoing.end(body);
      });
    },
  };
}
