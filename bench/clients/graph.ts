// Small helpers the clients share: counting requests and creating an upload session by hand.
import type { ClientJob } from "./job";
import { DEFAULT_SHARE_OPTIONS } from "../../src/upload";

let requestCount = 0;

/** Wraps globalThis.fetch once so every request (engine, SDK, raw) is counted the same way. */
export function countRequests(): () => number {
  const original = globalThis.fetch;
  if (!(original as { counted?: boolean }).counted) {
    const counted = ((...args: Parameters<typeof fetch>) => {
      requestCount++;
      return original(...args);
    }) as typeof fetch & { counted?: boolean };
    counted.counted = true;
    globalThis.fetch = counted;
  }
  const start = requestCount;
  return () => requestCount - start;
}

export function attachmentsUrl(job: ClientJob, itemId: string): string {
  const mailbox = job.mailbox === "me" ? "me" : `users/${encodeURIComponent(job.mailbox)}`;
  const kind = job.itemKind === "event" ? "events" : "messages";
  return `${job.graphUrl}/${mailbox}/${kind}/${encodeURIComponent(itemId)}/attachments`;
}

export async function createUploadSession(
  job: ClientJob,
  file: { name: string; size: number },
  itemId: string
): Promise<string> {
  const response = await fetch(`${attachmentsUrl(job, itemId)}/createUploadSession`, {
    method: "POST",
    headers: { Authorization: `Bearer ${job.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      AttachmentItem: { attachmentType: "file", name: file.name, size: file.size },
    }),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`createUploadSession answered ${response.status}: ${text.slice(0, 200)}`);
  }
  return (JSON.parse(text) as { uploadUrl: string }).uploadUrl;
}

/** The attachment id from a final 201's Location header (…/Attachments('ID')). */
export function idFromLocation(location: string | null): string {
  const match = location && /Attachments\('([^']+)'\)/i.exec(location);
  return match ? match[1] : "";
}

/** The OneDrive folder the bench shares into (the engine's default folder). */
export const BENCH_DRIVE_FOLDER = DEFAULT_SHARE_OPTIONS.folder;

/**
 * A OneDrive upload session for `file` in the job's folder, made as a client that knows the
 * protocol would: the folder made sure of first (`replace` keeps an existing one), then
 * createUploadSession by path with `rename`. Returns the upload URL (a secret: never logged).
 */
export async function createDriveSession(
  graphUrl: string,
  token: string,
  file: { name: string },
  folder = BENCH_DRIVE_FOLDER
): Promise<string> {
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const made = await fetch(`${graphUrl}/me/drive/root/children`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: folder,
      folder: {},
      "@microsoft.graph.conflictBehavior": "replace",
    }),
  });
  await made.text();
  if (made.status !== 201 && made.status !== 200) {
    throw new Error(`Creating the OneDrive folder answered ${made.status}.`);
  }
  const path = `${encodeURIComponent(folder)}/${encodeURIComponent(file.name)}`;
  const response = await fetch(`${graphUrl}/me/drive/root:/${path}:/createUploadSession`, {
    method: "POST",
    headers,
    body: JSON.stringify({ item: { "@microsoft.graph.conflictBehavior": "rename" } }),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`drive createUploadSession answered ${response.status}: ${text.slice(0, 200)}`);
  }
  return (JSON.parse(text) as { uploadUrl: string }).uploadUrl;
}
