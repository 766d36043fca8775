// Shared by the engine and CLI integration tests: a real emulator on ephemeral ports, items to
// attach to, files with position-dependent bytes, and SHA-256 checks of what the server stored.
import { createHash } from "node:crypto";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../../dev/graph-emulator";
import { withUploadOrigins, type UploadFile, type UploadTarget } from "../../../src/upload";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** The engine's allow-list for an emulator: the defaults plus its loopback upload origin, both spellings. */
export function emulatorUploadOrigins(emu: Pick<Emulator, "uploadOrigin">): string[] {
  const port = new URL(emu.uploadOrigin).port;
  return withUploadOrigins(emu.uploadOrigin, `http://localhost:${port}`);
}

let booted: Emulator | undefined;

export async function bootEmulator(): Promise<Emulator> {
  booted = await startEmulator({ port: 0, uploadPort: 0 });
  return booted;
}

/** Creates a draft message (or an event) and returns its id, as the task pane would find it. */
export async function createItem(
  emu: Emulator,
  kind: "message" | "event" = "message",
  mailbox = "me"
) {
  const token = emu.issueToken();
  const base =
    mailbox === "me"
      ? `${emu.graphUrl}/me`
      : `${emu.graphUrl}/users/${encodeURIComponent(mailbox)}`;
  const response = await fetch(`${base}/${kind === "message" ? "messages" : "events"}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(
      kind === "message" ? { subject: "Large Attach test" } : { subject: "Meeting" }
    ),
  });
  if (response.status !== 201)
    throw new Error(`creating a ${kind} failed: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  return id;
}

export function targetFor(
  emu: Emulator,
  itemId: string,
  itemKind: "message" | "event" = "message"
): UploadTarget {
  return { graphBaseUrl: emu.graphUrl, mailbox: "me", itemKind, itemId };
}

/** Bytes that depend on their position (a shifted or repeated range changes the hash). */
export function bytesFor(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

export function memoryFile(
  size: number,
  name = `file-${size}.bin`,
  seed = 1
): UploadFile & { sha256: string } {
  const bytes = bytesFor(size, seed);
  const blob = new Blob([bytes]);
  return {
    name,
    size,
    type: "application/octet-stream",
    lastModified: 1_700_000_000_000 + seed,
    slice: (s, e, t) => blob.slice(s, e, t),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/** Writes a file of `size` bytes (a 1 MiB + 7 block repeated, so offsets matter) and returns its SHA-256. */
export async function diskFile(
  dir: string,
  name: string,
  size: number
): Promise<{ path: string; sha256: string }> {
  const path = join(dir, name);
  const block = bytesFor(1024 * 1024 + 7, 9);
  const hash = createHash("sha256");
  const handle = await open(path, "w");
  try {
    for (let written = 0; written < size;) {
      const piece = block.subarray(0, Math.min(block.length, size - written));
      await handle.write(piece);
      hash.update(piece);
      written += piece.length;
    }
  } finally {
    await handle.close();
  }
  return { path, sha256: hash.digest("hex") };
}

export async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), "large-attach-it-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** SHA-256 of the attachment's raw bytes, read back through Graph's `$value`. */
export async function sha256OfValue(
  emu: Emulator,
  target: UploadTarget,
  attachmentId: string
): Promise<string> {
  const kind = target.itemKind === "message" ? "messages" : "events";
  const response = await fetch(
    `${emu.graphUrl}/me/${kind}/${encodeURIComponent(target.itemId)}/attachments/${encodeURIComponent(attachmentId)}/$value`,
    { headers: { Authorization: `Bearer ${emu.issueToken()}` } }
  );
  if (response.status !== 200) throw new Error(`$value answered ${response.status}`);
  const hash = createHash("sha256");
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
  }
  return hash.digest("hex");
}

/** Test engine options: short real waits (the emulator's Retry-After is honoured as given). */
/**
 * Short retries, and the upload origin of the emulator this test file booted (the engine refuses
 * any uploadUrl off its allow-list): read when spread, so after bootEmulator().
 */
export const fastRetries = {
  retryDelays: [50, 100, 200, 400],
  maxRetryDelayMs: 5_000,
  get allowedUploadOrigins(): string[] {
    return booted ? emulatorUploadOrigins(booted) : withUploadOrigins();
  },
};
