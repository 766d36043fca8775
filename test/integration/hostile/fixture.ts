// Shared set-up for the hostile-input tests against the real emulator on ephemeral ports.
import { createHash } from "node:crypto";
import { startEmulator, type RunningEmulator } from "../../../dev/graph-emulator";
import {
  withUploadOrigins,
  type UploadFile,
  type UploadOptions,
  type UploadTarget,
} from "../../../src/upload";

export const MiB = 1024 * 1024;

let origins: string[] = withUploadOrigins();

/**
 * Fast retries: these tests are about outcomes, not about waiting. With the upload origin of the
 * emulator this file started (the engine refuses any uploadUrl off its allow-list): read when spread.
 */
export const QUICK: Partial<UploadOptions> = {
  retryDelays: [5, 10, 20],
  deleteTimeoutMs: 2_000,
  get allowedUploadOrigins() {
    return origins;
  },
};

export interface EmulatorFixture {
  emulator: RunningEmulator;
  token: string;
  getToken: () => Promise<string>;
  newTarget(kind?: "message" | "event"): UploadTarget;
}

/**
 * One emulator for the test file: started in beforeAll, closed in afterAll. The returned object is
 * filled in when beforeAll has run, so tests read its fields as usual.
 */
export function useEmulatorFixture(): EmulatorFixture {
  const fx = {} as EmulatorFixture;
  beforeAll(async () => {
    Object.assign(fx, await emulatorFixture());
  });
  afterAll(async () => {
    await fx.emulator?.close();
  });
  return fx;
}

async function emulatorFixture(): Promise<EmulatorFixture> {
  const emulator = await startEmulator({ port: 0, uploadPort: 0 });
  const port = new URL(emulator.uploadOrigin).port;
  origins = withUploadOrigins(emulator.uploadOrigin, `http://localhost:${port}`);
  const token = emulator.issueToken();
  return {
    emulator,
    token,
    getToken: async () => token,
    newTarget: (kind = "message") => ({
      graphBaseUrl: emulator.graphUrl,
      mailbox: "me",
      itemKind: kind,
      itemId: emulator.createItem({ kind, properties: { subject: "hostile" } }).id,
    }),
  };
}

/** Deterministic bytes of a given size (a different pattern per `salt`). */
export function patternBytes(size: number, salt = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let x = (salt * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export function memoryFile(
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
  type = "application/octet-stream"
): UploadFile {
  const blob = new Blob([bytes]);
  return {
    name,
    size: bytes.length,
    type,
    lastModified: 1_700_000_000_000,
    slice: (s, e, t) => blob.slice(s, e, t),
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The item's attachments as Graph lists them (name as stored), with the SHA-256 of each `$value`. */
export async function readBack(
  target: UploadTarget,
  token: string
): Promise<Array<{ id: string; name: string; sha256: string }>> {
  const base = `${target.graphBaseUrl}/me/${target.itemKind}s/${encodeURIComponent(target.itemId)}/attachments`;
  const headers = { Authorization: `Bearer ${token}` };
  const list = (await (await fetch(`${base}?$select=id,name`, { headers })).json()) as {
    value: Array<{ id: string; name: string }>;
  };
  const out = [];
  for (const a of list.value) {
    const bytes = new Uint8Array(
      await (await fetch(`${base}/${encodeURIComponent(a.id)}/$value`, { headers })).arrayBuffer()
    );
    out.push({ id: a.id, name: a.name, sha256: sha256(bytes) });
  }
  return out;
}
