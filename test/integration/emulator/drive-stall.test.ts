// faults.stall on the OneDrive routes, through the same machinery as the attachment routes
// (range-body.ts for mid-body and answer stalls, chaos.stallCreate for createUploadSession).
// The "not answered" checks are lower bounds (nothing arrived in 300 ms), never upper bounds.
import { rawRequest, seededBytes, sha256, startHarness, type Harness } from "./helpers";
import { driveUploadUrl, putDrive, UNIT, uploadDrive } from "./drive-helpers";

const SIZE = 3 * UNIT + 77;
const bytes = seededBytes(SIZE, 31);
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.emulator.reset();
});
afterAll(() => h.emulator.close());

/** "pending" after `ms`, or how the promise settled. */
async function stateAfter(promise: Promise<unknown>, ms = 300): Promise<string> {
  promise.catch(() => undefined);
  return Promise.race([
    promise.then(
      () => "answered",
      () => "failed"
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve("pending"), ms)),
  ]);
}

async function until(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

function rangeRequest(url: string, start: number, end: number) {
  return rawRequest(
    url,
    "PUT",
    { "Content-Range": `bytes ${start}-${end}/${SIZE}`, "Content-Length": String(end - start + 1) },
    bytes.subarray(start, end + 1)
  );
}

test("stall on create: the drive createUploadSession is never answered and opens no session", async () => {
  h.emulator.configure({ faults: { stall: { on: "create" } } });
  const body = Buffer.from("{}");
  const stalled = rawRequest(
    `${h.emulator.graphUrl}/me/drive/root:/a.bin:/createUploadSession`,
    "POST",
    { ...h.auth, "Content-Type": "application/json", "Content-Length": String(body.length) },
    body
  );
  expect(await stateAfter(stalled.response)).toBe("pending");
  expect(h.emulator.driveSessions()).toEqual([]);
  expect(h.emulator.faultLog()).toEqual([{ kind: "stall", on: "create" }]);
  stalled.abort();
  await expect(stalled.response).rejects.toThrow();
  expect(await driveUploadUrl(h, "/root:/a.bin:")).toMatch(/^http:/); // count 1: disarmed
});

test("stall on answer with commit: the range is stored but its 202 never comes; the replay after the abort is 416, GET status shows where to go on", async () => {
  const url = await driveUploadUrl(h, "/root:/answer.bin:");
  h.emulator.configure({ faults: { stall: { on: "answer", commit: true } } });
  const stalled = rangeRequest(url, 0, UNIT - 1);
  expect(await stateAfter(stalled.response)).toBe("pending");
  expect(h.emulator.driveSessions()[0]).toMatchObject({ received: UNIT });
  stalled.abort();
  await expect(stalled.response).rejects.toThrow();
  const replay = await putDrive(url, bytes, 0, UNIT - 1);
  expect(replay.status).toBe(416);
  expect(await (await fetch(url)).json()).toMatchObject({ nextExpectedRanges: [`${UNIT}-`] });
  const rest = await putDrive(url, bytes, UNIT, SIZE - 1);
  expect(rest.status).toBe(201);
  expect(h.emulator.driveItems().find((i) => i.id === rest.body.id)?.sha256).toBe(sha256(bytes));
});

test("stall mid-body: nothing is committed; the client's next request ends the stalled one and the upload completes", async () => {
  const url = await driveUploadUrl(h, "/root:/mid.bin:");
  h.emulator.configure({ faults: { stall: { on: "mid-body", afterBytes: 1000 } } });
  const stalled = rangeRequest(url, 0, 2 * UNIT - 1);
  expect(await stateAfter(stalled.response)).toBe("pending");
  expect(h.emulator.faultLog()).toEqual([
    { kind: "stall", on: "mid-body", put: 1, afterBytes: 1000 },
  ]);
  expect(h.emulator.driveSessions()[0]).toMatchObject({ received: 0, busy: true });
  stalled.abort();
  const answers = await uploadDrive(url, bytes, 2 * UNIT);
  expect(answers.map((a) => a.status)).toEqual([202, 201]);
  await until(() => h.emulator.driveSessions().length === 0);
  expect(h.emulator.driveItems().find((i) => i.name === "mid.bin")?.sha256).toBe(sha256(bytes));
});
