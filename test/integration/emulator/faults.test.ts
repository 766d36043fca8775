// Each fault kind, as configured: latency, bandwidth cap, a connection destroyed mid-range, error
// statuses on a script and at a seeded rate, and restart mid-upload. Timing checks are lower
// bounds only (a delay or a cap can only make a request slower), never upper bounds.
import {
  createItem,
  errorCode,
  MiB,
  putRange,
  rawRequest,
  seededBytes,
  sha256,
  startHarness,
  uploadUrlFor,
  type Harness,
} from "./helpers";

const bytes = seededBytes(3 * MiB, 9);
let h: Harness;
let messageId: string;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.emulator.reset();
  messageId = await createItem(h, "messages");
});
afterAll(() => h.emulator.close());

const item = () => `me/messages/${messageId}`;

test("latency: every Graph and upload request is delayed by at least latencyMs", async () => {
  h.emulator.configure({ faults: { latencyMs: 300 } });
  const url = await uploadUrlFor(h, item(), bytes.length);
  const started = performance.now();
  expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  const graphStarted = performance.now();
  expect((await fetch(`${h.emulator.graphUrl}/${item()}`, { headers: h.auth })).status).toBe(200);
  expect(performance.now() - graphStarted).toBeGreaterThanOrEqual(290);
});

test("bandwidth cap: a 1 MiB range at 2 MiB/s and a 3 MiB $value at 6 MiB/s each take at least ~0.5 s, bytes intact", async () => {
  h.emulator.configure({ faults: { bandwidthBytesPerSec: 2 * MiB } });
  const url = await uploadUrlFor(h, item(), bytes.length);
  const started = performance.now();
  expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(450);
  h.emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
  const last = await putRange(url, bytes, MiB, bytes.length - 1);
  expect(last.status).toBe(201);
  expect(h.emulator.attachments()[0].sha256).toBe(sha256(bytes));
  // Downloads are paced too: 3 MiB of $value at 6 MiB/s takes at least ~0.5 s.
  h.emulator.configure({ faults: { bandwidthBytesPerSec: 6 * MiB } });
  const id = /Attachments\('([^']+)'\)$/.exec(last.headers.get("location")!)![1];
  const readStarted = performance.now();
  const raw = await fetch(`${h.emulator.graphUrl}/${item()}/attachments/${id}/$value`, {
    headers: h.auth,
  });
  expect(sha256(Buffer.from(await raw.arrayBuffer()))).toBe(sha256(bytes));
  expect(performance.now() - readStarted).toBeGreaterThanOrEqual(450);
});

test("dropConnection on the 2nd range PUT after 1000 bytes: the socket is destroyed, the range is not committed, a retry completes", async () => {
  h.emulator.configure({ faults: { dropConnection: { putNumber: 2, afterBytes: 1000 } } });
  const url = await uploadUrlFor(h, item(), bytes.length);
  expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
  const dropped = rawRequest(
    url,
    "PUT",
    {
      "Content-Range": `bytes ${MiB}-${2 * MiB - 1}/${bytes.length}`,
      "Content-Length": String(MiB),
    },
    bytes.subarray(MiB, 2 * MiB)
  );
  await expect(dropped.response).rejects.toThrow(/socket hang up|ECONNRESET|EPIPE/);
  expect(h.emulator.faultLog()).toEqual([{ kind: "drop", put: 2, afterBytes: 1000 }]);
  expect(h.emulator.openSessions()[0]).toMatchObject({ received: MiB, busy: false });
  expect((await putRange(url, bytes, MiB, 2 * MiB - 1)).status).toBe(200);
  expect((await putRange(url, bytes, 2 * MiB, bytes.length - 1)).status).toBe(201);
  expect(h.emulator.attachments()[0].sha256).toBe(sha256(bytes));
});

