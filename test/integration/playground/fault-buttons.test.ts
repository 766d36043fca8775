// The playground's fault buttons arm only when pressed: they send exactly these patches
// (dev/playground/controls.ts) to PUT /_emulator/config. Once "Next 3 range PUTs answer 503" is
// used up, pressing *Apply* on the network or another fault button must not arm three more 503s,
// and a drop that has happened is not re-armed by pressing the 503 button.
import type { ConfigPatch } from "../../../dev/graph-emulator";
import {
  DROP_NEXT_RANGE,
  networkPatch,
  NEXT_3_PUTS_503,
  RESET_FAULTS,
} from "../../../dev/playground/controls";
import {
  createItem,
  MiB,
  putRange,
  rawRequest,
  seededBytes,
  startHarness,
  uploadUrlFor,
  type Harness,
} from "../emulator/helpers";

const bytes = seededBytes(3 * MiB, 14);
let h: Harness;
let url: string;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.emulator.reset();
  url = await uploadUrlFor(h, `me/messages/${await createItem(h, "messages")}`, bytes.length);
});
afterAll(() => h.emulator.close());

/** A button press: the page's PUT /_emulator/config. */
async function press(patch: ConfigPatch): Promise<void> {
  const response = await fetch(`${h.emulator.url}/_emulator/config`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(patch),
  });
  expect(response.status).toBe(200);
}

const statusOf = async (start: number, end: number) =>
  (await putRange(url, bytes, start, end)).status;
const apply = networkPatch({ latencyMs: 0, bandwidthMBps: 0, bandwidthScope: "shared" }).patch;

test("a used-up 503 script stays used up when Apply (network) or the drop button is pressed", async () => {
  await press(NEXT_3_PUTS_503);
  expect([
    await statusOf(0, MiB - 1),
    await statusOf(0, MiB - 1),
    await statusOf(0, MiB - 1),
  ]).toEqual([503, 503, 503]);
  expect(await statusOf(0, MiB - 1)).toBe(200);

  await press(apply);
  expect(h.emulator.getConfig().pendingScript).toEqual([]);
  expect(await statusOf(MiB, 2 * MiB - 1)).toBe(200);

  await press(DROP_NEXT_RANGE);
  expect(h.emulator.getConfig().pendingScript).toEqual([]);
  const dropped = rawRequest(
    url,
    "PUT",
    {
      "Content-Range": `bytes ${2 * MiB}-${3 * MiB - 1}/${bytes.length}`,
      "Content-Length": String(MiB),
    },
    bytes.subarray(2 * MiB)
  );
  await expect(dropped.response).rejects.toThrow();
  expect(await statusOf(2 * MiB, 3 * MiB - 1)).toBe(201); // the retry: no 503, no second drop
  expect(h.emulator.faultLog().map((e) => e.kind)).toEqual(["drop"]);
});

test("a drop that has happened is not re-armed by the 503 button or Apply; a pending script keeps its count", async () => {
  await press(DROP_NEXT_RANGE);
  const dropped = rawRequest(
    url,
    "PUT",
    { "Content-Range": `bytes 0-${MiB - 1}/${bytes.length}`, "Content-Length": String(MiB) },
    bytes.subarray(0, MiB)
  );
  await expect(dropped.response).rejects.toThrow();

  await press(NEXT_3_PUTS_503);
  expect(await statusOf(0, MiB - 1)).toBe(503);
  await press(apply); // one of three used: Apply leaves two, it does not restart the script
  expect(h.emulator.getConfig().pendingScript).toEqual([
    expect.objectContaining({ status: 503, count: 2 }),
  ]);
  expect([await statusOf(0, MiB - 1), await statusOf(0, MiB - 1)]).toEqual([503, 503]);
  expect(await statusOf(0, MiB - 1)).toBe(200); // not dropped again
  expect(await statusOf(MiB, bytes.length - 1)).toBe(201);
});

test("Reset faults disarms a pending script and drop", async () => {
  await press(NEXT_3_PUTS_503);
  await press(DROP_NEXT_RANGE);
  await press(RESET_FAULTS);
  expect(h.emulator.getConfig().pendingScript).toEqual([]);
  expect(await statusOf(0, bytes.length - 1)).toBe(201); // the whole file in one range, no fault
  expect(h.emulator.faultLog()).toEqual([]);
});

test("Reset faults also disarms a stall and a lost createLink answer armed through the config", async () => {
  await press({ faults: { stall: { on: "answer" }, lostAnswer: { on: "createLink" } } });
  await press(RESET_FAULTS);
  const { faults } = h.emulator.getConfig();
  expect(faults.stall).toBeNull();
  expect(faults.lostAnswer).toBeNull();
  expect(await statusOf(0, bytes.length - 1)).toBe(201); // answered, not left silent
});
