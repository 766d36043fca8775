// Shared by the emulator's integration tests: a running emulator per file, deterministic test
// bytes, and raw HTTP for the requests fetch refuses to send (a wrong Content-Length, a body
// that stops half-way).
import { createCipheriv, createHash } from "node:crypto";
import { request, type IncomingHttpHeaders } from "node:http";
import {
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../../dev/graph-emulator";

export const MiB = 1024 * 1024;

/** Seeded, reproducible bytes (never Math.random): the AES-128-CTR keystream of a key derived from the seed. */
export function seededBytes(length: number, seed: number): Buffer {
  const key = createHash("sha256").update(`large-attach test bytes ${seed}`).digest();
  const cipher = createCipheriv("aes-128-ctr", key.subarray(0, 16), key.subarray(16, 32));
  return cipher.update(Buffer.alloc(length));
}

/** A Buffer as a fetch body (a copy, typed as the DOM lib wants). */
export function asBody(bytes: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export interface Harness {
  emulator: RunningEmulator;
  token: string;
  auth: Record<string, string>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  const token = emulator.issueToken();
  return { emulator, token, auth: { Authorization: `Bearer ${token}` } };
}

export async function createItem(
  h: Harness,
  kind: "messages" | "events",
  mailbox = "me"
): Promise<string> {
  const base =
    mailbox === "me" ? `${h.emulator.graphUrl}/me` : `${h.emulator.graphUrl}/users/${mailbox}`;
  const response = await fetch(`${base}/${kind}`, {
    method: "POST",
    headers: { ...h.auth, "Content-Type": "application/json" },
    body: JSON.stringify(kind === "events" ? { subject: "Review" } : { subject: "Draft" }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

export async function createSession(
  h: Harness,
  itemPath: string,
  size: number,
  name = "flower"
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(
    `${h.emulator.graphUrl}/${itemPath}/attachments/createUploadSession`,
    {
      method: "POST",
      headers: { ...h.auth, "Content-Type": "application/json" },
      body: JSON.stringify({ AttachmentItem: { attachmentType: "file", name, size } }),
    }
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function uploadUrlFor(h: Harness, itemPath: string, size: number): Promise<string> {
  const { status, body } = await createSession(h, itemPath, size);
  expect(status).toBe(201);
  return body.uploadUrl as string;
}

export async function putRange(
  uploadUrl: string,
  bytes: Buffer,
  start: number,
  end: number,
  extraHeaders: Record<string, string> = {}
): Promise<Response> {
  return fetch(uploadUrl, {
    method: "PUT",
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Range": `bytes ${start}-${end}/${bytes.length}`,
      ...extraHeaders,
    },
    body: asBody(bytes.subarray(start, end + 1)),
  });
}

/** Uploads a whole file in ranges of `rangeSize`; returns the final response. */
export async function uploadAll(
  uploadUrl: string,
  bytes: Buffer,
  rangeSize = 4 * MiB
): Promise<Response> {
  let last: Response | undefined;
  for (let start = 0; start < bytes.length; start += rangeSize) {
    const end = Math.min(start + rangeSize, bytes.length) - 1;
    last = await putRange(uploadUrl, bytes, start, end);
    if (last.status !== 200 && last.status !== 201) return last;
    if (last.status === 200) await last.arrayBuffer();
  }
  return last!;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A request over node:http with exactly the headers given (fetch computes Content-Length
 * itself). `body` may be shorter than the Content-Length header claims; `hold` keeps the request
 * open after writing it (call `finish` to end it).
 */
export function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
  options: { end?: boolean } = {}
): { response: Promise<RawResponse>; finish: (rest?: Buffer) => void; abort: () => void } {
  const req = request(url, { method, headers, agent: false });
  const response = new Promise<RawResponse>((resolve, reject) => {
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        })
      );
      res.on("error", reject);
    });
    req.on("error", reject);
  });
  if (body) req.write(body);
  if (options.end !== false) req.end();
  return {
    response,
    finish: (rest?: Buffer) => req.end(rest),
    abort: () => req.destroy(),
  };
}

export function errorCode(json: unknown): string | undefined {
  return (json as { error?: { code?: string } }).error?.code;
}
