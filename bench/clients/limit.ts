// The physical limit: one PUT of the whole file to the emulator's upload origin through the same
// HTTP stack the engine uses in Node (undici fetch streaming an fs.openAsBlob body). The runner
// raises the emulator's per-range cap first; the session itself is created before the clock starts.
import { openAsBlob } from "node:fs";
import { countRequests, createUploadSession, idFromLocation } from "./graph";
import type { ClientJob, ClientResult } from "./job";

export async function runLimit(job: ClientJob): Promise<Omit<ClientResult, "maxRssBytes">> {
  const [file] = job.files;
  const uploadUrl = await createUploadSession(job, file, job.itemIds[0]);
  const requests = countRequests();
  const started = performance.now();
  const blob = await openAsBlob(file.path);
  const response = await fetch(uploadUrl, {
    method: "PUT",
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Range": `bytes 0-${file.size - 1}/${file.size}`,
    },
    body: blob,
  });
  await response.text();
  const ms = performance.now() - started;
  if (response.status !== 201) {
    throw new Error(
      `The single PUT answered ${response.status}; is the emulator's range cap raised?`
    );
  }
  return {
    ms,
    bytes: file.size,
    requests: requests(),
    attachmentIds: [idFromLocation(response.headers.get("location"))],
  };
}
