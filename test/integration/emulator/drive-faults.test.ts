// The seeded faults reach the OneDrive routes through the same machinery as the attachment
// routes (emulator.ts applies latency and statuses before any handler; range-body.ts paces and
// drops range bodies): scripted and seeded-rate statuses on the drive upload URL, a dropped
// connection mid-range (nothing committed), the bandwidth cap on ranges and on …/content, and
// latency on Graph drive routes. Timing checks are lower bounds only.
import { MiB, rawRequest, seededBytes, sha256, startHarness, type Harness } from "./helpers";
import { driveUploadUrl, graph, putDrive, readContent, UNIT, uploadDrive } from "./drive-helpers";

const SIZE = 4 * UNIT + 999;
const bytes = seededBytes(SIZE, 21);
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.emulator.reset();
});
afterAll(() => h.emulator.close());

test("a scripted upload/PUT 503 with Retry-After answers the drive range, which is not committed; the retry is 202", async () => {
  const url = await driveUploadUrl(h, "/root:/script.bin:");
  h.emulator.configure({
    faults: {
      script: [{ status: 503, count: 1, target: "upload", methods: ["PUT"], retryAfterSeconds: 2 }],
    },
  });
  const faulted = await putDrive(url, bytes, 0, 2 * UNIT - 1);
  expect(faulted.status).toBe(503);
  expect(faulted.headers.get("retry-after")).toBe("2");
  expect(await (await fetch(url)).json()).toMatchObject({ nextExpectedRanges: ["0-"] });
  const answers = await uploadDrive(url, bytes, 2 * UNIT);
  expect(answers.map((a) => a.status)).toEqual([202, 202, 201]);
  expect(h.emulator.faultLog()).toEqual([
    { kind: "status", origin: "upload", method: "PUT", status: 503, source: "script" },
  ]);
});

test("a seeded status rate on graph/POST hits drive createUploadSession and replays the same with the same seed", async () => {
  const run = async () => {
    h.emulator.configure({
      faults: {
        seed: 7,
        statusRate: { rate: 0.5, statuses: [429, 503], target: "graph", methods: ["POST"] },
      },
    });
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await graph(h, "POST", "/root:/rate.bin:/createUploadSession", {})).status);
    }
    return statuses;
  };
  const first = await run();
  expect(first.some((s) => s === 429 || s === 503)).toBe(true);
  expect(first.some((s) => s === 200)).toBe(true);
  expect(await run()).toEqual(first);
});

test("a connection dropped after 1000 bytes of the first drive range: nothing committed; the upload then completes with the right SHA-256", async () => {
  const url = await driveUploadUrl(h, "/root:/drop.bin:");
  h.emulator.configure({ faults: { dropConnection: { putNumber: 1, afterBytes: 1000 } } });
  const dropped = rawRequest(
    url,
    "PUT",
    { "Content-Range": `bytes 0-${2 * UNIT - 1}/${SIZE}`, "Content-Length": String(2 * UNIT) },
    bytes.subarray(0, 2 * UNIT)
  );
  await expect(dropped.response).rejects.toThrow();
  expect(h.emulator.faultLog()).toEqual([{ kind: "drop", put: 1, afterBytes: 1000 }]);
  const status = rawRequest(url, "GET", {});
  expect(JSON.parse((await status.response).body)).toMatchObject({ nextExpectedRanges: ["0-"] });
  expect(h.emulator.driveSessions()).toMatchObject([{ received: 0, busy: false }]);
  const answers = await uploadDrive(url, bytes, 2 * UNIT);
  expect(answers.at(-1)!.status).toBe(201);
  expect(sha256(await readContent(h, answers.at(-1)!.body.id as string))).toBe(sha256(bytes));
});

test("bandwidth cap: a 640 KiB drive range at 1 MiB/s and the 1.3 MiB …/content at 2.6 MiB/s each take at least ~0.5 s, bytes intact", async () => {
  const url = await driveUploadUrl(h, "/root:/slow.bin:");
  h.emulator.configure({ faults: { bandwidthBytesPerSec: MiB } });
  const started = performance.now();
  expect((await putDrive(url, bytes, 0, 2 * UNIT - 1)).status).toBe(202);
  expect(performance.now() - started).toBeGreaterThanOrEqual(450);
  h.emulator.configure({ faults: { bandwidthBytesPerSec: 0 } });
  const last = await putDrive(url, bytes, 2 * UNIT, SIZE - 1);
  expect(last.status).toBe(201);
  h.emulator.configure({ faults: { bandwidthBytesPerSec: 2 * SIZE } });
  const readStarted = performance.now();
  const content = await readContent(h, last.body.id as string);
  expect(performance.now() - readStarted).toBeGreaterThanOrEqual(450);
  expect(sha256(content)).toBe(sha256(bytes));
});

