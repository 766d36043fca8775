// The engine's Graph calls (createUploadSession, item checks, DELETE) from the CLI, through the same
// node:http keep-alive transport as the ranges instead of Node's fetch. Node's fetch (undici) costs
// a Node process ≈ 40 MB of resident memory the moment it is first used (its JavaScript, and the
// WebAssembly HTTP parser it compiles), which is as much as the whole CLI needs besides (measured in
// bench/RESULTS.md). The engine reads only status, headers.get() and text() of a fetch answer
// (src/upload/graph.ts), so that is what this answer carries.
import type { RangeTransport, TransportRequest } from "../upload";

export function graphFetchOver(transport: RangeTransport): typeof fetch {
  const graphFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    if (typeof input !== "string" && !(input instanceof URL)) {
      throw new TypeError("graphFetchOver takes a URL, not a Request.");
    }
    if (init.body != null && typeof init.body !== "string") {
      throw new TypeError("graphFetchOver sends JSON text bodies only.");
    }
    const answer = await transport.send({
      method: (init.method ?? "GET") as TransportRequest["method"],
      url: String(input),
      headers: plainHeaders(init.headers),
      body: init.body != null ? new Blob([init.body]) : undefined,
      signal: init.signal ?? undefined,
    });
    const headers = { get: (name: string) => answer.header(name) };
    return {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      headers,
      text: async () => answer.body,
      json: async () => JSON.parse(answer.body) as unknown,
    } as unknown as Response;
  };
  return graphFetch as typeof fetch;
}

function plainHeaders(headers: RequestInit["headers"]): Record<string, string> {
  if (!headers) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  // A Headers instance (not constructed here: that would load undici) iterates as [name, value].
  if (typeof (headers as Headers).forEach === "function") {
    const out: Record<string, string> = {};
    (headers as Headers).forEach((value, name) => (out[name] = value));
    return out;
  }
  return { ...(headers as Record<string, string>) };
}
