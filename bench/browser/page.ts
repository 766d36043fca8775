// The browser benchmark page (fallback until the playground hosts the built task pane): the
// engine runs in the page exactly as the pane drives it — UploadQueue over the XHR transport —
// and the baseline is one fetch PUT of the same File to the same emulator. A PerformanceObserver
// records every long task (> 50 ms) so the runner can report the longest one during an upload.
import { UploadQueue, xhrTransport } from "../../src/upload";

interface PageJob {
  graphUrl: string;
  token: string;
  itemId: string;
  chunkSize: number;
}

interface PageResult {
  ms: number;
  longestTaskMs: number;
  longTasks: number;
  bytes: number;
}

const longTasks: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    longTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: "longtask", buffered: true });

function pickedFile(): File {
  const input = document.querySelector<HTMLInputElement>("#file");
  const file = input?.files?.[0];
  if (!file) throw new Error("No file picked.");
  return file;
}

function tasksBetween(start: number, end: number) {
  const during = longTasks.filter((t) => t.start + t.duration >= start && t.start <= end);
  return { longestTaskMs: Math.max(0, ...during.map((t) => t.duration)), longTasks: during.length };
}

async function engine(job: PageJob): Promise<PageResult> {
  const file = pickedFile();
  const started = performance.now();
  const queue = new UploadQueue({
    target: { graphBaseUrl: job.graphUrl, mailbox: "me", itemKind: "message", itemId: job.itemId },
    getToken: async () => job.token,
    uploadOptions: { chunkSize: job.chunkSize, transport: xhrTransport() },
  });
  // Subscribing like the pane does, so store updates cost what they cost there.
  let updates = 0;
  queue.subscribe(() => updates++);
  queue.add(file);
  const state = await queue.whenIdle();
  const ended = performance.now();
  const [entry] = state.files;
  if (entry?.phase !== "attached")
    throw new Error(`Upload ended ${entry?.phase}: ${entry?.error?.message ?? ""}`);
  await new Promise((r) => setTimeout(r, 50)); // let the observer deliver the last entries
  return { ms: ended - started, bytes: file.size, ...tasksBetween(started, ended) };
}

async function baseline(job: PageJob): Promise<PageResult> {
  const file = pickedFile();
  const created = await fetch(
    `${job.graphUrl}/me/messages/${encodeURIComponent(job.itemId)}/attachments/createUploadSession`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${job.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        AttachmentItem: { attachmentType: "file", name: file.name, size: file.size },
      }),
    }
  );
  const { uploadUrl } = (await created.json()) as { uploadUrl: string };
  const started = performance.now();
  const response = await fetch(uploadUrl, {
    method: "PUT",
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Range": `bytes 0-${file.size - 1}/${file.size}`,
    },
    body: file,
  });
  await response.text();
  const ended = performance.now();
  if (response.status !== 201) throw new Error(`The single PUT answered ${response.status}.`);
  await new Promise((r) => setTimeout(r, 50));
  return { ms: ended - started, bytes: file.size, ...tasksBetween(started, ended) };
}

(window as unknown as { largeAttachBench: unknown }).largeAttachBench = { engine, baseline };
