// faults.stall: silence without closing. A stalled request is never answered, whatever the
// client waits; it is released when the client aborts. The "not answered" checks are lower
// bounds (nothing arrived in 300 ms), never upper bounds.
import { applyConfigPatch, DEFAULT_CONFIG } from "../../../dev/graph-emulator/config";
import {
  createItem,
  MiB,
  putRange,
  rawRequest,
  seededBytes,
  sha256,
  startHarness,
  uploadUrlFor,
  type Harness,
} from "./helpers";

const bytes = seededBytes(3 * MiB, 11);
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

/** "still pending" after `ms`, or how the promise settled. */
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
    {
      "Content-Range": `bytes ${start}-${end}/${bytes.length}`,
      "Content-Length": String(end - start + 1),
    },
    bytes.subarray(start, end + 1)
  );
}

test("stall on create: createUploadSession is never answered and opens no session; after the abort the next one answers", async () => {
  h.emulator.configure({ faults: { stall: { on: "create" } } });
  const body = Buffer.from(
    JSON.stringify({
      AttachmentItem: { attachmentType: "file", name: "a.bin", size: bytes.length },
    })
  );
  const stalled = rawRequest(
    `${h.emulator.graphUrl}/${item()}/attachments/createUploadSession`,
    "POST",
    { ...h.auth, "Content-Type": "application/json", "Content-Length": String(body.length) },
    body
  );
  expect(await stateAfter(stalled.response)).toBe("pending");
  expect(h.emulator.openSessions()).toEqual([]);
  expect(h.emulator.faultLog()).toEqual([{ kind: "stall", on: "create" }]);
  stalled.abort();
  await expect(stalled.response).rejects.toThrow();
  const url = await uploadUrlFor(h, item(), bytes.length); // count 1: disarmed
  expect(url).toMatch(/^http:/);
});

test("stall on answer (not committed): the body is read, no answer, nothing stored; the range is taken again after the abort", async () => {
  h.emulator.configure({ faults: { stall: { on: "answer", putNumber: 2 } } });
  const url = await uploadUrlFor(h, item(), bytes.length);
  expect((await putRange(url, bytes, 0, MiB - 1)).status).toBe(200);
  const stalled = rangeRequest(url, MiB, 2 * MiB - 1);
  expect(await stateAfter(stalled.response)).toBe("pending");
  expect(h.emulator.faultLog()).toEqual([{ kind: "stall", on: "answer", put: 2, commit: false }]);
  stalled.abort();
  await until(() => h.emulator.openSessions()[0]?.busy === false);
  expect(h.emulator.openSessions()[0].received).toBe(MiB);
  expect((await putRange(url, bytes, MiB, 2 * MiB - 1)).status).toBe(200);
  expect((await putRange(url, bytes, 2 * MiB, bytes.length - 1)).status).toBe(201);
  expect(h.emulator.attachments()[0].sha256).toBe(sha256(bytes));
});

test("stall on answer with commit: the last range attaches the file, but its 201 never comes", async () => {
  h.emulator.configure({ faults: { stall: { on: "answer", putNumber: 2, commit: true } } });
  const url = await uploadUrlFor(h, item(), bytes.length);
  expect((await putRange(url, bytes, 0, 2 * MiB - 1)).status).toBe(200);
  const stalled = rangeRequest(url, 2 * MiB, bytes.length - 1);
  expect(await stateAfter(stalled.response)).toBe("pending");
  expect(h.emulator.attachments()).toHaveLength(1);
  expect(h.emulator.attachments()[0].sha256).toBe(sha256(bytes));
  expect(h.emulator.openSessions()).toEqual([]);
  stalled.abort();
  await expect(stalled.response).rejects.toThrow();
});

test("stall mid-body: the emulator stops reading after afterBytes and commits nothing; the client's next request ends the stalled one", async () => {
  h.emulator.configure({ faults: { stall: { on: "mid-body", afterBytes: 1000, count: 1 } } });
  const url = await uploadUrlFor(h, item(), bytes.length);
  const stalled = rangeRequest(url, 0, MiB - 1);
  expect(await stateAfter(stalled.response)).toBe("pending");
  expect(h.emulator.faultLog()).toEqual([
    { kind: "stall", on: "mid-body", put: 1, afterBytes: 1000 },
  ]);
  expect(h.emulator.openSessions()[0]).toMatchObject({ received: 0, busy: true });
  stalled.abort();
  // Unread bytes hide the abort from the emulator; the retry on a new connection is what it sees.
  expect((await putRange(url, bytes, 0, bytes.length - 1)).status).toBe(201);
  expect(h.emulator.attachments()[0].sha256).toBe(sha256(bytes));
});

test("a restart releases a stalled request (the client sees the connection close)", async () => {
  h.emulator.configure({ faults: { stall: { on: "mid-body", afterBytes: 0 } } });
  const url = await uploadUrlFor(h, item(), bytes.length);
  const stalled = rangeRequest(url, 0, MiB - 1);
  expect(await stateAfter(stalled.response)).toBe("pending");
  await h.emulator.restart();
  await expect(stalled.response).rejects.toThrow();
});

test("faults.stall is validated", () => {
  const bad = (stall: unknown) => () =>
    applyConfigPatch(DEFAULT_CONFIG, { faults: { stall: stall as never } });
  expect(bad({ on: "sometimes" })).toThrow(/faults.stall.on/);
  expect(bad({ on: "answer", count: 0 })).toThrow(/count/);
  expect(bad({ on: "mid-body", afterBytes: -1 })).toThrow(/afterBytes/);
  expect(bad({ on: "answer", probability: 2 })).toThrow(/probability/);
  expect(bad({ on: "answer", commit: "yes" })).toThrow(/commit/);
  expect(
    applyConfigPatch(DEFAULT_CONFIG, { faults: { stall: { on: "create" } } }).faults.stall
  ).toEqual({
    on: "create",
  });
});
