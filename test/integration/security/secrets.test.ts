// Secrets stay secret: the Graph token only ever travels in Authorization to Graph, never to the
// pre-authenticated upload URL; neither the token nor the upload URL's authtoken appears in any
// error message (cause chain included), phase detail or resume record field other than uploadUrl.
import {
  attachFile,
  type ResumeRecord,
  type UploadOptions,
  type UploadTarget,
  withUploadOrigins,
} from "../../../src/upload";
import { startEmulator, type RunningEmulator } from "../../../dev/graph-emulator";
import { memoryFile, MiB, patternBytes } from "../hostile/fixture";

interface Sent {
  method: string;
  url: string;
  authorization: string | null;
}

let emulator: RunningEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, uploadPort: 0, config: { getStatus: true } });
  token = emulator.issueToken();
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(() => {
  emulator.configure({
    maxMessageSizeBytes: 157_286_400,
    faults: { latencyMs: 0, dropConnection: null, statusRate: null, script: [] },
  });
});

/** Runs one upload, recording every request the engine hands to fetch and everything it says. */
async function run(size: number, extra: Partial<UploadOptions> = {}, getToken = async () => token) {
  const target: UploadTarget = {
    graphBaseUrl: emulator.graphUrl,
    mailbox: "me",
    itemKind: "message",
    itemId: emulator.createItem({ kind: "message" }).id,
  };
  const sent: Sent[] = [];
  const said: string[] = [];
  const records: (ResumeRecord | null)[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    sent.push({
      method: init?.method ?? "GET",
      url: String(input),
      authorization: new Headers(init?.headers).get("authorization"),
    });
    return fetch(input, init);
  };
  let error: unknown;
  try {
    await attachFile(memoryFile("secret-test.bin", patternBytes(size, 11)), target, getToken, {
      retryDelays: [5, 5],
      chunkSize: 1 * MiB,
      allowedUploadOrigins: withUploadOrigins(emulator.uploadOrigin),
      fetch: recordingFetch,
      onPhase: (_phase, detail) => said.push(...messages(detail?.error)),
      onResumeRecord: (r) => records.push(r),
      ...extra,
    });
  } catch (e) {
    error = e;
  }
  said.push(...messages(error));
  const uploadUrls = records.flatMap((r) => (r ? [r.uploadUrl] : []));
  const authtokens = [...new Set(uploadUrls.map((u) => new URL(u).searchParams.get("authtoken")!))];
  return { sent, said, records, error, authtokens };
}

/** Every message, name and stack in an error's cause chain. */
function messages(error: unknown): string[] {
  const out: string[] = [];
  for (
    let e = error as Error | undefined, depth = 0;
    e && depth < 10;
    e = e.cause as Error, depth++
  ) {
    out.push(String(e.message), String(e.stack ?? ""), JSON.stringify(e));
  }
  return out;
}

function expectNoSecrets(texts: string[], secrets: string[]) {
  const joined = texts.join("\n");
  for (const s of secrets) expect(joined).not.toContain(s);
  expect(joined).not.toMatch(/authtoken=(?!\[redacted\])/i);
  expect(joined).not.toMatch(/Bearer\s+(?!\[redacted\])\S{8,}/);
}

function expectTokenOnlyToGraph(sent: Sent[]) {
  const upload = sent.filter((r) => r.url.startsWith(emulator.uploadOrigin));
  const graph = sent.filter((r) => r.url.startsWith(emulator.graphUrl));
  expect(upload.length).toBeGreaterThan(0);
  for (const r of upload) expect(r.authorization).toBeNull();
  for (const r of graph) expect(r.authorization).toBe(`Bearer ${token}`);
}

test("a clean upload: PUTs without Authorization, Graph calls with it, nothing said leaks", async () => {
  const r = await run(5 * MiB);
  expect(r.error).toBeUndefined();
  expectTokenOnlyToGraph(r.sent);
  expect(r.sent.filter((s) => s.method === "PUT")).toHaveLength(5);
  expectNoSecrets(r.said, [token, ...r.authtokens]);
});

test("a dropped connection (GET status on the upload URL) and a retry: still no Authorization there", async () => {
  emulator.configure({ faults: { dropConnection: { putNumber: 2, afterBytes: 1000 } } });
  const r = await run(4 * MiB);
  expect(r.error).toBeUndefined();
  expect(r.sent.some((s) => s.method === "GET" && s.url.startsWith(emulator.uploadOrigin))).toBe(
    true
  );
  expectTokenOnlyToGraph(r.sent);
  expectNoSecrets(r.said, [token, ...r.authtokens]);
});

test("cancel: the DELETE to the upload URL carries no Authorization; the error names no secret", async () => {
  const controller = new AbortController();
  const r = await run(6 * MiB, {
    signal: controller.signal,
    onChunkComplete: (_b, acknowledged) => acknowledged >= 2 * MiB && controller.abort(),
  });
  expect((r.error as Error).name).toBe("AbortError");
  const deletes = r.sent.filter((s) => s.method === "DELETE");
  expect(deletes).toHaveLength(1);
  expect(deletes[0].authorization).toBeNull();
  expectTokenOnlyToGraph(r.sent);
  expectNoSecrets(r.said, [token, ...r.authtokens]);
});

test.each([
  [
    "server errors past the retry budget",
    { faults: { script: [{ status: 503, count: 50, target: "upload" as const }] } },
  ],
  ["the message size exceeded part-way", { maxMessageSizeBytes: 3 * MiB }],
])(
  "failure — %s: the typed error and its causes carry no token or authtoken",
  async (_label, patch) => {
    emulator.configure(patch);
    const r = await run(5 * MiB);
    expect(r.error).toBeInstanceOf(Error);
    expect(r.authtokens.length).toBeGreaterThan(0);
    expectTokenOnlyToGraph(r.sent);
    expectNoSecrets(r.said, [token, ...r.authtokens]);
  }
);

test("a rejected token (401 from Graph): the error does not echo it", async () => {
  const bogus = "emu.not-a-valid-token-0123456789";
  const r = await run(5 * MiB, {}, async () => bogus);
  expect(r.error).toMatchObject({ status: 401 });
  expectNoSecrets(r.said, [bogus, token]);
});
