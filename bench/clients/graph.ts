// Small helpers the clients share: counting requests and creating an upload session by hand.
import type { ClientJob } from "./job";

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
