// A candidate Node transport for the engine (its public `transport` option), measured beside the
// default fetch transport: each range is read with one Blob.arrayBuffer() call (one native read,
// one buffer per range in memory) and sent with node:http in one write, skipping undici's
// web-stream copy of every 64 KiB piece of a Blob body, which profiling showed as the cost.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { RangeTransport, TransportRequest, TransportResponse } from "../../src/upload";

const agents = new Map<string, import("node:http").Agent>();

export function nodeHttpTransport(): RangeTransport {
  return {
    async send(req: TransportRequest): Promise<TransportResponse> {
      const body = req.body ? Buffer.from(await req.body.arrayBuffer()) : undefined;
      const send = req.url.startsWith("https:") ? httpsRequest : httpRequest;
      return new Promise((resolve, reject) => {
        const outgoing = send(
          req.url,
          {
            method: req.method,
            headers: { ...req.headers, "Content-Length": String(body?.length ?? 0) },
            signal: req.signal,
            agent: agentFor(req.url),
          },
          (res: IncomingMessage) => {
            const parts: Buffer[] = [];
            res.on("data", (d: Buffer) => parts.push(d));
            res.on("end", () => {
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
            res.on("error", reject);
          }
        );
        outgoing.on("error", reject);
        outgoing.end(body);
      });
    },
  };
}

/** Keep-alive per origin, as fetch does. */
function agentFor(url: string) {
  const origin = new URL(url).origin;
  let agent = agents.get(origin);
  if (!agent) {
    const { Agent } = url.startsWith("https:") ? require("node:https") : require("node:http");
    agents.set(origin, (agent = new Agent({ keepAlive: true })));
  }
  return agent;
}
