// The bandwidth cap is one link shared by every connection (as one uplink is): three parallel
// uploads under a 2 MiB/s cap move 2 MiB/s together, so 6 MiB take at least ~3 s, where three
// per-connection caps would let them finish in ~1 s. The budget's exact decisions are checked
// on a fake clock in test/unit/emulator/bandwidth.test.ts; here, over real sockets, only lower
// bounds on time (a cap can only make a transfer slower) and the bytes.
import {
  createItem,
  MiB,
  putRange,
  seededBytes,
  sha256,
  startHarness,
  uploadUrlFor,
  type Harness,
} from "./helpers";

const SIZE = 2 * MiB; // the smallest session
const CAP = 2 * MiB;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

/** Three sessions, one range each, sent in parallel (three connections); resolves with the seconds taken. */
async function threeParallelUploads(): Promise<number> {
  const files = [1, 2, 3].map((seed) => seededBytes(SIZE, seed));
  const messageId = await createItem(h, "messages");
  const urls = await Promise.all(
    files.map((f) => uploadUrlFor(h, `me/messages/${messageId}`, f.length))
  );
  const started = performance.now();
  const statuses = await Promise.all(
    files.map(async (file, i) => (await putRange(urls[i], file, 0, file.length - 1)).status)
  );
  const seconds = (performance.now() - started) / 1000;
  expect(statuses).toEqual([201, 201, 201]);
  expect(
    h.emulator
      .attachments()
      .map((a) => a.sha256)
      .sort()
  ).toEqual(files.map(sha256).sort());
  return seconds;
}

test("shared (default): three parallel uploads under 2 MiB/s move 2 MiB/s together, not 2 MiB/s each", async () => {
  h.emulator.configure({ faults: { bandwidthBytesPerSec: CAP } });
  expect(h.emulator.getConfig().faults.bandwidthScope).toBe("shared");
  const seconds = await threeParallelUploads();
  // 6 MiB over one 2 MiB/s link: ≥ 3 s (less 5 % for the first step and timer slack).
  expect(seconds).toBeGreaterThanOrEqual(((3 * SIZE) / CAP) * 0.95);
  console.log(
    `3 × 2 MiB under a shared 2 MiB/s cap: ${((3 * SIZE) / MiB / seconds).toFixed(2)} MiB/s together`
  );
});

test('"connection" (PUT /_emulator/config): each connection gets the whole cap; bytes intact', async () => {
  const response = await fetch(`${h.emulator.url}/_emulator/config`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ faults: { bandwidthBytesPerSec: CAP, bandwidthScope: "connection" } }),
  });
  expect(response.status).toBe(200);
  expect(
    ((await response.json()) as { faults: { bandwidthScope: string } }).faults.bandwidthScope
  ).toBe("connection");
  const seconds = await threeParallelUploads();
  // Each 2 MiB at 2 MiB/s on its own connection: ≥ 1 s.
  expect(seconds).toBeGreaterThanOrEqual((SIZE / CAP) * 0.95);
  console.log(
    `3 × 2 MiB under a per-connection 2 MiB/s cap: ${((3 * SIZE) / MiB / seconds).toFixed(2)} MiB/s together`
  );
});

test("a bad bandwidthScope is refused with 400 and the field named", async () => {
  const response = await fetch(`${h.emulator.url}/_emulator/config`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ faults: { bandwidthScope: "per-file" } }),
  });
  expect(response.status).toBe(400);
  expect(await response.text()).toMatch(/bandwidthScope/);
});