test("latency applies to Graph drive routes and to the drive upload URL", async () => {
  const url = await driveUploadUrl(h, "/root:/late.bin:");
  h.emulator.configure({ faults: { latencyMs: 300 } });
  const graphStarted = performance.now();
  expect((await graph(h, "GET", "/root")).status).toBe(200);
  expect(performance.now() - graphStarted).toBeGreaterThanOrEqual(290);
  const putStarted = performance.now();
  expect((await putDrive(url, bytes, 0, UNIT - 1)).status).toBe(202);
  expect(performance.now() - putStarted).toBeGreaterThanOrEqual(290);
});

test("lostAnswer on createLink: the link is made, the socket is destroyed before the answer; a retry gets the same link with 200", async () => {
  const url = await driveUploadUrl(h, "/root:/lost-link.bin:");
  const id = (await uploadDrive(url, bytes)).at(-1)!.body.id as string;
  h.emulator.configure({ faults: { lostAnswer: { on: "createLink" } } });
  const ask = () =>
    graph(h, "POST", `/items/${id}/createLink`, { type: "view", scope: "organization" });
  await expect(ask()).rejects.toThrow(/fetch failed/);
  const [file] = h.emulator.driveItems().filter((i) => i.id === id);
  expect(file.links).toEqual([expect.objectContaining({ type: "view", scope: "organization" })]);
  // Disarmed after one (count 1): the retry is answered, with the link the lost answer carried.
  const again = await ask();
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({
    id: file.links[0].id,
    link: { webUrl: file.links[0].webUrl },
  });
  expect(h.emulator.driveItems().find((i) => i.id === id)!.links).toHaveLength(1);
  expect(h.emulator.faultLog()).toEqual([{ kind: "lost-answer", on: "createLink" }]);
});

test("lostAnswer: validated, and count loses that many answers", async () => {
  expect(() =>
    h.emulator.configure({ faults: { lostAnswer: { on: "createUploadSession" as "createLink" } } })
  ).toThrow(/lostAnswer\.on must be "createLink"/);
  expect(() =>
    h.emulator.configure({ faults: { lostAnswer: { on: "createLink", count: 0 } } })
  ).toThrow(/count must be an integer/);
  const url = await driveUploadUrl(h, "/root:/lost-twice.bin:");
  const id = (await uploadDrive(url, bytes)).at(-1)!.body.id as string;
  h.emulator.configure({ faults: { lostAnswer: { on: "createLink", count: 2 } } });
  const ask = () => graph(h, "POST", `/items/${id}/createLink`, { type: "edit", scope: "users" });
  await expect(ask()).rejects.toThrow();
  await expect(ask()).rejects.toThrow();
  expect((await ask()).status).toBe(200);
  expect(h.emulator.faultLog()).toHaveLength(2);
});

test("createLink's existing link is per application: another app's token gets a link of its own (201)", async () => {
  const url = await driveUploadUrl(h, "/root:/per-app.bin:");
  const id = (await uploadDrive(url, bytes)).at(-1)!.body.id as string;
  const ask = (token: string) =>
    fetch(`${h.emulator.graphUrl}/me/drive/items/${id}/createLink`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "view", scope: "organization" }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));
  const ours = await ask(h.emulator.issueToken());
  const again = await ask(h.emulator.issueToken());
  const other = await ask(h.emulator.issueToken(undefined, undefined, "another-app"));
  expect([ours.status, again.status, other.status]).toEqual([201, 200, 201]);
  expect(again.body.id).toBe(ours.body.id);
  expect(other.body.id).not.toBe(ours.body.id);
  expect(ours.body.link.application).toEqual({ id: "large-attach", displayName: "large-attach" });
  expect(other.body.link.application).toMatchObject({ id: "another-app" });
  expect(
    h.emulator
      .driveItems()
      .find((i) => i.id === id)!
      .links.map((l) => l.app)
  ).toEqual(["large-attach", "another-app"]);
});
