// A host's answer to a range PUT, as the HTTP seam hands it over: for the answer-by-answer tests
// of the range rules (Outlook's and OneDrive's), which need no server.
import type { HttpResponse } from "../../../../src/upload";

export function answer(
  status: number,
  body: string | object = "",
  headers: Record<string, string> = {}
): HttpResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    header: (name) => lower[name.toLowerCase()] ?? null,
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}