test("dropConnection at random (seeded): the same seed drops the same PUTs at the same byte", async () => {
  async function run(): Promise<unknown[]> {
    h.emulator.configure({
      faults: { seed: 42, dropConnection: { probability: 0.5, afterBytes: "random" } },
    });
    const url = await uploadUrlFor(h, item(), bytes.length);
    for (let i = 0; i < 6; i++) {
      const r = rawRequest(
        url,
        "PUT",
        { "Content-Range": `bytes 0-65535/${bytes.length}`, "Content-Length": "65536" },
        bytes.subarray(0, 65536)
      );
      const outcome = await r.response.then(
        (res) => res.status,
        () => "dropped"
      );
      if (outcome === 200) await fetch(url, { method: "DELETE" }).then(() => undefined);
      if (outcome === 200) return [...h.emulator.faultLog(), "stopped"];
    }
    return h.emulator.faultLog();
  }
  const first = await run();
  const second = await run();
  expect(first.length).toBeGreaterThan(0);
  expect(second).toEqual(first);
});

test('script: "next 3 PUTs answer 503 with Retry-After" then normal service, nothing committed meanwhile', async () => {
  const url = await uploadUrlFor(h, item(), bytes.length);
  h.emulator.configure({
    faults: {
      script: [{ status: 503, count: 3, methods: ["PUT"], target: "upload", retryAfterSeconds: 2 }],
    },
  });
  for (let i = 0; i < 3; i++) {
    const response = await putRange(url, bytes, 0, MiB - 1);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(errorCode(await response.json())).toBe("ServiceUnavailable");
    expect(h.emulator.openSessions()[0].received).toBe(0);
  }
  // Graph requests are not matched by an upload-only rule.
  expect((await fetch(`${h.emulator.graphUrl}/${item()}`, { headers: h.auth })).status).toBe(200);
  expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
  expect(h.emulator.getConfig().pendingScript).toEqual([]);
});

test("statusRate: a seeded share of Graph requests answers 429/503 with Retry-After, reproducibly", async () => {
  async function run(): Promise<number[]> {
    h.emulator.configure({
      faults: {
        seed: 7,
        statusRate: { rate: 0.5, statuses: [429, 503], retryAfterSeconds: 1, target: "graph" },
      },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${h.emulator.graphUrl}/${item()}`, { headers: h.auth });
      statuses.push(response.status);
      if (response.status !== 200) expect(response.headers.get("retry-after")).toBe("1");
      await response.arrayBuffer();
    }
    return statuses;
  }
  const first = await run();
  expect(first).toEqual(expect.arrayContaining([200, 429, 503]));
  expect(await run()).toEqual(first);
});

test("restart mid-upload: the in-flight socket is destroyed, open sessions are gone, attachments stay", async () => {
  const done = await uploadUrlFor(h, item(), bytes.length);
  await putRange(done, bytes, 0, 2 * MiB - 1);
  expect((await putRange(done, bytes, 2 * MiB, bytes.length - 1)).status).toBe(201);
  const url = await uploadUrlFor(h, item(), bytes.length);
  const inFlight = rawRequest(
    url,
    "PUT",
    { "Content-Range": `bytes 0-${MiB - 1}/${bytes.length}`, "Content-Length": String(MiB) },
    bytes.subarray(0, 1000),
    {
      end: false,
    }
  );
  for (let i = 0; i < 100 && !h.emulator.openSessions()[0]?.busy; i++)
    await new Promise((r) => setTimeout(r, 20));
  const restart = await fetch(`${h.emulator.url}/_emulator/restart`, { method: "POST" });
  expect(restart.status).toBe(200);
  await expect(inFlight.response).rejects.toThrow();
  for (let i = 0; i < 100 && h.emulator.openSessions().length > 0; i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(h.emulator.openSessions()).toEqual([]);
  expect(h.emulator.attachments()).toEqual([expect.objectContaining({ sha256: sha256(bytes) })]);
  const after = await putRange(url, bytes, 0, MiB - 1);
  expect(after.status).toBe(404);
});
