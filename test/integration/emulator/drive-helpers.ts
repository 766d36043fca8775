// Shared by the OneDrive tests: Graph calls on /me/drive, createUploadSession, range PUTs with
// the documented 320 KiB multiples, and reading a file back.
import { asBody, type Harness } from "./helpers";

/** 320 KiB: every OneDrive range but the last must be a multiple of it (docs). */
export const UNIT = 327_680;

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function asJson(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** A Graph call on `/me/drive{path}` (or another drive base) with the harness's token. */
export async function graph(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  base = "me/drive"
): Promise<JsonResponse> {
  return asJson(
    await fetch(`${h.emulator.graphUrl}/${base}${path}`, {
      method,
      headers: { ...h.auth, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  );
}

export async function createFolder(h: Harness, name: string, parent = "root"): Promise<string> {
  const target = parent === "root" ? "/root/children" : `/items/${parent}/children`;
  const { status, body } = await graph(h, "POST", target, { name, folder: {} });
  expect(status).toBe(201);
  return body.id as string;
}

/** POST …/createUploadSession at a drive path such as `/root:/Attachments/a.bin:`. */
export async function driveSession(
  h: Harness,
  itemPath: string,
  body: Record<string, unknown> = { item: { "@microsoft.graph.conflictBehavior": "rename" } }
): Promise<JsonResponse> {
  return graph(h, "POST", `${itemPath}/createUploadSession`, body);
}

export async function driveUploadUrl(
  h: Harness,
  itemPath: string,
  body?: Record<string, unknown>
): Promise<string> {
  const { status, body: json } = await driveSession(h, itemPath, body);
  expect(status).toBe(200);
  return json.uploadUrl as string;
}

export async function putDrive(
  uploadUrl: string,
  bytes: Buffer,
  start: number,
  end: number,
  headers: Record<string, string> = {}
): Promise<JsonResponse> {
  return asJson(
    await fetch(uploadUrl, {
      method: "PUT",
      headers: { "Content-Range": `bytes ${start}-${end}/${bytes.length}`, ...headers },
      body: asBody(bytes.subarray(start, end + 1)),
    })
  );
}

/** Uploads a file in ranges of `rangeSize` (a 320 KiB multiple); returns every answer. */
export async function uploadDrive(
  uploadUrl: string,
  bytes: Buffer,
  rangeSize = 4 * UNIT
): Promise<JsonResponse[]> {
  const answers: JsonResponse[] = [];
  for (let start = 0; start < bytes.length; start += rangeSize) {
    const answer = await putDrive(
      uploadUrl,
      bytes,
      start,
      Math.min(start + rangeSize, bytes.length) - 1
    );
    answers.push(answer);
    if (answer.status !== 202 && answer.status !== 200) break;
  }
  return answers;
}

export async function readContent(h: Harness, itemId: string): Promise<Buffer> {
  const response = await fetch(`${h.emulator.graphUrl}/me/drive/items/${itemId}/content`, {
    headers: h.auth,
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

export function innerCode(body: Record<string, unknown>): string | undefined {
  return (body as { error?: { innerError?: { code?: string } } }).error?.innerError?.code;
}

export function code(body: Record<string, unknown>): string | undefined {
  return (body as { error?: { code?: string } }).error?.code;
}
