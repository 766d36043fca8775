// A tiny purpose-built Graph + upload host on port 0 that answers what the emulator can't be made
// to: malformed JSON, ranges outside the file, a 201 without Location, a Location for another item,
// a 200 that never advances. Each scenario is a function from the request to the answer; every
// request is recorded (method, path, headers) so tests can assert what the engine sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  bodyBytes: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Scenario {
  /** Answer to POST …/createUploadSession (default: a session on this server expecting "0-"). */
  createSession?(ctx: { uploadUrl: string }): Answer;
  /** Answer to the small-file POST …/attachments (default 404). */
  postAttachment?(): Answer;
  /** Answer to the nth (1-based) PUT of a range; `range` is the parsed Content-Range. */
  put(ctx: { n: number; start: number; end: number; total: number }): Answer;
}

export const UPLOAD_AUTHTOKEN = "upl0adS3cretAuthT0ken";

export interface LyingServer {
  graphBaseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startLyingServer(scenario: Scenario): Promise<LyingServer> {
  const requests: RecordedRequest[] = [];
  let puts = 0;
  let origin = "";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let bodyBytes = 0;
    req.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on("end", () => {
      const path = req.url ?? "/";
      requests.push({ method: req.method ?? "", path, headers: req.headers, bodyBytes });
      const send = (a: Answer) => {
        res.writeHead(a.status, { "Content-Type": "application/json", ...a.headers });
        res.end(a.body ?? "");
      };
      if (req.method === "POST" && path.endsWith("/attachments/createUploadSession")) {
        const uploadUrl = `${origin}/upload/session-1?authtoken=${UPLOAD_AUTHTOKEN}`;
        const expirationDateTime = new Date(Date.now() + 15 * 60_000).toISOString();
        send(
          scenario.createSession?.({ uploadUrl }) ?? {
            status: 201,
            body: JSON.stringify({ uploadUrl, expirationDateTime, nextExpectedRanges: ["0-"] }),
          }
        );
      } else if (
        req.method === "POST" &&
        path.endsWith("/attachments") &&
        scenario.postAttachment
      ) {
        send(scenario.postAttachment());
      } else if (req.method === "PUT" && path.startsWith("/upload/")) {
        const m = /bytes (\d+)-(\d+)\/(\d+)/.exec(String(req.headers["content-range"]));
        send(
          scenario.put({
            n: ++puts,
            start: Number(m?.[1]),
            end: Number(m?.[2]),
            total: Number(m?.[3]),
          })
        );
      } else if (req.method === "GET" && /\/attachments(\?|$)/.test(path)) {
        // The engine lists the item's attachments after an answer it cannot read (a 201 without an id).
        send({ status: 200, body: JSON.stringify({ value: [] }) });
      } else if (req.method === "DELETE" && path.startsWith("/upload/")) {
        send({ status: 204 });
      } else {
        send({
          status: 404,
          body: JSON.stringify({ error: { code: "ResourceNotFound", message: "not here" } }),
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    graphBaseUrl: `${origin}/v1.0`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The normal answer to a middle range: 200 with the next expected byte. */
export function advance(next: number): Answer {
  return {
    status: 200,
    body: JSON.stringify({
      ExpirationDateTime: new Date(Date.now() + 600_000).toISOString(),
      NextExpectedRanges: [String(next)],
    }),
  };
}
